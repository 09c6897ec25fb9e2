#!/usr/bin/env node
// Benchmark of start gating and health checks, vigil as PID 1 of a fresh PID
// namespace:
//  - dependent start latency: from the moment a dependency's condition turns
//    true to the first instruction of the dependent (its `date` at exec),
//    for `completed` (a one-shot exits), `running` (startsecs=0, so RUNNING
//    at spawn) and `healthy` (a cmd: check passes); PAIRS pairs per run;
//  - CPU of health checking 50 programs every second (cmd:, http://, tcp:),
//    vigil's utime+stime from /proc over a 20 s window, as % of one core.
// Usage: node scripts/bench/readiness.mjs [pairs]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, poll, sleep, startPid1 } from './lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const vigil = join(root, 'dist/vigil.js');
const pairs = Number(process.argv[2] ?? 10);
const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
const CLK_TCK = 100; // getconf CLK_TCK on Linux

const header = (name, level = 'warn') =>
  `[supervisord]\nloglevel=${level}\n[unix_http_server]\nfile=${join(dir, `${name}.sock`)}\n`;
const stamp = (file) => `date +%%s%%N > ${file}`; // %% : the config %-expands values
// Blocks on a FIFO until the benchmark writes to it (no polling load).
const waitFile = (fifo) => `read go < ${fifo}`;

function latencyConfig() {
  let text = header('latency', 'info');
  for (let i = 0; i < pairs; i++) {
    const go = (kind) => join(dir, `go-${kind}${i}`);
    for (const kind of ['job', 'svc']) execFileSync('mkfifo', [go(kind)]);
    const t0 = (kind) => join(dir, `t0-${kind}${i}`);
    const dependent = (kind, condition) =>
      `[program:after_${kind}${i}]\ncommand=sh -c '${stamp(join(dir, `t1-${kind}${i}`))}; exec sleep 1000'\nstartsecs=0\ndepends_on=${kind}${i}:${condition}\nstdout_logfile=NONE\n`;
    // completed: the one-shot stamps t0 as its last act, then exits 0.
    text += `[program:job${i}]\ncommand=sh -c '${waitFile(go('job'))}; ${stamp(t0('job'))}'\nstartsecs=0\nautorestart=false\nstdout_logfile=NONE\n`;
    text += dependent('job', 'completed');
    // running: startsecs=0 makes it RUNNING at spawn; t0 is its first
    // instruction. A gate one-shot holds it back until the benchmark says go.
    text += `[program:gate${i}]\ncommand=sh -c '${waitFile(go('svc'))}'\nstartsecs=0\nautorestart=false\nstdout_logfile=NONE\n`;
    text += `[program:svc${i}]\ncommand=sh -c '${stamp(t0('svc'))}; exec sleep 1000'\nstartsecs=0\ndepends_on=gate${i}:completed\nstdout_logfile=NONE\n`;
    text += dependent('svc', 'running');
    // healthy: the first check that passes (once go exists) stamps t0.
    text += `[program:db${i}]\ncommand=sleep 1000\nstartsecs=0\nhealthcheck=cmd:sh -c 'test -e ${go('db')} && { test -e ${t0('db')} || ${stamp(t0('db'))}; }'\nhealthcheck_interval=0.05\nhealthcheck_retries=1000\nstdout_logfile=NONE\n`;
    text += dependent('db', 'healthy');
  }
  const path = join(dir, 'latency.conf');
  writeFileSync(path, text);
  return path;
}

// A `date +%s%N` stamp, or null while it is missing or not yet written.
function readNs(file) {
  try {
    const text = readFileSync(file, 'utf8');
    return text.endsWith('\n') ? BigInt(text.trim()) : null;
  } catch {
    return null;
  }
}

async function latency() {
  const run = startPid1([process.execPath, vigil, '-c', latencyConfig()], ['ignore', 'ignore', 'pipe']);
  let log = '';
  run.child.stderr.setEncoding('utf8').on('data', (text) => (log += text));
  await run.pid1();
  await poll(() => existsSync(join(dir, 'latency.sock')), 120_000, 'control socket'); // a loaded machine starts Node slowly
  await sleep(1000);
  const results = { completed: [], running: [], healthy: [] };
  for (let i = 0; i < pairs; i++) {
    for (const [kind, key] of [['job', 'completed'], ['svc', 'running'], ['db', 'healthy']]) {
      writeFileSync(join(dir, `go-${kind}${i}`), 'go\n'); // a FIFO, except for db (a file its check tests)
      // The shell creates the file before `date` writes into it: wait for both stamps.
      const t0 = join(dir, `t0-${kind}${i}`);
      const t1 = join(dir, `t1-${kind}${i}`);
      await poll(() => readNs(t0) !== null && readNs(t1) !== null, 60_000, `${kind}${i} dependent`);
      results[key].push(Number(readNs(t1) - readNs(t0)) / 1e6);
      await sleep(150); // let vigil settle before the next trigger
    }
  }
  process.kill(await run.pid1(), 'SIGTERM');
  await run.exited;
  // vigil's own share, from its log's millisecond timestamps: the event that
  // makes the condition true, as vigil logs it, to the dependent's spawn.
  const at = (pattern) => {
    const line = log.split('\n').find((l) => pattern.test(l));
    const m = line && /(\d\d):(\d\d):(\d\d)[.,](\d\d\d)/.exec(line);
    return m ? ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 + Number(m[4]) : null;
  };
  const internal = { completed: [], running: [], healthy: [] };
  for (let i = 0; i < pairs; i++) {
    for (const [kind, key, cause] of [['job', 'completed', `exited: job${i} `], ['svc', 'running', `success: svc${i} entered RUNNING`], ['db', 'healthy', `healthy: db${i} `]]) {
      const from = at(new RegExp(cause));
      const to = at(new RegExp(`spawned: 'after_${kind}${i}'`));
      if (from !== null && to !== null) internal[key].push(to - from);
    }
  }
  return { results, internal };
}

function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

async function healthCpu(kind, seconds) {
  const port = 20000 + Math.floor(Math.random() * 20000);
  let text = header(`cpu-${kind}`);
  text += `[program:server]\ncommand=${process.execPath} -e "require('http').createServer((q,r)=>r.end('ok')).listen(${port},'127.0.0.1')"\nstartsecs=0\nstdout_logfile=NONE\n`;
  const check = { cmd: 'cmd:true', http: `http://127.0.0.1:${port}/`, tcp: `tcp:127.0.0.1:${port}`, none: null }[kind];
  for (let i = 0; i < 50; i++) {
    text += `[program:p${i}]\ncommand=sleep 1000\nstartsecs=0\nstdout_logfile=NONE\n${check ? `healthcheck=${check}\nhealthcheck_interval=1\n` : ''}`;
  }
  const path = join(dir, `cpu-${kind}.conf`);
  writeFileSync(path, text);
  const run = startPid1([process.execPath, vigil, '-c', path]);
  const pid1 = await run.pid1();
  await sleep(3000); // start-up and first checks
  const before = cpuTicks(pid1);
  const start = performance.now();
  await sleep(seconds * 1000);
  const used = (cpuTicks(pid1) - before) / CLK_TCK;
  const wall = (performance.now() - start) / 1000;
  process.kill(pid1, 'SIGTERM');
  await run.exited;
  return (100 * used) / wall;
}

const { results: lat, internal } = await latency();
const fmt = (x) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a'); // n/a: no log line matched
console.log(`# start gating and health checks (node ${process.version}; ${pairs} pairs)`);
console.log('| dependent start latency (ms, condition true -> dependent runs its first instruction) | median | max |');
console.log('|---|---|---|');
for (const [key, values] of Object.entries(lat)) console.log(`| ${key} | ${fmt(median(values))} | ${fmt(Math.max(...values))} |`);
console.log('');
console.log("| vigil's share (ms, from its log: condition event logged -> `spawned:` of the dependent) | median | max |");
console.log('|---|---|---|');
for (const [key, values] of Object.entries(internal)) console.log(`| ${key} | ${fmt(median(values))} | ${fmt(Math.max(...values))} |`);
console.log('');
console.log('| vigil CPU with 50 programs (% of one core, 20 s window) | % |');
console.log('|---|---|');
for (const kind of ['none', 'cmd', 'http', 'tcp']) console.log(`| healthcheck ${kind === 'none' ? 'none (baseline)' : `${kind}: every 1 s`} | ${fmt(await healthCpu(kind, 20))} |`);
rmSync(dir, { recursive: true, force: true });
