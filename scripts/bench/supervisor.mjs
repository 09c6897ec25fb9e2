#!/usr/bin/env node
// Benchmark: vigil vs supervisord (Debian `supervisor`, nodaemon) on the same
// config of N `sleep` programs with startsecs=0, each as PID 1 of a fresh PID
// namespace, side by side in one run:
//  - time from launch until all N programs are spawned (N = 10, 100);
//  - RSS and RssAnon 1 s after the spawns, and idle 15 s after launch (N = 10, 100);
//  - time from SIGTERM to exit (N = 100; programs exit at once on TERM).
// Usage: node scripts/bench/supervisor.mjs [rounds]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childCount, threadCount, median, memory, poll, sleep, startPid1, vigilJs } from './lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const rounds = Number(process.argv[2] ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-'));

function config(n, name) {
  let text = `[supervisord]\nnodaemon=true\nlogfile=${join(dir, name + '.log')}\npidfile=${join(dir, name + '.pid')}\nchildlogdir=${dir}\n`;
  text += `[unix_http_server]\nfile=${join(dir, name + '.sock')}\n[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n`;
  for (let i = 0; i < n; i++) text += `[program:p${i}]\ncommand=sleep 1000\nstartsecs=0\nstdout_logfile=NONE\nstderr_logfile=NONE\n`;
  const path = join(dir, `${name}-${n}.conf`);
  writeFileSync(path, text);
  return path;
}

const IDLE_AFTER_MS = 15_000;

const peers = {
  vigil: (conf) => [process.execPath, vigilJs, '-c', conf],
  supervisord: (conf) => ['/usr/bin/python3', '/usr/bin/supervisord', '-n', '-c', conf],
};

async function measure(name, n) {
  const started = performance.now();
  const run = startPid1(peers[name](config(n, name)));
  const pid1 = await run.pid1();
  await poll(() => childCount(pid1) >= n, 120_000, `${name}: ${n} programs`);
  const spawnMs = performance.now() - started;
  await sleep(1000);
  const mem = memory(pid1);
  const threads = threadCount(pid1);
  // Idle: the same moment after launch for both. V8 returns the young
  // generation it grew during start-up about 8 s after start (its memory
  // reducer), so a reading 1 s after the spawns shows start-up's peak.
  await sleep(Math.max(0, IDLE_AFTER_MS - (performance.now() - started)));
  const idle = memory(pid1);
  const stopStart = performance.now();
  process.kill(pid1, 'SIGTERM');
  await run.exited;
  const stopMs = performance.now() - stopStart;
  return { spawnMs, stopMs, threads, ...mem, idleRssKb: idle.rssKb, idleAnonKb: idle.anonKb };
}

const results = {};
for (let r = 0; r < rounds; r++) {
  for (const n of [10, 100]) {
    for (const name of Object.keys(peers)) {
      const key = `${name}:${n}`;
      (results[key] ??= []).push(await measure(name, n));
    }
  }
}
const pick = (name, n, field) => median(results[`${name}:${n}`].map((x) => x[field]));
const fmt = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
console.log(`# vigil vs supervisord ${'4.2.5'} (median of ${rounds} rounds; node ${process.version})`);
console.log('| measure | vigil | supervisord | supervisord / vigil |');
console.log('|---|---|---|---|');
for (const n of [10, 100]) {
  const v = pick('vigil', n, 'spawnMs');
  const s = pick('supervisord', n, 'spawnMs');
  console.log(`| launch -> all ${n} spawned (ms) | ${fmt(v)} | ${fmt(s)} | ${(s / v).toFixed(1)}x |`);
}
for (const n of [10, 100]) {
  for (const [field, label] of [['rssKb', 'RSS 1 s after the spawns'], ['anonKb', 'RssAnon 1 s after the spawns'], ['idleRssKb', `RSS idle, ${IDLE_AFTER_MS / 1000} s after launch`], ['idleAnonKb', `RssAnon idle, ${IDLE_AFTER_MS / 1000} s after launch`]]) {
    const v = pick('vigil', n, field);
    const s = pick('supervisord', n, field);
    console.log(`| ${label}, ${n} programs (KiB) | ${v} | ${s} | ${(s / v).toFixed(2)}x (vigil / supervisord ${(v / s).toFixed(2)}x) |`);
  }
}
for (const n of [10, 100]) {
  console.log(`| threads, idle with ${n} programs | ${pick('vigil', n, 'threads')} | ${pick('supervisord', n, 'threads')} | |`);
}
const vStop = pick('vigil', 100, 'stopMs');
const sStop = pick('supervisord', 100, 'stopMs');
console.log(`| SIGTERM -> exit with 100 programs (ms) | ${fmt(vStop)} | ${fmt(sStop)} | ${(sStop / vStop).toFixed(1)}x |`);
rmSync(dir, { recursive: true, force: true });
