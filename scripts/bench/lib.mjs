// Shared helpers of the benchmarks: process-tree polling, memory readings,
// and starting an init/supervisor as PID 1 of a fresh PID namespace.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// This sandbox sets NODE_EXTRA_CA_CERTS (for its TLS proxy): every node
// process then parses the whole CA bundle at start, about 40 ms of CPU and
// 1 MiB of memory, which a container does not pay. Every process a benchmark
// starts (vigil, its peers, the node floor) runs without it.
if (process.env.NODE_EXTRA_CA_CERTS !== undefined) {
  delete process.env.NODE_EXTRA_CA_CERTS;
  console.error('bench: NODE_EXTRA_CA_CERTS removed from the environment of every process measured (see scripts/bench/lib.mjs)');
}

// The bundle under test; VIGIL_JS=path/to/vigil.js measures another build
// (e.g. a copy of main's bundle for before/after figures in one run).
export const vigilJs = process.env.VIGIL_JS ?? join(dirname(fileURLToPath(import.meta.url)), '../../dist/vigil.js');

export function readStat(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    return { pid, comm: stat.slice(stat.indexOf('(') + 1, close), state: fields[0], ppid: Number(fields[1]) };
  } catch {
    return undefined;
  }
}

export function descendants(root) {
  const all = readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map((n) => readStat(Number(n))).filter(Boolean);
  const byParent = new Map();
  for (const e of all) byParent.set(e.ppid, [...(byParent.get(e.ppid) ?? []), e]);
  const out = [];
  const queue = [root];
  while (queue.length) for (const c of byParent.get(queue.shift()) ?? []) (out.push(c), queue.push(c.pid));
  return out;
}

export function memory(pid) {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
  return { rssKb: kb('VmRSS'), anonKb: kb('RssAnon') };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function poll(probe, timeoutMs, what, intervalMs = 2) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(intervalMs);
  }
}

// Starts argv as PID 1 of a new PID namespace; returns the unshare child and
// a function giving the host pid of PID 1 once it exists.
export function startPid1(argv, stdio = 'ignore') {
  const child = spawn('unshare', ['--pid', '--fork', '--mount-proc', ...argv], { stdio });
  const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  const pid1 = () =>
    poll(() => descendants(child.pid).find((e) => e.ppid === child.pid)?.pid, 10_000, 'PID 1 to start', 5);
  return { child, exited, pid1 };
}

// Ends a startPid1 run and waits for it: SIGKILL to PID 1 takes the whole
// namespace with it, then unshare exits; if PID 1 never appeared, unshare
// itself is killed.
export async function stopPid1(run) {
  try {
    process.kill(await run.pid1(), 'SIGKILL');
  } catch {
    run.child.kill('SIGKILL');
  }
  await run.exited;
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

// Number of live children of pid, from /proc/PID/task/*/children: cheap
// enough to poll every few ms without stealing the CPU being measured.
export function childCount(pid) {
  let count = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'latin1').trim();
      if (text) count += text.split(' ').length;
    } catch {
      // thread gone
    }
  }
  return count;
}

// Number of threads of pid (/proc/PID/task).
export function threadCount(pid) {
  return readdirSync(`/proc/${pid}/task`).length;
}

// `--name N` on the command line as a number, or the fallback.
export function numberFlag(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

export const p90 = (xs) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.9) - 1];

// One client run to completion: wall time in ms, exit code and output.
export function timedRun(argv) {
  const start = process.hrtime.bigint();
  const result = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: 30_000 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, status: result.status, stdout: result.stdout, stderr: result.stderr };
}

// N `sleep 1000` program sections, p000 p001 ..., for the clients' benchmarks.
export function sleepPrograms(count) {
  return Array.from({ length: count }, (_, i) => `[program:p${String(i).padStart(3, '0')}]\ncommand=sleep 1000\nstartsecs=0\n`).join('\n');
}
