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

const header = (name) =>
  `[supervisord]\nloglevel=warn\n[unix_http_server]\nfile=${join(dir, `${name}.sock`)}\n`;
const stamp = (file) => `date +%%s%%N > ${file}`; // %% : the config %-expands values
// Blocks on a FIFO until the benchmark writes to it (no polling load).
const waitFile = (fifo) => `read go < ${fifo}`;

function latencyConfig() {
  let text = header('latency');
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

const readNs = (file) => BigInt(readFileSync(file, 'utf8').trim());

async function latency() {
  const run = startPid1([process.execPath, vigil, '-c', latencyConfig()]);
  await run.pid1();
  await poll(() => existsSync(join(dir, 'latency.sock')), 10_000, 'control socket');
  await sleep(1000);
  const results = { completed: [], running: [], healthy: [] };
  for (let i = 0; i < pairs; i++) {
    for (const [kind, key] of [['job', 'completed'], ['svc', 'running'], ['db', 'healthy']]) {
      writeFileSync(join(dir, `go-${kind}${i}`), 'go\n'); // a FIFO, except for db (a file its check tests)
      await poll(() => existsSync(join(dir, `t1-${kind}${i}`)), 10_000, `${kind}${i} dependent`);
      await sleep(150); // let both stamps be written, and vigil settle
      results[key].push(Number(readNs(join(dir, `t1-${kind}${i}`)) - readNs(join(dir, `t0-${kind}${i}`))) / 1e6);
    }
  }
  process.kill(await run.pid1(), 'SIGTERM');
  await run.exited;
  return results;
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

const lat = await latency();
const fmt = (x) => x.toFixed(1);
console.log(`# start gating and health checks (node ${process.version}; ${pairs} pairs)`);
console.log('| dependent start latency (ms, condition true -> dependent runs its first instruction) | median | max |');
console.log('|---|---|---|');
for (const [key, values] of Object.entries(lat)) console.log(`| ${key} | ${fmt(median(values))} | ${fmt(Math.max(...values))} |`);
console.log('');
console.log('| vigil CPU with 50 programs (% of one core, 20 s window) | % |');
console.log('|---|---|');
for (const kind of ['none', 'cmd', 'http', 'tcp']) console.log(`| healthcheck ${kind === 'none' ? 'none (baseline)' : `${kind}: every 1 s`} | ${fmt(await healthCpu(kind, 20))} |`);
rmSync(dir, { recursive: true, force: true });
