#!/usr/bin/env node
// Benchmark: zombies seen at once while a busy config starts, vigil vs
// supervisord (Debian `supervisor`, nodaemon), each as PID 1 of a fresh PID
// namespace, same config, side by side in one run (rounds alternate the two).
//
// The config (all programs start at once, autostart):
//  - SLEEPERS programs `sleep 1000` (startsecs=0);
//  - FAST flappers that exit at once, autorestart=true, startsecs=0: restarted
//    as fast as the supervisor goes;
//  - SLOW flappers that exit at once, autorestart=true, startsecs=1: BACKOFF,
//    retried after 1, 2, 3 ... s (startretries=100);
//  - two orphan producers (50 orphans/s each, see below): double forks, the
//    grandchild exits at once and is re-parented to PID 1, which must reap it.
// Every flapper run appends one byte to a file and the producer writes its
// count, so the report shows that both inits ran the same workload.
//
// Sampling: from launch, for WINDOW seconds, every ~INTERVAL ms, the children
// of PID 1 (/proc/PID1/task/*/children) and the state of each
// (/proc/CHILD/stat); a zombie is a child of PID 1 in state Z (zombies further
// down, e.g. a program's own unreaped child, are not PID 1's to reap). Per
// run: the peak seen at once (and when), the median and p90 of the samples,
// split into orphans (comm sh) and programs' own exits (flappers, comm dash).
//
// Usage: node scripts/bench/zombies.mjs [rounds=3] [window s=10] [interval ms=3]
//        (VIGIL_JS=bundle to measure another build)
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { descendants, median, sleep, startPid1, vigilJs } from './lib.mjs';

const rounds = Number(process.argv[2] ?? 3);
const windowMs = Number(process.argv[3] ?? 10) * 1000;
const intervalMs = Number(process.argv[4] ?? 3);
const SLEEPERS = 31;
const FAST = 2;
const SLOW = 6;
const RATE = 100; // orphans per second, all producers together
const PRODUCERS = 2; // one serial producer can't reach 100/s on this VM
const PROGRAMS = SLEEPERS + FAST + SLOW + PRODUCERS;

// This sandbox sets it for its TLS proxy (40 ms and 1 MiB per node process);
// containers do not have it. Children inherit process.env.
delete process.env.NODE_EXTRA_CA_CERTS;

const dir = mkdtempSync(join(tmpdir(), 'vigil-zombies-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const producer = join(dir, 'orphans.py');
// Forks are slow on this VM (a double fork costs 15 ms from python, 7 ms from
// dash, 2-3 ms from a static C binary), so python only paces: every 10 ms it
// asks a dash loop (its child) for one orphan and waits for the ack; dash runs
// `(true &)`: the subshell exits, its background child is re-parented to PID 1
// (comm `sh`). Steady rate, never a burst to catch up after a stall (a burst
// would make the zombie count depend on how the producer was scheduled); the
// count of acks is written to a file.
writeFileSync(
  producer,
  `import os, subprocess, sys, time
rate, out = float(sys.argv[1]), sys.argv[2]
sh = subprocess.Popen(["/bin/sh", "-c", "while read x; do (true &); echo; done"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
start = time.monotonic()
nxt, n = start, 0
while True:
    sh.stdin.write(b"\\n")
    if sh.stdout.read(1) != b"\\n":
        sys.exit("orphan maker died")
    n += 1
    now = time.monotonic()
    os.pwrite(fd, (f"{n} {start:.6f} {now:.6f}".ljust(63) + "\\n").encode(), 0)
    nxt = max(nxt + 1 / rate, now)
    if nxt > now:
        time.sleep(nxt - now)
`,
);

function config(name) {
  writeFileSync(join(dir, `${name}.flaps`), '');
  let text = `[supervisord]\nnodaemon=true\nlogfile=${join(dir, name + '.log')}\npidfile=${join(dir, name + '.pid')}\nchildlogdir=${dir}\n`;
  text += `[unix_http_server]\nfile=${join(dir, name + '.sock')}\n[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n`;
  const common = 'stdout_logfile=NONE\nstderr_logfile=NONE\n';
  const flap = `command=/bin/dash -c "echo >> ${join(dir, name + '.flaps')}"\nautorestart=true\nstartretries=100\n${common}`;
  for (let i = 0; i < PRODUCERS; i++)
    text += `[program:orphans${i}]\ncommand=/usr/bin/python3 ${producer} ${RATE / PRODUCERS} ${join(dir, `${name}.orphans${i}`)}\nstartsecs=0\n${common}`;
  for (let i = 0; i < FAST; i++) text += `[program:fast${i}]\n${flap}startsecs=0\n`;
  for (let i = 0; i < SLOW; i++) text += `[program:slow${i}]\n${flap}startsecs=1\n`;
  for (let i = 0; i < SLEEPERS; i++) text += `[program:sleep${i}]\ncommand=sleep 1000\nstartsecs=0\n${common}`;
  const path = join(dir, `${name}.conf`);
  writeFileSync(path, text);
  return path;
}

const inits = {
  vigil: (conf) => [process.execPath, vigilJs, '-c', conf],
  supervisord: (conf) => ['/usr/bin/supervisord', '-n', '-c', conf],
};

// Reads a /proc file into a shared buffer: open/read/close is 13 us here,
// readFileSync 88 us (fstat, then reads until EOF).
const buf = Buffer.alloc(1 << 16);
function readProc(path) {
  const fd = openSync(path, 'r');
  try {
    return buf.latin1Slice(0, readSync(fd, buf, 0, buf.length, 0));
  } finally {
    closeSync(fd);
  }
}

function stat(pid) {
  let text;
  try {
    text = readProc(`/proc/${pid}/stat`);
  } catch {
    return undefined; // reaped meanwhile
  }
  const close = text.lastIndexOf(')');
  return { pid, comm: text.slice(text.indexOf('(') + 1, close), state: text[close + 2] };
}

// Children of pid (all its threads), with their stat; undefined once gone.
// The children file of each thread stays open (pread at 0 regenerates it). A
// child seen running `sleep` (1000 s) is re-read only every 64th call, so a
// sample costs a few reads rather than one per program (the sampler shares
// the 2 cores with the init under test).
const sleepers = new Map(); // pid -> stat
const taskFds = new Map(); // "pid/tid" -> fd
let calls = 0;
function closeTaskFds() {
  for (const fd of taskFds.values()) closeSync(fd);
  taskFds.clear();
}
function children(pid) {
  calls++;
  const out = [];
  let tids;
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  for (const tid of tids) {
    const key = `${pid}/${tid}`;
    let text;
    try {
      let fd = taskFds.get(key);
      if (fd === undefined) taskFds.set(key, (fd = openSync(`/proc/${pid}/task/${tid}/children`, 'r')));
      text = buf.latin1Slice(0, readSync(fd, buf, 0, buf.length, 0)).trim();
    } catch {
      const fd = taskFds.get(key);
      if (fd !== undefined) (closeSync(fd), taskFds.delete(key));
      continue; // thread gone
    }
    if (!text) continue;
    for (const c of text.split(' ')) {
      const known = sleepers.get(Number(c));
      if (known && calls % 64) {
        out.push(known);
        continue;
      }
      const s = stat(Number(c));
      if (!s) continue;
      if (s.comm === 'sleep' && s.state !== 'Z') sleepers.set(s.pid, s);
      else sleepers.delete(s.pid);
      out.push(s);
    }
  }
  return out;
}

const monoMs = () => Number(process.hrtime.bigint()) / 1e6;

function pct(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(p * s.length) - 1)];
}

async function withDeadline(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function measure(name) {
  sleepers.clear();
  const conf = config(name);
  const launched = monoMs();
  const run = startPid1(inits[name](conf));
  let pid1;
  try {
    pid1 = await run.pid1();
    const samples = []; // [ms since launch, zombies, orphan zombies]
    const seen = new Set(); // distinct zombie pids
    let peak = { total: -1 };
    const cpu0 = process.cpuUsage();
    while (monoMs() - launched < windowMs) {
      const kids = children(pid1);
      if (!kids) throw new Error(`${name}: PID 1 (${pid1}) died during the window`);
      let total = 0;
      let orphans = 0;
      for (const k of kids) {
        if (k.state !== 'Z') continue;
        total++;
        if (k.comm === 'sh') orphans++; // flappers are `dash`
        seen.add(k.pid);
      }
      const at = monoMs() - launched;
      samples.push([at, total, orphans]);
      if (total > peak.total) peak = { total, orphans, at };
      await sleep(intervalMs);
    }
    const cpu = process.cpuUsage(cpu0);
    // Same workload? Programs alive at the end, orphans made, flapper runs.
    calls = 0; // re-read every child
    const kids = children(pid1) ?? [];
    const sleeping = kids.filter((k) => k.comm === 'sleep' && k.state !== 'Z').length;
    const producersAlive = kids.filter((k) => k.comm === 'python3' && k.state !== 'Z').length;
    let made = 0;
    let pStart = Infinity;
    let pLast = 0;
    for (let i = 0; i < PRODUCERS; i++) {
      const text = readFileSync(join(dir, `${name}.orphans${i}`), 'latin1').trim();
      if (!text) throw new Error(`${name}: producer ${i} made no orphan`);
      const [n, first, last] = text.split(/\s+/).map(Number);
      made += n;
      pStart = Math.min(pStart, first * 1000 - launched);
      pLast = Math.max(pLast, last * 1000 - launched);
    }
    // Median and p90 over the busy part: from the first orphan on (the
    // samples before it only measure how fast the init starts).
    const busy = samples.filter((x) => x[0] >= pStart).map((x) => x[1]);
    const flaps = statSync(join(dir, `${name}.flaps`)).size;
    const span = samples.at(-1)[0] - samples[0][0];
    return {
      name,
      samples: samples.length,
      meanIntervalMs: span / (samples.length - 1),
      samplerCpuPct: ((cpu.user + cpu.system) / 1000 / span) * 100,
      peak: peak.total,
      peakOrphans: peak.orphans,
      peakAt: peak.at,
      peakOrphansAny: Math.max(...samples.map((s) => s[2])),
      peakProgramsAny: Math.max(...samples.map((s) => s[1] - s[2])),
      median: median(busy),
      p90: pct(busy, 0.9),
      busySamples: busy.length,
      distinct: seen.size,
      orphansMade: made,
      producerFirstMs: pStart,
      producerLastMs: pLast,
      orphanRate: made / ((pLast - pStart) / 1000),
      producersAlive,
      flaps,
      sleeping,
    };
  } finally {
    closeTaskFds();
    // Clean up: SIGKILL the namespace's PID 1 (the kernel then kills every
    // process of the namespace), wait for unshare to exit, check nothing is left.
    if (pid1) {
      try {
        process.kill(pid1, 'SIGKILL');
      } catch {}
    }
    try {
      await withDeadline(run.exited, 10_000, `${name}: unshare (pid ${run.child.pid}) to exit after SIGKILL of PID 1 (${pid1})`);
    } catch (err) {
      console.error(err.message, '- killing unshare by pid');
      try {
        process.kill(run.child.pid, 'SIGKILL');
      } catch {}
      await withDeadline(run.exited, 5_000, `${name}: unshare (pid ${run.child.pid}) after SIGKILL`);
    }
    // PID 1's death makes the kernel kill the whole namespace; unshare has
    // reaped PID 1, so nothing of the run may be left.
    const left = descendants(run.child.pid);
    if (existsSync(`/proc/${pid1}`) || left.length) throw new Error(`${name}: left after cleanup: PID 1 ${pid1}, ${left.map((e) => e.pid).join(' ')}`);
  }
}

const results = { vigil: [], supervisord: [] };
const order = Object.keys(inits);
for (let r = 0; r < rounds; r++) {
  // Alternate which init goes first, so load drift hits both alike.
  for (const name of r % 2 ? [...order].reverse() : order) {
    const res = await measure(name);
    results[name].push(res);
    console.error(`round ${r + 1} ${name}: peak ${res.peak}, median ${res.median}, p90 ${res.p90}, ${res.samples} samples`);
    await sleep(500);
  }
}

const f1 = (x) => x.toFixed(1);
const f0 = (x) => x.toFixed(0);
console.log(
  `# zombies at once while a busy config starts: ${PROGRAMS} programs (${SLEEPERS} sleep, ${FAST} flapping startsecs=0, ${SLOW} flapping startsecs=1, ` +
    `${PRODUCERS} producers of ${RATE / PRODUCERS} orphans/s); first ${windowMs / 1000} s after launch, sampled every ~${intervalMs} ms ` +
    `(peak: whole window; median/p90: "busy" samples, from the first orphan on); ${rounds} rounds alternating; ` +
    `node ${process.version}, supervisord 4.2.5, vigil ${vigilJs}`,
);
console.log('');
console.log('| round | init | peak at once (of which orphans) | peak at ms | median (busy) | p90 (busy) | peak orphan Z / program Z | distinct zombies seen | orphans made (rate, first-last) | flapper runs | sleep running at end | samples, busy (mean interval ms, sampler CPU %) |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
for (let r = 0; r < rounds; r++) {
  for (const name of order) {
    const x = results[name][r];
    console.log(
      `| ${r + 1} | ${name} | ${x.peak} (${x.peakOrphans}) | ${f0(x.peakAt)} | ${x.median} | ${x.p90} | ${x.peakOrphansAny} / ${x.peakProgramsAny} | ${x.distinct} | ` +
        `${x.orphansMade} (${f0(x.orphanRate)}/s, ${f0(x.producerFirstMs)}-${f0(x.producerLastMs)} ms)${x.producersAlive === PRODUCERS ? '' : ' PRODUCER DEAD'} | ${x.flaps} | ${x.sleeping}/${SLEEPERS} | ${x.samples}, ${x.busySamples} busy (${f1(x.meanIntervalMs)}, ${f0(x.samplerCpuPct)}) |`,
    );
  }
}
console.log('');
console.log(`| init | peak at once: median [rounds] | median of busy samples: median [rounds] | p90 of busy samples: median [rounds] | orphans made: median | flapper runs: median |`);
console.log('|---|---|---|---|---|---|');
for (const name of order) {
  const xs = results[name];
  const col = (f) => `${median(xs.map((x) => x[f]))} [${xs.map((x) => x[f]).join(', ')}]`;
  console.log(`| ${name} | ${col('peak')} | ${col('median')} | ${col('p90')} | ${median(xs.map((x) => x.orphansMade))} | ${median(xs.map((x) => x.flaps))} |`);
}
const v = median(results.vigil.map((x) => x.peak));
const s = median(results.supervisord.map((x) => x.peak));
console.log('');
console.log(`goal (vigil's peak <= supervisord's, medians): ${v} vs ${s}: ${v <= s ? 'met' : 'not met'}`);
console.log('');
