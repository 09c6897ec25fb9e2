#!/usr/bin/env node
// Benchmark (issue 4): output throughput of vigil vs supervisord (Debian
// `supervisor`, nodaemon), each as PID 1 of a fresh PID namespace, and a raw
// `cat FILE | cat > out` baseline. One program replays a prepared file of
// 1,000,000 lines of 100 bytes with `cat` (a generator would be slower than
// the sinks and would be what gets measured). Time runs from the program's
// first action (its wrapper writes `date +%s%N`) until the destination holds
// every line (polled):
//  - stdout: vigil's prefixed lines / supervisord's `stdout_logfile=/dev/stdout`
//    + maxbytes=0, the supervisor's stdout redirected to a file; broken lines
//    counted (lines that are not exactly a prefix + one original line);
//  - log file, maxbytes=0;
//  - log file, maxbytes=10MB, backups=5 (checked byte for byte afterwards);
//  - vigil's peak RSS while its stdout is a slow pipe (nobody reads for 3 s,
//    then it is drained).
// Median of N rounds (default 3).
// Usage: node scripts/bench/output.mjs [rounds] [--disk] [--only stdout|file|rotated]
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, rmSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, memory, poll, sleep, startPid1, vigilJs } from './lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const rounds = Number(process.argv.slice(2).find((arg) => /^\d+$/.test(arg)) ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-output-'));
// The destinations live on a tmpfs (root only; `--disk` keeps them on disk):
// 100 MB per run on a disk soon hits the kernel's dirty-page throttling
// (balance_dirty_pages), which then dominates and scatters both peers' times.
const onTmpfs = !process.argv.includes('--disk');
// `--only stdout|file|rotated`: measure that destination alone (with the raw baseline).
const onlyIndex = process.argv.indexOf('--only');
const only = onlyIndex === -1 ? null : process.argv[onlyIndex + 1];
const measured = (key) => only === null || only === key;
if (onTmpfs) execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2g', 'tmpfs', dir]);
const LINES = 1_000_000;
const LINE_BYTES = 100;
const PREFIX = 'bench | ';

// Line i: `NNNNNNN ....... NNNNNNN\n`, 100 bytes; the number at both ends makes
// every line unique and its end findable.
const id = (i) => String(i).padStart(7, '0');
const lineOf = (i) => `${id(i)} ${'abcdefghijklmnopqrstuvwxyz'.repeat(4).slice(0, LINE_BYTES - 17)} ${id(i)}\n`;
const FILE = join(dir, 'lines.txt');
const LAST_END = `${id(LINES - 1)}\n`;

function prepare() {
  const parts = [];
  for (let i = 0; i < LINES; i++) parts.push(lineOf(i));
  const data = Buffer.from(parts.join(''), 'latin1');
  if (data.length !== LINES * LINE_BYTES) throw new Error(`bad data file: ${data.length} bytes`);
  writeFileSync(FILE, data);
  return data;
}

const START = join(dir, 'start');
// `%%` is `%` once the supervisord config's expansion has run (both read it).
const programCommand = `sh -c 'date +%%s%%N > ${START}; exec cat ${FILE}'`;
const nowNs = () => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n;
const startNs = () => (existsSync(START) ? BigInt(readFileSync(START, 'utf8').trim() || '0') || undefined : undefined);

function fileSize(path) {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function tail(path, bytes) {
  let fd;
  try {
    fd = openSync(path, 'r');
  } catch {
    return '';
  }
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(bytes, size);
    const buf = Buffer.alloc(length);
    readSync(fd, buf, 0, length, size - length);
    return buf.toString('latin1');
  } finally {
    closeSync(fd);
  }
}

// The destination holds every line: at least `minBytes`, and the last line's
// end is there (writers keep order, so everything before it is too).
const complete = (path, minBytes) => fileSize(path) >= minBytes && tail(path, 4096).includes(LAST_END);

function config(name, program) {
  const head =
    `[supervisord]\nnodaemon=true\nlogfile=${join(dir, `${name}.log`)}\npidfile=${join(dir, `${name}.pid`)}\nchildlogdir=${dir}\n` +
    `[unix_http_server]\nfile=${join(dir, `${name}.sock`)}\n` +
    `[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n`;
  const path = join(dir, `${name}.conf`);
  writeFileSync(path, `${head}[program:bench]\ncommand=${programCommand}\nstartsecs=0\nautorestart=false\n${program}`);
  return path;
}

const peers = {
  vigil: (conf) => [process.execPath, vigilJs, '-c', conf],
  supervisord: (conf) => ['/usr/bin/python3', '/usr/bin/supervisord', '-n', '-c', conf],
};
// VIGIL_BASE=path/to/other/vigil.js: also measure that build (e.g. main's) in
// the same run, as `vigil-base`, for before/after figures.
if (process.env.VIGIL_BASE) peers['vigil-base'] = (conf) => [process.execPath, process.env.VIGIL_BASE, '-c', conf];
const PEERS = Object.keys(peers);
const isVigil = (peer) => peer.startsWith('vigil');

// Runs `peer` on `programKeys` with its stdout in `stdoutPath`; returns ms
// from the program's first action until done() holds.
async function timeRun(peer, programKeys, stdoutPath, done) {
  rmSync(START, { force: true });
  const out = openSync(stdoutPath, 'w');
  const err = openSync(join(dir, `${peer}.stderr`), 'w');
  const run = startPid1(peers[peer](config(peer, programKeys)), ['ignore', out, err]);
  closeSync(out);
  closeSync(err);
  try {
    await poll(() => done(), 120_000, `${peer}: all lines`, 2);
    const end = nowNs();
    const start = await poll(() => startNs(), 10_000, `${peer}: start mark`);
    return Number(end - start) / 1e6;
  } finally {
    process.kill(await run.pid1(), 'SIGTERM');
    await Promise.race([run.exited, sleep(20_000)]);
    if (run.child.exitCode === null) run.child.kill('SIGKILL');
  }
}

// Lines of an stdout capture that are not exactly `prefix` + an original line.
// supervisord's own log lines (it echoes its log to stdout with -n) are not
// counted as broken, but a program line they cut into is.
function lineCheck(path, prefix) {
  const text = readFileSync(path, 'latin1');
  const own = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [A-Z]{4,5} /;
  let intact = 0;
  let broken = 0;
  let start = 0;
  for (;;) {
    const end = text.indexOf('\n', start);
    if (end === -1) break;
    const line = text.slice(start, end + 1);
    start = end + 1;
    if (line.length === prefix.length + LINE_BYTES && line.startsWith(prefix)) {
      const n = Number(line.slice(prefix.length, prefix.length + 7));
      if (line.slice(prefix.length) === lineOf(n)) {
        intact++;
        continue;
      }
    }
    if (own.test(line) && line.length < 300) continue;
    broken++;
  }
  if (start < text.length) broken++; // unterminated tail
  return { intact, broken };
}

function rawBaseline() {
  const outPath = join(dir, 'raw.out');
  rmSync(START, { force: true });
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', `sh -c 'date +%s%N > ${START}; exec cat ${FILE}' | cat > ${outPath}`], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', async () => {
      try {
        await poll(() => complete(outPath, LINES * LINE_BYTES), 10_000, 'raw: all lines');
        resolve(Number(nowNs() - (await poll(() => startNs(), 1000, 'raw start'))) / 1e6);
      } catch (error) {
        reject(error);
      }
    });
  });
}

// Log files: PATH.5 ... PATH.1 PATH must be the tail of the data file.
function checkRotated(path, data, backups) {
  const parts = [];
  for (let i = backups; i >= 1; i--) if (existsSync(`${path}.${i}`)) parts.push(readFileSync(`${path}.${i}`));
  parts.push(readFileSync(path));
  const joined = Buffer.concat(parts);
  return joined.equals(data.subarray(data.length - joined.length)) ? 'exact' : 'MISMATCH';
}

function clearLogs(base) {
  for (let i = 0; i <= 10; i++) rmSync(i === 0 ? base : `${base}.${i}`, { force: true });
}

async function scenarios(data) {
  const results = {};
  const record = (key, value) => (results[key] ??= []).push(value);
  const checks = {};
  for (let round = 0; round < rounds; round++) {
    record('raw', await rawBaseline());

    // (a) stdout.
    for (const peer of measured('stdout') ? PEERS : []) {
      const outPath = join(dir, `${peer}.stdout`);
      const keys = isVigil(peer) ? '' : 'stdout_logfile=/dev/stdout\nstdout_logfile_maxbytes=0\n';
      const min = isVigil(peer) ? LINES * (LINE_BYTES + PREFIX.length) : LINES * LINE_BYTES;
      record(`${peer} stdout`, await timeRun(peer, keys, outPath, () => complete(outPath, min)));
      const check = lineCheck(outPath, isVigil(peer) ? PREFIX : '');
      const previous = checks[`${peer} stdout`] ?? { intact: Infinity, broken: 0 };
      checks[`${peer} stdout`] = { intact: Math.min(previous.intact, check.intact), broken: Math.max(previous.broken, check.broken) };
      rmSync(outPath, { force: true });
    }

    // (b) log file, no rotation; (c) 10MB x 5 backups.
    for (const [key, maxBytes, backups] of [['file', '0', 0], ['rotated', '10MB', 5]]) {
      for (const peer of measured(key) ? PEERS : []) {
        const log = join(dir, `${peer}-bench.log`);
        clearLogs(log);
        const keys = `stdout_logfile=${log}\nstdout_logfile_maxbytes=${maxBytes}\nstdout_logfile_backups=${backups}\n`;
        // With rotation the last line may have just moved to PATH.1.
        const done = maxBytes === '0' ? () => complete(log, LINES * LINE_BYTES) : () => complete(log, 0) || complete(`${log}.1`, 0);
        record(`${peer} ${key}`, await timeRun(peer, keys, join(dir, `${peer}.stdout`), done));
        checks[`${peer} ${key}`] = maxBytes === '0' ? (readFileSync(log).equals(data) ? 'exact' : 'MISMATCH') : checkRotated(log, data, backups);
        clearLogs(log);
      }
    }
  }
  return { results, checks };
}

// vigil's peak RSS while its stdout is a pipe nobody reads for 3 s, then drained.
async function slowReaderPeak() {
  const conf = config('vigil', '');
  rmSync(START, { force: true });
  const run = startPid1(peers.vigil(conf), ['ignore', 'pipe', 'ignore']);
  const pid1 = await run.pid1();
  let peak = 0;
  const sampler = setInterval(() => {
    try {
      peak = Math.max(peak, memory(pid1).rssKb);
    } catch {
      // exited
    }
  }, 10);
  const expected = LINES * (LINE_BYTES + PREFIX.length);
  let received = 0;
  run.child.stdout.pause();
  await sleep(3000);
  const stalledRssKb = memory(pid1).rssKb;
  run.child.stdout.on('data', (chunk) => (received += chunk.length));
  run.child.stdout.resume();
  await poll(() => received >= expected, 60_000, 'slow reader: all bytes', 5);
  clearInterval(sampler);
  process.kill(pid1, 'SIGTERM');
  await run.exited;
  return { peakMiB: peak / 1024, stalledMiB: stalledRssKb / 1024, received, expected };
}

const fmt = (ms) => `${ms.toFixed(0)} ms`;

async function main() {
  const data = prepare();
  const { results, checks } = await scenarios(data);
  const slow = measured('stdout') ? await slowReaderPeak() : null;
  const m = (key) => median(results[key]);
  const all = (key) => results[key].map((x) => x.toFixed(0)).join(', ');
  const lines = (key) => `${checks[key].intact} intact, ${checks[key].broken} broken`;
  console.log(`\nOutput throughput: ${LINES} lines x ${LINE_BYTES} B (${(LINES * LINE_BYTES) / 1e6} MB) by \`cat\`, destinations on ${onTmpfs ? 'tmpfs' : 'disk'}; median of ${rounds} (all rounds in brackets)\n`);
  console.log('| destination | vigil | supervisord | vigil / supervisord | check |');
  console.log('|---|---|---|---|---|');
  if (measured('stdout')) console.log(`| stdout redirected to a file (vigil: prefixed \`bench \\| \`; supervisord: /dev/stdout, maxbytes=0, unprefixed) | ${fmt(m('vigil stdout'))} [${all('vigil stdout')}] | ${fmt(m('supervisord stdout'))} [${all('supervisord stdout')}] | ${(m('vigil stdout') / m('supervisord stdout')).toFixed(2)}x (goal <= 1.5x) | vigil: ${lines('vigil stdout')}; supervisord: ${lines('supervisord stdout')} |`);
  if (measured('file')) console.log(`| log file, maxbytes=0 | ${fmt(m('vigil file'))} [${all('vigil file')}] | ${fmt(m('supervisord file'))} [${all('supervisord file')}] | ${(m('vigil file') / m('supervisord file')).toFixed(2)}x (goal <= 1.0x) | vigil ${checks['vigil file']}, supervisord ${checks['supervisord file']} |`);
  if (measured('rotated')) console.log(`| log file, maxbytes=10MB, backups=5 | ${fmt(m('vigil rotated'))} [${all('vigil rotated')}] | ${fmt(m('supervisord rotated'))} [${all('supervisord rotated')}] | ${(m('vigil rotated') / m('supervisord rotated')).toFixed(2)}x | backups+current vs data tail: vigil ${checks['vigil rotated']}, supervisord ${checks['supervisord rotated']} |`);
  if (peers['vigil-base']) {
    for (const key of ['stdout', 'file', 'rotated'].filter(measured)) {
      console.log(`| vigil-base (${process.env.VIGIL_BASE}), ${key} | ${fmt(m(`vigil-base ${key}`))} [${all(`vigil-base ${key}`)}] | | ${(m(`vigil-base ${key}`) / m(`supervisord ${key}`)).toFixed(2)}x | ${key === 'stdout' ? lines('vigil-base stdout') : checks[`vigil-base ${key}`]} |`);
    }
  }
  console.log(`| raw \`cat FILE \\| cat > out\` | ${fmt(m('raw'))} [${all('raw')}] | | | |`);
  if (slow) console.log(`\nvigil RSS with a slow stdout reader (3 s unread, then drained): peak ${slow.peakMiB.toFixed(1)} MiB, ${slow.stalledMiB.toFixed(1)} MiB while stalled; ${slow.received === slow.expected ? 'all' : 'NOT all'} ${slow.expected} bytes arrived`);
}

try {
  await main();
} finally {
  if (onTmpfs) execFileSync('umount', [dir]);
  rmSync(dir, { recursive: true, force: true });
}
