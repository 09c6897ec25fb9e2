#!/usr/bin/env node
// Server time to open the web page for N programs (default 100): vigil's page
// (GET / + /app.js + /app.css, then the table's data: the first /events
// message, which is what fills the rows) against supervisord's own status
// page (GET / of its [inet_http_server], rendered on the server), both run as
// PID 1 of their own namespace, timed alternately over keep-alive loopback
// connections. With --browser, also chromium's time from navigation to N rows.
// Usage: node scripts/bench/web.mjs [--runs N] [--programs N] [--browser]
// Needs root (unshare), Debian's supervisor (and chromium for --browser).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, numberFlag, p90, sleep, sleepPrograms, startPid1, stopPid1, vigilJs } from './lib.mjs';

const RUNS = numberFlag('--runs', 50);
const PROGRAMS = numberFlag('--programs', 100);
const BROWSER = process.argv.includes('--browser');

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-web-'));
const programs = sleepPrograms(PROGRAMS);
const vigilPort = await freePort();
const supervisordPort = await freePort();
const vigilConf = join(dir, 'vigil.conf');
writeFileSync(vigilConf, `[supervisord]\n[unix_http_server]\nfile=${join(dir, 'vigil.sock')}\n[inet_http_server]\nport=127.0.0.1:${vigilPort}\n\n${programs}`);
const supervisordConf = join(dir, 'supervisord.conf');
writeFileSync(
  supervisordConf,
  `[supervisord]\nnodaemon=true\nlogfile=${join(dir, 'supervisord.log')}\npidfile=${join(dir, 'supervisord.pid')}\nchildlogdir=${dir}
[inet_http_server]\nport=127.0.0.1:${supervisordPort}
[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n\n${programs}`,
);

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

// One GET: ms until the whole body arrived (or, with untilText, until it
// contains that text: the event stream never ends).
function get(port, path, untilText) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const req = request({ host: '127.0.0.1', port, path, agent: untilText ? false : agent }, (res) => {
      let body = '';
      const done = () => resolve({ ms: Number(process.hrtime.bigint() - start) / 1e6, status: res.statusCode, body });
      res.setEncoding('utf8').on('data', (text) => {
        body += text;
        if (untilText && body.includes(untilText)) {
          done();
          req.destroy();
        }
      });
      res.on('end', done);
    });
    req.on('error', (error) => (untilText && error.code === 'ECONNRESET' ? undefined : reject(error)));
    req.end();
  });
}

const runningCount = (body) => (body.match(/RUNNING|running/g) ?? []).length;

const vigilPage = async () => {
  let total = 0;
  for (const path of ['/', '/app.js', '/app.css']) {
    const reply = await get(vigilPort, path);
    if (reply.status !== 200) throw new Error(`vigil GET ${path}: ${reply.status}`);
    total += reply.ms;
  }
  const events = await get(vigilPort, '/events', `"p${String(PROGRAMS - 1).padStart(3, '0')}"`);
  return { files: total, data: events.ms, total: total + events.ms };
};
const supervisordPage = async () => {
  const reply = await get(supervisordPort, '/');
  if (reply.status !== 200) throw new Error(`supervisord GET /: ${reply.status}`);
  return { total: reply.ms, running: runningCount(reply.body) };
};

const daemons = [
  startPid1([process.execPath, vigilJs, '-c', vigilConf]),
  startPid1(['/usr/bin/python3', '/usr/bin/supervisord', '-n', '-c', supervisordConf]),
];
try {
  await sleep(500);
  const vigilStatus = async () => runningCount((await get(vigilPort, '/status').catch(() => ({ body: '' }))).body) >= PROGRAMS;
  const supervisordStatus = async () => (await supervisordPage().catch(() => ({ running: 0 }))).running >= PROGRAMS;
  for (const [name, ready] of [['vigil', vigilStatus], ['supervisord', supervisordStatus]]) {
    const deadline = Date.now() + 60_000;
    while (!(await ready())) {
      if (Date.now() > deadline) throw new Error(`${name}: not all ${PROGRAMS} programs RUNNING in 60 s`);
      await sleep(200);
    }
  }
  const times = { files: [], data: [], vigil: [], supervisord: [] };
  for (let i = 0; i < RUNS; i++) {
    const v = await vigilPage();
    times.files.push(v.files);
    times.data.push(v.data);
    times.vigil.push(v.total);
    times.supervisord.push((await supervisordPage()).total);
  }
  const row = (label, xs) => `| ${label.padEnd(46)} | ${median(xs).toFixed(2).padStart(6)} | ${p90(xs).toFixed(2).padStart(6)} |`;
  console.log(`web page, ${PROGRAMS} programs RUNNING, ${RUNS} runs each (ms over loopback), node ${process.version}`);
  console.log(`| ${'request'.padEnd(46)} | median |    p90 |`);
  console.log(`|${'-'.repeat(48)}|--------|--------|`);
  console.log(row('vigil: GET /, /app.js, /app.css (keep-alive)', times.files));
  console.log(row(`vigil: GET /events until all ${PROGRAMS} rows' data`, times.data));
  console.log(row('vigil: whole page (sum)', times.vigil));
  console.log(row('supervisord: GET / (server-rendered page)', times.supervisord));
  if (BROWSER) {
    const { default: puppeteer } = await import('puppeteer-core');
    const browser = await puppeteer.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const loads = [];
      for (let i = 0; i < Math.min(RUNS, 10); i++) {
        const start = Date.now();
        await page.goto(`http://127.0.0.1:${vigilPort}/`, { waitUntil: 'domcontentloaded' });
        await page.waitForFunction((n) => document.querySelectorAll('tbody tr').length === n, { timeout: 30_000 }, PROGRAMS);
        loads.push(Date.now() - start);
      }
      console.log(row(`chromium: navigation -> ${PROGRAMS} rows shown`, loads));
    } finally {
      await browser.close();
    }
  }
} finally {
  agent.destroy();
  await Promise.all(daemons.map(stopPid1));
  rmSync(dir, { recursive: true, force: true });
}
