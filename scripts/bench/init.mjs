#!/usr/bin/env node
// Benchmark: vigil vs tini as PID 1 of a fresh PID namespace, side by side in
// one run. (1) time to reap 10,000 orphans and the peak number of zombies seen;
// (2) idle memory of `INIT -- sleep 1000`: total RSS and RssAnon.
// Usage: node scripts/bench/init.mjs [orphans] [rounds]
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const orphans = Number(process.argv[2] ?? 10000);
const rounds = Number(process.argv[3] ?? 3);
const storm = join(root, 'scripts/bench/orphan-storm.py');
const tini = execFileSync('sh', ['-c', 'command -v tini'], { encoding: 'utf8' }).trim();
const inits = {
  vigil: [process.execPath, join(root, 'dist/vigil.js'), '--'],
  tini: [tini, '-s', '--'],
};

function run(argv) {
  return new Promise((resolve, reject) => {
    const child = spawn('unshare', ['--pid', '--fork', '--mount-proc', ...argv], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${argv.join(' ')} exited ${code}`))));
  });
}

function status(pid) {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
  return { rssKb: kb('VmRSS'), anonKb: kb('RssAnon') };
}

async function idleMemory(argv) {
  const child = spawn('unshare', ['--pid', '--fork', '--mount-proc', ...argv, 'sleep', '1000'], { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  let initPid;
  while (!initPid && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    const children = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim();
    if (children) initPid = Number(children.split(' ')[0]);
  }
  await new Promise((r) => setTimeout(r, 1500)); // let it settle to idle
  const mem = status(initPid);
  process.kill(initPid, 'SIGKILL');
  await new Promise((r) => child.on('close', r));
  return mem;
}

const results = {};
for (const [name, argv] of Object.entries(inits)) results[name] = { reaps: [] };
for (let round = 0; round < rounds; round++) {
  for (const [name, argv] of Object.entries(inits)) {
    const out = await run([...argv, '/usr/bin/python3', storm, String(orphans)]);
    results[name].reaps.push(JSON.parse(out.trim().split('\n').pop()));
  }
}
for (const [name, argv] of Object.entries(inits)) results[name].memory = await idleMemory(argv);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const row = (name) => {
  const r = results[name];
  return {
    total: median(r.reaps.map((x) => x.total_ms)),
    drain: median(r.reaps.map((x) => x.drain_ms)),
    peak: Math.max(...r.reaps.map((x) => x.peak_zombies)),
    ...r.memory,
  };
};
const v = row('vigil');
const t = row('tini');
console.log(`# vigil vs tini as PID 1 (${orphans} orphans, median of ${rounds} rounds; node ${process.version})`);
console.log('| init | reap 10k orphans: total ms | drain after last fork ms | peak zombies | idle RSS KiB | idle RssAnon KiB |');
console.log('|---|---|---|---|---|---|');
console.log(`| vigil | ${v.total} | ${v.drain} | ${v.peak} | ${v.rssKb} | ${v.anonKb} |`);
console.log(`| tini | ${t.total} | ${t.drain} | ${t.peak} | ${t.rssKb} | ${t.anonKb} |`);
console.log(`| vigil/tini | ${(v.total / t.total).toFixed(2)}x | ${(v.drain / Math.max(t.drain, 0.1)).toFixed(1)}x | | ${(v.rssKb / t.rssKb).toFixed(0)}x | ${(v.anonKb / t.anonKb).toFixed(0)}x |`);
