#!/usr/bin/env node
// `vigil ctl status` vs `supervisorctl status`, 100 programs each, side by
// side in one run: both daemons run as PID 1 of their own PID namespace
// (unshare --pid --fork --mount-proc); once every program is RUNNING, the two
// clients are timed alternately (so drift in machine load hits both alike).
// Usage: node scripts/bench/ctl.mjs [--runs N] [--programs N]
// Needs root (unshare) and the Debian `supervisor` package (scripts/install-peers).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, numberFlag, p90, poll, sleepPrograms, startPid1, stopPid1, timedRun, vigilJs } from './lib.mjs';

const RUNS = numberFlag('--runs', 20);
const PROGRAMS = numberFlag('--programs', 100);
const PYTHON = '/usr/bin/python3';

const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-ctl-'));
const programs = sleepPrograms(PROGRAMS);

const vigilConf = join(dir, 'vigil.conf');
writeFileSync(vigilConf, `[supervisord]\n[unix_http_server]\nfile=${join(dir, 'vigil.sock')}\n\n${programs}`);
const supervisordConf = join(dir, 'supervisord.conf');
writeFileSync(
  supervisordConf,
  `[supervisord]
nodaemon=true
logfile=${join(dir, 'supervisord.log')}
pidfile=${join(dir, 'supervisord.pid')}
childlogdir=${dir}
[unix_http_server]
file=${join(dir, 'supervisor.sock')}
[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
[supervisorctl]
serverurl=unix://${join(dir, 'supervisor.sock')}

${programs}`,
);

const clients = {
  vigil: [process.execPath, vigilJs, 'ctl', '-c', vigilConf, 'status'],
  supervisorctl: [PYTHON, '/usr/bin/supervisorctl', '-c', supervisordConf, 'status'],
  // The floor under any Node client: starting node itself.
  node: [process.execPath, '-e', '0'],
  // VIGIL_BASE=bundle: another build's client against the same daemon
  // (before/after figures in one run).
  ...(process.env.VIGIL_BASE ? { base: [process.execPath, process.env.VIGIL_BASE, 'ctl', '-c', vigilConf, 'status'] } : {}),
};

// One status run that exits 0 (all RUNNING) and lists every program.
function allRunning(argv) {
  const run = timedRun(argv);
  return run.status === 0 && run.stdout.trim().split('\n').length === PROGRAMS;
}

const daemons = [
  startPid1([process.execPath, vigilJs, '-c', vigilConf]),
  startPid1([PYTHON, '/usr/bin/supervisord', '-n', '-c', supervisordConf]),
];
try {
  await poll(() => allRunning(clients.vigil), 60_000, `vigil: all ${PROGRAMS} programs RUNNING`, 200);
  await poll(() => allRunning(clients.supervisorctl), 60_000, `supervisord: all ${PROGRAMS} programs RUNNING`, 200);
  const times = Object.fromEntries(Object.keys(clients).map((name) => [name, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const [name, argv] of Object.entries(clients)) {
      const run = timedRun(argv);
      if (run.status !== 0) throw new Error(`${name} status exited ${run.status}: ${run.stderr}${run.stdout}`);
      times[name].push(run.ms);
    }
  }
  const row = (label, name) => `| ${label.padEnd(22)} | ${median(times[name]).toFixed(0).padStart(6)} | ${p90(times[name]).toFixed(0).padStart(6)} |`;
  console.log(`ctl status, ${PROGRAMS} programs RUNNING, ${RUNS} runs each (wall time, ms), node ${process.version}`);
  console.log('| client                 | median |    p90 |');
  console.log('|------------------------|--------|--------|');
  console.log(row('vigil ctl status', 'vigil'));
  console.log(row('supervisorctl status', 'supervisorctl'));
  console.log(row('node -e 0 (floor)', 'node'));
  if (times.base) console.log(row('VIGIL_BASE ctl status', 'base'));
  const ratio = median(times.vigil) / median(times.supervisorctl);
  console.log(`ratio (median vigil / supervisorctl): ${ratio.toFixed(2)} (goal <= 0.40: ${ratio <= 0.4 ? 'met' : 'missed'}); floor (node -e 0 / supervisorctl): ${(median(times.node) / median(times.supervisorctl)).toFixed(2)}`);
} finally {
  await Promise.all(daemons.map(stopPid1));
  rmSync(dir, { recursive: true, force: true });
}
