// `vigil ctl` and the control socket against a live vigil running as PID 1:
// every command with supervisorctl's output and exit codes, tail -f, the
// socket's mode, stale sockets and a second instance, TCP with basic auth, and
// bad clients (malformed HTTP, bad JSON, oversized bodies, silent clients, a
// connection storm) that must not disturb supervision or leak descriptors.
import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { get } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempDir, writeConfig } from '../helpers/config.ts';
import { FIXTURES, VIGIL, startVigil } from '../helpers/vigil.ts';
import type { VigilRun } from '../helpers/vigil.ts';
import { freePort } from '../helpers/net.ts';
import { waitFor } from '../helpers/wait.ts';

const TICKER = join(FIXTURES, 'ctl-ticker.sh');

interface CtlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

// Runs `vigil ctl ARGS` to completion (killed after 15 s).
function ctlRaw(args: string[]): Promise<CtlResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [VIGIL, 'ctl', ...args], { timeout: 15_000, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ code, stdout, stderr });
    });
  });
}

const ctl = (config: string, ...args: string[]): Promise<CtlResult> => ctlRaw(['-c', config, ...args]);
const show = (result: CtlResult): string => `exit ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`;

// supervisorctl's status template: '%(namespec)-' + (max(30, longest) + 3) + 's%(state)-10s%(desc)s'.
interface StatusLine {
  name: string;
  state: string;
  desc: string;
}
function parseStatus(stdout: string): Map<string, StatusLine> {
  const lines = stdout.split('\n').filter((line) => line !== '');
  const width = Math.max(30, ...lines.map((line) => line.split(' ')[0]?.length ?? 0)) + 3;
  const result = new Map<string, StatusLine>();
  for (const line of lines) {
    const name = line.slice(0, width).trimEnd();
    const state = line.slice(width, width + 10).trimEnd();
    const desc = line.slice(width + 10);
    assert.equal(line, name.padEnd(width) + state.padEnd(10) + desc, `status line not in supervisorctl's format: ${JSON.stringify(line)}`);
    result.set(name, { name, state, desc });
  }
  return result;
}

function fdCount(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

// The fd count once it has stayed the same for 1 s (a closing connection
// is released asynchronously).
async function settledFdCount(pid: number): Promise<number> {
  let last = fdCount(pid);
  let since = Date.now();
  return waitFor(
    () => {
      const now = fdCount(pid);
      if (now !== last) [last, since] = [now, Date.now()];
      return Date.now() - since >= 1000 ? now : undefined;
    },
    { timeoutMs: 15_000, intervalMs: 50, message: () => `vigil's fd count never settled (last ${last})` },
  );
}

async function waitForStatus(config: string, args: string[], check: (result: CtlResult) => boolean, message: string): Promise<CtlResult> {
  let last: CtlResult | undefined;
  return waitFor(
    async () => {
      last = await ctl(config, 'status', ...args);
      return check(last) ? last : undefined;
    },
    { timeoutMs: 15_000, intervalMs: 100, message: () => `${message}; last status: ${last ? show(last) : 'none'}` },
  );
}

// Clients started by tests (tail -f); killed by pid at the end whatever happened.
const clients = new Set<ChildProcess>();
after(() => {
  for (const child of clients) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

const MAIN_CONFIG = `
[program:web]
command=${TICKER}
process_name=%(program_name)s_%(process_num)02d
numprocs=2
startsecs=0
[program:crashy]
command=sh -c 'echo dying >&2; exit 3'
startsecs=1
startretries=0
[program:idle]
command=sleep 1000
autostart=false
startsecs=0
`;

describe('ctl: commands against a live vigil', () => {
  let config: string;
  let run: VigilRun;

  before(async () => {
    config = writeConfig(MAIN_CONFIG);
    run = startVigil(['-c', config]);
    await waitForStatus(config, [], (r) => /crashy +FATAL/.test(r.stdout) && /web:web_01 +RUNNING/.test(r.stdout), 'programs never settled');
  });
  after(() => run.kill());

  it('status: supervisorctl lines, exit 3 when any listed is not running', async () => {
    const result = await ctl(config, 'status');
    assert.equal(result.code, 3, show(result));
    const lines = parseStatus(result.stdout);
    assert.deepEqual([...lines.keys()], ['crashy', 'idle', 'web:web_00', 'web:web_01']);
    assert.match(result.stdout.split('\n')[0] as string, /^crashy {27}FATAL {5}/); // name column 33 wide
    assert.deepEqual(lines.get('crashy'), { name: 'crashy', state: 'FATAL', desc: 'Exited too quickly (exit status 3; stderr: "dying")' });
    assert.deepEqual(lines.get('idle'), { name: 'idle', state: 'STOPPED', desc: 'Not started' });
    assert.match(lines.get('web:web_00')?.desc ?? '', /^pid \d+, uptime 0:00:0\d$/);
    assert.equal(result.stderr, '');
  });

  it('status NAME / group:* exit 0 when all listed are running; 3 with one that is not; 4 for an unknown name', async () => {
    const group = await ctl(config, 'status', 'web:*');
    assert.equal(group.code, 0, show(group));
    assert.deepEqual([...parseStatus(group.stdout).keys()], ['web:web_00', 'web:web_01']);
    const one = await ctl(config, 'status', 'web:web_01');
    assert.equal(one.code, 0, show(one));
    assert.deepEqual([...parseStatus(one.stdout).keys()], ['web:web_01']);
    const mixed = await ctl(config, 'status', 'web:web_00', 'idle');
    assert.equal(mixed.code, 3, show(mixed));
    const unknown = await ctl(config, 'status', 'nope');
    assert.equal(unknown.code, 4, show(unknown));
    assert.equal(unknown.stdout, 'nope: ERROR (no such process)\n');
    const partly = await ctl(config, 'status', 'web:web_00', 'nope');
    assert.equal(partly.code, 4, show(partly));
    assert.match(partly.stdout, /^web:web_00 +RUNNING +pid \d+/m);
    assert.match(partly.stdout, /^nope: ERROR \(no such process\)$/m);
  });

  it('--json status prints the same information as JSON, with the same exit codes', async () => {
    const all = await ctl(config, '--json', 'status');
    assert.equal(all.code, 3, show(all));
    const body = JSON.parse(all.stdout) as { processes: { name: string; group: string; statename: string; pid: number; description: string }[] };
    const byName = new Map(body.processes.map((p) => [`${p.group}:${p.name}`, p]));
    assert.equal(byName.get('crashy:crashy')?.statename, 'FATAL');
    assert.equal(byName.get('crashy:crashy')?.description, 'Exited too quickly (exit status 3; stderr: "dying")');
    assert.equal(byName.get('idle:idle')?.statename, 'STOPPED');
    assert.equal(byName.get('web:web_00')?.statename, 'RUNNING');
    assert.ok((byName.get('web:web_00')?.pid ?? 0) > 1);
    const group = await ctl(config, '--json', 'status', 'web:*');
    assert.equal(group.code, 0, show(group));
    const unknown = await ctl(config, '--json', 'status', 'nope');
    assert.equal(unknown.code, 4, show(unknown));
    assert.match(unknown.stdout, /BAD_NAME/);
  });

  it('start: "NAME: started", already started (exit 0), spawn error (exit 7), unknown name (exit 1)', async () => {
    const started = await ctl(config, 'start', 'idle');
    assert.equal(started.code, 0, show(started));
    assert.equal(started.stdout, 'idle: started\n');
    const again = await ctl(config, 'start', 'idle');
    assert.equal(again.code, 0, show(again));
    assert.equal(again.stdout, 'idle: ERROR (already started)\n');
    const crashy = await ctl(config, 'start', 'crashy');
    assert.equal(crashy.code, 7, show(crashy));
    assert.equal(crashy.stdout, 'crashy: ERROR (spawn error)\n');
    const unknown = await ctl(config, 'start', 'nope');
    assert.equal(unknown.code, 1, show(unknown));
    assert.equal(unknown.stdout, 'nope: ERROR (no such process)\n');
  });

  it('stop: "NAME: stopped", not running (exit 0 like supervisorctl), then status says STOPPED', async () => {
    const stopped = await ctl(config, 'stop', 'idle');
    assert.equal(stopped.code, 0, show(stopped));
    assert.equal(stopped.stdout, 'idle: stopped\n');
    const again = await ctl(config, 'stop', 'idle');
    assert.equal(again.code, 0, show(again));
    assert.equal(again.stdout, 'idle: ERROR (not running)\n');
    const status = await ctl(config, 'status', 'idle');
    assert.equal(status.code, 3, show(status));
    assert.equal(parseStatus(status.stdout).get('idle')?.state, 'STOPPED');
  });

  it('restart group:* stops then starts every process with new pids', async () => {
    const before = parseStatus((await ctl(config, 'status', 'web:*')).stdout);
    const result = await ctl(config, 'restart', 'web:*');
    assert.equal(result.code, 0, show(result));
    assert.deepEqual(result.stdout.split('\n').filter(Boolean).sort(), [
      'web:web_00: started', 'web:web_00: stopped', 'web:web_01: started', 'web:web_01: stopped',
    ]);
    const after = parseStatus((await ctl(config, 'status', 'web:*')).stdout);
    for (const name of ['web:web_00', 'web:web_01']) {
      assert.equal(after.get(name)?.state, 'RUNNING');
      assert.notEqual(after.get(name)?.desc.split(',')[0], before.get(name)?.desc.split(',')[0], `${name} kept its pid`);
    }
  });

  it('signal USR1 reaches the program (its trap prints), not-running and bad signal fail', async () => {
    const pid = (await ctl(config, 'pid', 'web:web_00')).stdout.trim();
    assert.match(pid, /^\d+$/);
    const result = await ctl(config, 'signal', 'USR1', 'web:web_00');
    assert.equal(result.code, 0, show(result));
    assert.equal(result.stdout, 'web:web_00: signalled\n');
    await run.waitForStdout(`web_00 | got USR1 in ${pid}`);
    const tail = await ctl(config, 'tail', 'web:web_00');
    assert.match(tail.stdout, new RegExp(`got USR1 in ${pid}`));
    const stopped = await ctl(config, 'signal', 'USR1', 'idle');
    assert.equal(stopped.code, 7, show(stopped));
    assert.equal(stopped.stdout, 'idle: ERROR (not running)\n');
    const bad = await ctl(config, 'signal', 'NOPE', 'web:web_00');
    assert.equal(bad.code, 1, show(bad));
    assert.match(bad.stdout, /ERROR \(bad signal name\)/);
  });

  it("pid: vigil's (1 as PID 1), a program's, all", async () => {
    const own = await ctl(config, 'pid');
    assert.equal(own.code, 0, show(own));
    assert.equal(own.stdout, '1\n');
    const status = parseStatus((await ctl(config, 'status', 'web:web_01')).stdout);
    const expected = /^pid (\d+),/.exec(status.get('web:web_01')?.desc ?? '')?.[1];
    const one = await ctl(config, 'pid', 'web:web_01');
    assert.equal(one.code, 0, show(one));
    assert.equal(one.stdout.trim(), expected);
    const all = await ctl(config, 'pid', 'all');
    assert.equal(all.stdout.split('\n').filter(Boolean).length, 4, show(all));
    assert.ok(all.stdout.split('\n').includes(expected as string), show(all));
    const notRunning = await ctl(config, 'pid', 'idle');
    assert.equal(notRunning.code, 7, show(notRunning));
    assert.equal(notRunning.stdout, '0\n');
    const unknown = await ctl(config, 'pid', 'nope');
    assert.equal(unknown.code, 1, show(unknown));
    assert.equal(unknown.stdout, 'No such process nope\n');
  });

  it('tail: the last bytes of stdout, -BYTES, the stderr channel, unknown name', async () => {
    await run.waitForStdout('web_00 | tick 12');
    const last = await ctl(config, 'tail', 'web:web_00');
    assert.equal(last.code, 0, show(last));
    assert.match(last.stdout, /tick \d+\n/);
    // 1600 bytes of output and the newline ctl.output() adds (see below).
    assert.ok(Buffer.byteLength(last.stdout) <= 1601, show(last));
    const short = await ctl(config, 'tail', '-12', 'web:web_00');
    assert.equal(short.code, 0, show(short));
    // supervisorctl prints the bytes with ctl.output(), which adds a newline.
    assert.ok(Buffer.byteLength(short.stdout) <= 13, show(short));
    assert.match(short.stdout, /\n\n$/);
    const stderr = await ctl(config, 'tail', 'web:web_00', 'stderr');
    assert.equal(stderr.code, 0, show(stderr));
    assert.match(stderr.stdout, /err \d+\n/);
    assert.doesNotMatch(stderr.stdout, /tick/);
    const crashy = await ctl(config, 'tail', 'crashy', 'stderr');
    assert.match(crashy.stdout, /dying/);
    const unknown = await ctl(config, 'tail', 'nope');
    assert.equal(unknown.code, 1, show(unknown));
    assert.equal(unknown.stdout, 'nope: ERROR (no such process name)\n');
  });

  it('tail -f follows live output until the client is killed', async () => {
    const child = spawn(process.execPath, [VIGIL, 'ctl', '-c', config, 'tail', '-f', 'web:web_01'], { stdio: ['ignore', 'pipe', 'pipe'] });
    clients.add(child);
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
    const closed = new Promise((resolve) => child.on('close', resolve));
    const ticks = (): number[] => [...out.matchAll(/tick (\d+)/g)].map((m) => Number(m[1]));
    const first = await waitFor(() => ticks()[0], { timeoutMs: 10_000, message: () => `tail -f printed no tick: ${out}` });
    // New lines keep arriving after the first chunk: the stream is live.
    await waitFor(() => ticks().some((n) => n >= first + 5), { timeoutMs: 10_000, message: () => `tail -f stopped at: ${out.slice(-200)}` });
    assert.equal(child.exitCode, null, 'tail -f exited by itself');
    child.kill('SIGTERM');
    await waitFor(() => child.exitCode !== null || child.signalCode !== null, { timeoutMs: 5_000, message: 'tail -f client did not die' });
    await closed;
    const status = await ctl(config, 'status', 'web:*');
    assert.equal(status.code, 0, show(status));
  });

  it('clear NAME empties its ring; clear all', async () => {
    await run.waitForStdout('web_00 | tick 20');
    const before = await ctl(config, 'tail', 'web:web_00');
    // The ring outlives restarts, so it may hold higher numbers of an earlier
    // process: compare with the last line, which is the current process's.
    const maxBefore = Number([...before.stdout.matchAll(/tick (\d+)/g)].pop()?.[1]);
    const cleared = await ctl(config, 'clear', 'web:web_00');
    assert.equal(cleared.code, 0, show(cleared));
    assert.equal(cleared.stdout, 'web:web_00: cleared\n');
    const afterClear = await ctl(config, 'tail', 'web:web_00');
    const ticks = [...afterClear.stdout.matchAll(/tick (\d+)/g)].map((m) => Number(m[1]));
    assert.ok(ticks.every((n) => n > maxBefore), `old output survived clear (last before ${maxBefore}): ${afterClear.stdout}`);
    const all = await ctl(config, 'clear', 'all');
    assert.equal(all.code, 0, show(all));
    assert.deepEqual(all.stdout.split('\n').filter(Boolean).sort(), ['crashy: cleared', 'idle: cleared', 'web:web_00: cleared', 'web:web_01: cleared']);
  });

  it('avail, version, help and unknown commands', async () => {
    const avail = await ctl(config, 'avail');
    assert.equal(avail.code, 0, show(avail));
    assert.match(avail.stdout, /^idle +in use +manual +999:999$/m);
    assert.match(avail.stdout, /^web:web_00 +in use +auto +999:999$/m);
    const version = await ctl(config, 'version');
    assert.equal(version.code, 0, show(version));
    assert.equal(version.stdout, '0.1.0\n');
    const unknown = await ctl(config, 'frobnicate');
    assert.equal(unknown.code, 1, show(unknown));
    assert.equal(unknown.stdout, '*** Unknown syntax: frobnicate\n');
  });

  it('finds the socket through the daemon config lookup ($VIGIL_CONFIG) with no -c', async () => {
    const result = await new Promise<CtlResult>((resolve) => {
      execFile(process.execPath, [VIGIL, 'ctl', 'status', 'web:*'], { timeout: 15_000, env: { ...process.env, VIGIL_CONFIG: config } }, (error, stdout, stderr) =>
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr }),
      );
    });
    assert.equal(result.code, 0, show(result));
    assert.equal(parseStatus(result.stdout).size, 2);
  });
});

describe('ctl: reread, update, reload, shutdown', () => {
  it('reread lists added/changed/removed; update applies them; status widens the name column', async () => {
    const dir = tempDir();
    const config = writeConfig(`
[program:alpha]
command=sleep 1000
startsecs=0
[program:beta]
command=sleep 1000
startsecs=0
`, dir);
    const run = startVigil(['-c', config]);
    await waitForStatus(config, [], (r) => r.code === 0 && r.stdout.split('\n').filter(Boolean).length === 2, 'alpha and beta never ran');
    const long = 'a_program_with_a_rather_long_name_x'; // 35 characters: the column becomes 38
    writeConfig(`
[program:beta]
command=sleep 999
startsecs=0
[program:${long}]
command=sleep 1000
startsecs=0
`, dir);
    const reread = await ctl(config, 'reread');
    assert.equal(reread.code, 0, show(reread));
    assert.equal(reread.stdout, `${long}: available\nalpha: disappeared\nbeta: changed\n`);
    // reread alone changes nothing that runs.
    assert.equal((await ctl(config, 'status')).stdout.split('\n').filter(Boolean).length, 2);
    const update = await ctl(config, 'update');
    assert.equal(update.code, 0, show(update));
    assert.deepEqual(update.stdout.split('\n').filter(Boolean), [
      'alpha: stopped', 'alpha: removed process group', 'beta: stopped', 'beta: updated process group', `${long}: added process group`,
    ]);
    const status = await waitForStatus(config, [], (r) => r.code === 0, 'the updated programs never ran');
    assert.deepEqual([...parseStatus(status.stdout).keys()], [long, 'beta']);
    assert.match(status.stdout, new RegExp(`^${long} {3}RUNNING {3}pid`, 'm'));
    const nothing = await ctl(config, 'reread');
    assert.equal(nothing.stdout, 'No config updates to processes\n');
    await run.signal('SIGTERM');
    assert.equal((await run.waitExit()).code, 0, run.stderr());
  });

  it('reread reports a broken config from the server; ctl still reaches the daemon', async () => {
    const dir = tempDir();
    const config = writeConfig('[program:alpha]\ncommand=sleep 1000\nstartsecs=0\n', dir);
    const run = startVigil(['-c', config]);
    await waitForStatus(config, [], (r) => r.code === 0, 'alpha never ran');
    writeConfig('[program:alpha]\ncommand=sleep 1000\nstartsecs=zero\n', dir);
    const reread = await ctl(config, 'reread');
    assert.equal(reread.code, 1, show(reread));
    assert.match(reread.stdout, /^ERROR: CANT_REREAD: [^]*\[program:alpha\] startsecs: 'zero' is not an integer/);
    await run.signal('SIGTERM');
    assert.equal((await run.waitExit()).code, 0, run.stderr());
  });

  it('reload restarts every program; shutdown makes vigil exit 0', async () => {
    const config = writeConfig('[program:alpha]\ncommand=sleep 1000\nstartsecs=0\n');
    const run = startVigil(['-c', config]);
    const first = await waitForStatus(config, [], (r) => r.code === 0, 'alpha never ran');
    const reload = await ctl(config, 'reload');
    assert.equal(reload.code, 0, show(reload));
    assert.equal(reload.stdout, 'Restarted supervisord\n');
    const pidOf = (r: CtlResult): string | undefined => /pid (\d+)/.exec(r.stdout)?.[1];
    await waitForStatus(config, [], (r) => r.code === 0 && pidOf(r) !== pidOf(first), 'alpha never came back after reload');
    const shutdown = await ctl(config, 'shutdown');
    assert.equal(shutdown.code, 0, show(shutdown));
    assert.equal(shutdown.stdout, 'Shut down\n');
    assert.equal((await run.waitExit()).code, 0, run.stderr());
    const gone = await ctl(config, 'status');
    assert.equal(gone.code, 4, show(gone));
  });
});

describe('ctl: the socket', () => {
  const programs = '[program:alpha]\ncommand=sleep 1000\nstartsecs=0\n';

  it('is mode 0700 by default and follows chmod=', async () => {
    const dir = tempDir();
    const config = writeConfig(programs, dir);
    const run = startVigil(['-c', config]);
    await waitForStatus(config, [], (r) => r.code === 0, 'alpha never ran');
    assert.equal(statSync(join(dir, 'vigil.sock')).mode & 0o777, 0o700);
    const dir2 = tempDir();
    const config2 = writeConfig(`[unix_http_server]\nfile=${join(dir2, 'vigil.sock')}\nchmod=0760\n${programs}`, dir2);
    const run2 = startVigil(['-c', config2]);
    await waitForStatus(config2, [], (r) => r.code === 0, 'alpha never ran (chmod=0760)');
    assert.equal(statSync(join(dir2, 'vigil.sock')).mode & 0o777, 0o760);
    run.kill();
    run2.kill();
  });

  it('a stale socket file (nobody listening) is replaced at start', async () => {
    const dir = tempDir();
    const socket = join(dir, 'vigil.sock');
    // A socket bound and abandoned without unlink, as after a crash.
    const made = spawnSync('python3', ['-c', `import socket; s = socket.socket(socket.AF_UNIX); s.bind(${JSON.stringify(socket)})`]);
    assert.equal(made.status, 0, made.stderr.toString());
    assert.ok(statSync(socket).isSocket());
    const config = writeConfig(programs, dir);
    const run = startVigil(['-c', config]);
    const status = await waitForStatus(config, [], (r) => r.code === 0, 'vigil never answered on the stale socket path');
    assert.match(status.stdout, /^alpha +RUNNING/m);
    run.kill();
  });

  it('a second vigil on the same socket refuses to start, and the first carries on', async () => {
    const config = writeConfig(programs);
    const first = startVigil(['-c', config]);
    await waitForStatus(config, [], (r) => r.code === 0, 'alpha never ran');
    const second = startVigil(['-c', config]);
    const exit = await second.waitExit();
    assert.notEqual(exit.code, 0, second.stderr());
    assert.match(second.stderr(), /another vigil is already listening on \S+vigil\.sock \(pid 1\)/);
    const status = await ctl(config, 'status');
    assert.equal(status.code, 0, show(status));
    first.kill();
  });
});

function httpGet(url: string, auth?: string): Promise<{ status: number | undefined; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = get(url, { ...(auth !== undefined ? { auth } : {}), timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (text: string) => (body += text));
      res.on('end', () => resolve({ status: res.statusCode, body, headers: res.headers }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
  });
}

describe('ctl: [inet_http_server]', () => {
  it('basic auth: right credentials work, wrong ones get 401 with no detail', async () => {
    const port = await freePort();
    const config = writeConfig(`
[inet_http_server]
port=127.0.0.1:${port}
username=admin
password={SHA}${createHash('sha1').update('s3cret').digest('hex')}
[program:alpha]
command=sleep 1000
startsecs=0
`);
    const run = startVigil(['-c', config]);
    await waitForStatus(config, [], (r) => r.code === 0, 'alpha never ran (unix socket)');
    const url = `http://127.0.0.1:${port}`;
    const good = await ctlRaw(['-s', url, '-u', 'admin', '-p', 's3cret', 'status']);
    assert.equal(good.code, 0, show(good));
    assert.match(good.stdout, /^alpha +RUNNING/m);
    const wrong = await ctlRaw(['-s', url, '-u', 'admin', '-p', 'nope', 'status']);
    assert.notEqual(wrong.code, 0, show(wrong));
    assert.match(wrong.stdout, /Server requires authentication/);
    for (const auth of ['admin:nope', 'root:s3cret', undefined]) {
      const reply = await httpGet(`${url}/status`, auth);
      assert.equal(reply.status, 401, `auth ${auth}: ${reply.body}`);
      assert.deepEqual(JSON.parse(reply.body), { error: { fault: 'UNAUTHORIZED', message: 'unauthorized' } });
    }
    assert.ok(!run.stderr().includes('s3cret'), 'the password reached the log');
    run.kill();
  });

  it('serves a non-loopback address without credentials on loopback only, with one CRIT line, and runs everything', async () => {
    const port = await freePort();
    const config = writeConfig(`[inet_http_server]\nport=*:${port}\n[program:alpha]\ncommand=sleep 1000\nstartsecs=0\n`);
    const run = startVigil(['-c', config]);
    await waitForStatus(config, [], (r) => r.code === 0, 'alpha never ran');
    assert.match(run.stderr(), new RegExp(`CRIT \\[inet_http_server\\] port=\\*:${port} has no username/password.*served on 127\\.0\\.0\\.1:${port} only`));
    const reply = await httpGet(`http://127.0.0.1:${port}/status`, undefined);
    assert.equal(reply.status, 200, reply.body);
    run.kill();
  });
});

// One raw exchange on the unix socket: whatever the server answers until it
// closes (or `timeoutMs` passes), and the first line's status code.
function rawExchange(path: string, data: string | Buffer | undefined, timeoutMs = 20_000): Promise<{ status: number | undefined; text: string; error?: string }> {
  return new Promise((resolve) => {
    const socket = connect({ path });
    let text = '';
    let error: string | undefined;
    const timer = setTimeout(() => socket.destroy(new Error('client-side timeout')), timeoutMs);
    socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    // EPIPE/ECONNRESET after the server closed on an oversized body; EAGAIN when the backlog is full.
    socket.on('error', (err: NodeJS.ErrnoException) => (error = err.code ?? err.message));
    socket.on('close', () => {
      clearTimeout(timer);
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
      resolve({ status: status === undefined ? undefined : Number(status), text, ...(error !== undefined ? { error } : {}) });
    });
    if (data !== undefined) socket.write(data);
  });
}

describe('ctl: bad clients against the live daemon', () => {
  it('each gets a clear status or a clean refusal; supervision goes on; no fd leaks', async () => {
    const dir = tempDir();
    const socket = join(dir, 'vigil.sock');
    const config = writeConfig(`[program:ticker]\ncommand=${TICKER}\nstartsecs=0\n`, dir);
    const run = startVigil(['-c', config]);
    await run.waitForStdout('ticker | tick 3');
    const pid = await run.vigilPid();
    // One ctl round trip first, so lazily opened descriptors are in the baseline.
    assert.equal((await ctl(config, 'status')).code, 0);
    const baseline = await settledFdCount(pid);
    const ticks = (): number => run.stdout().split('ticker | tick').length - 1;

    // Silent client: sends nothing; the header timeout (10 s) answers 408.
    const silent = rawExchange(socket, undefined, 30_000);

    const malformed = await rawExchange(socket, 'THIS IS NOT HTTP\r\n\r\n');
    assert.equal(malformed.status, 400, JSON.stringify(malformed));
    assert.match(malformed.text, /malformed HTTP request/);

    const badJson = await rawExchange(socket, 'POST /start HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\nConnection: close\r\n\r\n{nope');
    assert.equal(badJson.status, 400, JSON.stringify(badJson));
    assert.match(badJson.text, /INCORRECT_PARAMETERS/);

    const unknown = await rawExchange(socket, 'GET /frobnicate HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.equal(unknown.status, 404, JSON.stringify(unknown));
    assert.match(unknown.text, /UNKNOWN_METHOD/);

    const wrongMethod = await rawExchange(socket, 'GET /start HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.equal(wrongMethod.status, 405, JSON.stringify(wrongMethod));

    const big = Buffer.alloc(200 * 1024, 'x');
    const oversized = await rawExchange(socket, Buffer.concat([
      Buffer.from(`POST /start HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${big.length}\r\n\r\n`), big,
    ]));
    assert.equal(oversized.status, 413, JSON.stringify({ ...oversized, text: oversized.text.slice(0, 300) }));
    assert.match(oversized.text, /TOO_LARGE/);

    const unknownName = await ctl(config, 'start', 'nope');
    assert.equal(unknownName.code, 1, show(unknownName));

    // 1,000 connections at once, each asking GET /version.
    const ticksBefore = ticks();
    const storm = await Promise.all(
      Array.from({ length: 1000 }, () => rawExchange(socket, 'GET /version HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')),
    );
    const outcomes = new Map<string, number>();
    for (const result of storm) {
      const key = result.status !== undefined ? String(result.status) : `refused:${result.error ?? 'closed'}`;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    }
    const described = JSON.stringify([...outcomes]);
    assert.ok((outcomes.get('200') ?? 0) > 0, `no connection of the storm was served: ${described}`);
    for (const key of outcomes.keys()) assert.match(key, /^(200|503|refused:.*)$/, `unexpected outcome: ${described}`);

    // The program's output kept flowing, and vigil still answers.
    await waitFor(() => ticks() > ticksBefore + 3, { timeoutMs: 10_000, message: 'program output stopped during the storm' });
    const status = await ctl(config, 'status');
    assert.equal(status.code, 0, show(status));

    const silentResult = await silent;
    assert.ok(silentResult.status === 408 || (silentResult.status === undefined && silentResult.error === undefined), JSON.stringify(silentResult));

    // Every descriptor the bad clients cost is given back.
    await waitFor(async () => (await settledFdCount(pid)) === baseline, {
      timeoutMs: 15_000,
      intervalMs: 100,
      message: () => `vigil has ${fdCount(pid)} fds, had ${baseline} before the bad clients: ${readdirSync(`/proc/${pid}/fd`).join(' ')}`,
    });
    assert.equal(run.child.exitCode, null, 'vigil died');
    await run.signal('SIGTERM');
    assert.equal((await run.waitExit()).code, 0, run.stderr());
  });
});
