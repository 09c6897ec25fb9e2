#!/usr/bin/env node
// Benchmark: vigil vs tini as PID 1 of a fresh PID namespace, side by side in
// one run. (1) reaping 10,000 orphans: the fixture's own time (first fork ->
// no zombie left), the wall time of the whole command (init start-up and exit
// included) and the peak number of zombies seen; (2) `INIT -- true`, wall time
// of the whole command, with bare `node -e 0` as the floor of any Node program;
// (3) idle memory of `INIT -- sleep 1000` (RSS, RssAnon, threads), with a bare
// `node -e 'setInterval(()=>{},1e6)'` as the floor.
// Usage: node scripts/bench/init.mjs [orphans] [rounds]   (VIGIL_JS=bundle to compare builds)
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, memory, sleep, threadCount, vigilJs } from './lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const orphans = Number(process.argv[2] ?? 10000);
const rounds = Number(process.argv[3] ?? 3);
const TRUE_RUNS = 10;
const storm = join(root, 'scripts/bench/orphan-storm.py');
const tini = execFileSync('sh', ['-c', 'command -v tini'], { encoding: 'utf8' }).trim();
const inits = {
  vigil: [process.execPath, vigilJs, '--'],
  tini: [tini, '-s', '--'],
};

// Runs argv as PID 1 of a new PID namespace; resolves {out, wallMs}.
function run(argv) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('unshare', ['--pid', '--fork', '--mount-proc', ...argv], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      if (code === 0) resolve({ out, wallMs });
      else reject(new Error(`${argv.join(' ')} exited ${code}`));
    });
  });
}

async function idle(argv) {
  const child = spawn('unshare', ['--pid', '--fork', '--mount-proc', ...argv], { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  let initPid;
  while (!initPid && Date.now() < deadline) {
    await sleep(50);
    const children = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim();
    if (children) initPid = Number(children.split(' ')[0]);
  }
  await sleep(1500); // let it settle to idle
  const result = { ...memory(initPid), threads: threadCount(initPid) };
  // And once V8's memory reducer has run (about 8 s after start).
  await sleep(13_500);
  result.lateAnonKb = memory(initPid).anonKb;
  process.kill(initPid, 'SIGKILL');
  await new Promise((r) => child.on('close', r));
  return result;
}

const results = { vigil: { reaps: [], walls: [], trues: [] }, tini: { reaps: [], walls: [], trues: [] }, node: { trues: [] } };
for (let round = 0; round < rounds; round++) {
  for (const [name, argv] of Object.entries(inits)) {
    const { out, wallMs } = await run([...argv, '/usr/bin/python3', storm, String(orphans)]);
    results[name].reaps.push(JSON.parse(out.trim().split('\n').pop()));
    results[name].walls.push(wallMs);
  }
}
// `INIT -- true`, alternating so that load drift hits all alike.
for (let i = 0; i < TRUE_RUNS; i++) {
  for (const [name, argv] of Object.entries(inits)) results[name].trues.push((await run([...argv, '/bin/true'])).wallMs);
  results.node.trues.push((await run([process.execPath, '-e', '0'])).wallMs);
}
for (const [name, argv] of Object.entries(inits)) results[name].idle = await idle([...argv, 'sleep', '1000']);
results.node.idle = await idle([process.execPath, '-e', 'setInterval(()=>{},1e6)']);

const f0 = (x) => x.toFixed(0);
const row = (name) => {
  const r = results[name];
  return {
    total: median(r.reaps.map((x) => x.total_ms)),
    wall: median(r.walls),
    drain: median(r.reaps.map((x) => x.drain_ms)),
    peak: Math.max(...r.reaps.map((x) => x.peak_zombies)),
    trueMs: median(r.trues),
  };
};
const v = row('vigil');
const t = row('tini');
const nodeTrue = median(results.node.trues);
console.log(`# vigil vs tini as PID 1 (${orphans} orphans, median of ${rounds} rounds; \`INIT -- true\` median of ${TRUE_RUNS}; node ${process.version})`);
console.log('| init | reap: fixture ms | reap: wall ms | drain after last fork ms | peak zombies | `INIT -- true` wall ms |');
console.log('|---|---|---|---|---|---|');
console.log(`| vigil | ${f0(v.total)} | ${f0(v.wall)} | ${v.drain} | ${v.peak} | ${f0(v.trueMs)} |`);
console.log(`| tini | ${f0(t.total)} | ${f0(t.wall)} | ${t.drain} | ${t.peak} | ${f0(t.trueMs)} |`);
console.log(`| bare \`node -e 0\` | | | | | ${f0(nodeTrue)} |`);
console.log(`| vigil/tini | ${(v.total / t.total).toFixed(2)}x | ${(v.wall / t.wall).toFixed(2)}x | | | vigil - node: +${f0(v.trueMs - nodeTrue)} ms |`);
console.log('');
console.log('| idle (`INIT -- sleep 1000`) | RSS KiB, 1.5 s | RssAnon KiB, 1.5 s | RssAnon KiB, 15 s | threads |');
console.log('|---|---|---|---|---|');
for (const name of ['vigil', 'tini', 'node']) {
  const m = results[name].idle;
  console.log(`| ${name === 'node' ? "bare `node -e 'setInterval(()=>{},1e6)'`" : name} | ${m.rssKb} | ${m.anonKb} | ${m.lateAnonKb} | ${m.threads} |`);
}
const [vi, ni] = [results.vigil.idle, results.node.idle];
console.log(`| vigil - bare node | +${vi.rssKb - ni.rssKb} | +${vi.anonKb - ni.anonKb} | +${vi.lateAnonKb - ni.lateAnonKb} | |`);
