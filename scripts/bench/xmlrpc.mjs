#!/usr/bin/env node
// The real `supervisorctl status` against vigil's XML-RPC face vs against
// supervisord, with `vigil ctl status` beside them, 100 programs each, in one
// run: both daemons run as PID 1 of their own PID namespace; once every
// program is RUNNING the three clients are timed alternately (so drift in
// machine load hits all alike).
// Usage: node scripts/bench/xmlrpc.mjs [--runs N] [--programs N]
// Needs root (unshare) and the Debian `supervisor` package (scripts/install-peers).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, numberFlag, p90, poll, sleepPrograms, startPid1, stopPid1, timedRun, vigilJs } from './lib.mjs';

const RUNS = numberFlag('--runs', 20);
const PROGRAMS = numberFlag('--programs', 100);
const PYTHON = '/usr/bin/python3';

const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-xmlrpc-'));
const programs = sleepPrograms(PROGRAMS);
// One config shape for both daemons; only the socket differs.
const config = (name) => {
  const path = join(dir, `${name}.conf`);
  writeFileSync(
    path,
    `[supervisord]
nodaemon=true
logfile=${join(dir, `${name}.log`)}
pidfile=${join(dir, `${name}.pid`)}
childlogdir=${dir}
[unix_http_server]
file=${join(dir, `${name}.sock`)}
[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
[supervisorctl]
serverurl=unix://${join(dir, `${name}.sock`)}

${programs}`,
  );
  return path;
};
const vigilConf = config('vigil');
const supervisordConf = config('supervisord');

const clients = {
  'supervisorctl -> vigil': [PYTHON, '/usr/bin/supervisorctl', '-c', vigilConf, 'status'],
  'supervisorctl -> supervisord': [PYTHON, '/usr/bin/supervisorctl', '-c', supervisordConf, 'status'],
  'vigil ctl -> vigil': [process.execPath, vigilJs, 'ctl', '-c', vigilConf, 'status'],
  // The floor under supervisorctl: Python importing supervisorctl, no request.
  'python import (floor)': [PYTHON, '-c', 'import supervisor.supervisorctl'],
};

// The server alone: one Python process making CALLS getAllProcessInfo calls
// over supervisor's own transport, timed inside it (ms per call).
const CALLS = 20;
const serverOnly = (name) => [
  PYTHON,
  '-c',
  `import time, xmlrpc.client
from supervisor.xmlrpc import SupervisorTransport
s = xmlrpc.client.ServerProxy('http://127.0.0.1', SupervisorTransport(None, None, 'unix://${join(dir, `${name}.sock`)}'))
s.supervisor.getVersion()
t = time.perf_counter()
for _ in range(${CALLS}): s.supervisor.getAllProcessInfo()
print((time.perf_counter() - t) * 1000 / ${CALLS})`,
];
const perCall = { vigil: [], supervisord: [] };


function allRunning(argv) {
  const run = timedRun(argv);
  return run.status === 0 && run.stdout.trim().split('\n').length === PROGRAMS;
}


const daemons = [
  startPid1([process.execPath, vigilJs, '-c', vigilConf]),
  startPid1([PYTHON, '/usr/bin/supervisord', '-n', '-c', supervisordConf]),
];
try {
  await poll(() => allRunning(clients['supervisorctl -> vigil']), 120_000, `vigil: all ${PROGRAMS} programs RUNNING`, 200);
  await poll(() => allRunning(clients['supervisorctl -> supervisord']), 180_000, `supervisord: all ${PROGRAMS} programs RUNNING`, 200);
  // Same answer from both daemons (pids and uptimes aside): it is the same work.
  const shape = (argv) => timedRun(argv).stdout.replace(/pid \d+, uptime \S+/g, 'pid N');
  if (shape(clients['supervisorctl -> vigil']) !== shape(clients['supervisorctl -> supervisord'])) {
    throw new Error('supervisorctl status differs between vigil and supervisord');
  }
  const times = Object.fromEntries(Object.keys(clients).map((name) => [name, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const [name, argv] of Object.entries(clients)) {
      const run = timedRun(argv);
      if (run.status !== 0) throw new Error(`${name} exited ${run.status}: ${run.stderr}${run.stdout}`);
      times[name].push(run.ms);
    }
  }
  for (let i = 0; i < Math.max(3, RUNS / 4); i++) {
    for (const name of Object.keys(perCall)) {
      const run = timedRun(serverOnly(name));
      if (run.status !== 0) throw new Error(`${name} getAllProcessInfo loop exited ${run.status}: ${run.stderr}`);
      perCall[name].push(Number(run.stdout.trim()));
    }
  }
  const row = (name) => `| ${name.padEnd(30)} | ${median(times[name]).toFixed(0).padStart(6)} | ${p90(times[name]).toFixed(0).padStart(6)} |`;
  console.log(`status, ${PROGRAMS} programs RUNNING, ${RUNS} runs each (wall time, ms), node ${process.version}`);
  console.log(`| ${'client -> daemon'.padEnd(30)} | median |    p90 |`);
  console.log(`|${'-'.repeat(32)}|--------|--------|`);
  for (const name of Object.keys(clients)) console.log(row(name));
  const ratio = median(times['supervisorctl -> vigil']) / median(times['supervisorctl -> supervisord']);
  const floor = median(times['python import (floor)']);
  const server = (name) => median(times[name]) - floor;
  console.log(`ratio supervisorctl status, vigil / supervisord (median): ${ratio.toFixed(2)} (goal <= 0.70: ${ratio <= 0.7 ? 'met' : 'missed'})`);
  console.log(`above the Python floor: vigil ${server('supervisorctl -> vigil').toFixed(0)} ms, supervisord ${server('supervisorctl -> supervisord').toFixed(0)} ms`);
  console.log(
    `getAllProcessInfo alone (${PROGRAMS} processes, one Python client, median ms per call): vigil ${median(perCall.vigil).toFixed(1)}, supervisord ${median(perCall.supervisord).toFixed(1)}, ratio ${(median(perCall.vigil) / median(perCall.supervisord)).toFixed(2)}`,
  );
  console.log(`ratio vigil ctl / supervisorctl against supervisord: ${(median(times['vigil ctl -> vigil']) / median(times['supervisorctl -> supervisord'])).toFixed(2)}`);
} finally {
  await Promise.all(daemons.map(stopPid1));
  rmSync(dir, { recursive: true, force: true });
}
