// What `vigil ctl` says beyond supervisorctl's lines (on stderr, so stdout
// stays supervisorctl's): an unreachable daemon (which socket, named by what,
// the flag that fixes it), a permission problem, a name that only exists in a
// group, a real supervisord at the other end; and the commands that need a
// live stream or the user's input: fg, maintail -f.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempDir } from '../helpers/config.ts';
import { runCommand, startSupervisord } from '../helpers/supervisord.ts';
import type { CtlResult, Supervisord } from '../helpers/supervisord.ts';
import { VIGIL, startVigil } from '../helpers/vigil.ts';
import type { VigilRun } from '../helpers/vigil.ts';
import { waitFor } from '../helpers/wait.ts';

const show = (r: CtlResult): string => `exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
const vigilCtl = (args: readonly string[], input = '', env: NodeJS.ProcessEnv = {}): Promise<CtlResult> =>
  runCommand('env', [...Object.entries(env).map(([k, v]) => `${k}=${v}`), process.execPath, VIGIL, 'ctl', ...args], input);

describe('ctl diagnostics against a live vigil', () => {
  let dir: string;
  let config: string;
  let socket: string;
  let vigil: VigilRun;

  before(async () => {
    dir = tempDir('vigil-diag-');
    socket = join(dir, 'vigil.sock');
    config = join(dir, 'vigil.conf');
    writeFileSync(
      config,
      `[supervisord]\n[unix_http_server]\nfile=${socket}\n[group:backend]\nprograms=crasher\n[program:crasher]\ncommand=sleep 1000\nstartsecs=0\n` +
        `[program:cat]\ncommand=cat\nstartsecs=0\n`,
    );
    vigil = startVigil(['-c', config]);
    await waitFor(async () => (await vigilCtl(['-c', config, 'status'])).code === 0, { timeoutMs: 20_000, intervalMs: 100, message: 'vigil never ran its programs' });
  });
  after(() => vigil?.kill());

  it('a name that only matches inside a group: supervisorctl line on stdout, "did you mean" on stderr', async () => {
    for (const args of [['tail', 'crasher'], ['stop', 'crasher'], ['status', 'crasher'], ['signal', 'HUP', 'crasher'], ['pid', 'crasher'], ['fg', 'crasher']]) {
      const result = await vigilCtl(['-c', config, ...args]);
      assert.match(result.stderr, /did you mean backend:crasher\?/, `${args.join(' ')}: ${show(result)}`);
      assert.doesNotMatch(result.stdout, /did you mean/);
    }
    const tail = await vigilCtl(['-c', config, 'tail', 'crasher']);
    assert.equal(tail.stdout, 'crasher: ERROR (no such process name)\n');
    assert.equal(tail.code, 1);
  });

  it('fg: output live, the typed lines to the process stdin, "Exiting foreground" at end of input', async () => {
    const child = spawn(process.execPath, [VIGIL, 'ctl', '-c', config, 'fg', 'cat'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      await waitFor(() => out.includes('==> Press Ctrl-C to exit <=='), { timeoutMs: 15_000, message: () => `fg never started: ${out}` });
      child.stdin.write('ping-from-fg\n');
      await waitFor(() => out.includes('ping-from-fg\n'), { timeoutMs: 15_000, message: () => `cat's echo never came back through fg: ${out}` });
      child.stdin.end();
      assert.equal(await exited, 0);
      assert.equal(out, '==> Press Ctrl-C to exit <==\nping-from-fg\nExiting foreground\n');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('maintail -f streams vigil\'s own log live', async () => {
    const child = spawn(process.execPath, [VIGIL, 'ctl', '-c', config, 'maintail', '-f'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
    try {
      await waitFor(() => out.includes('==> Press Ctrl-C to exit <=='), { timeoutMs: 15_000, message: () => `maintail -f never started: ${out}` });
      await vigilCtl(['-c', config, 'restart', 'backend:*']);
      await waitFor(() => /INFO spawned: 'crasher' with pid \d+/.test(out.slice(out.indexOf('<=='))), { timeoutMs: 15_000, message: () => `no live log line: ${out}` });
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('a config found on the search path that names a missing socket: vigil on its default socket is used', async (t) => {
    if (existsSync('/run/vigil.sock')) return t.skip('/run/vigil.sock exists here: it comes first among the default sockets');
    // A host or image with Debian's supervisord.conf, and vigil on its default socket.
    const cwd = tempDir('vigil-diag-cwd-');
    writeFileSync(join(cwd, 'supervisord.conf'), `[supervisord]\n[unix_http_server]\nfile=${join(cwd, 'absent.sock')}\n`);
    const runtime = tempDir('vigil-diag-rt-');
    const defaultSocket = join(runtime, 'vigil.sock');
    // the daemon's default candidates include $XDG_RUNTIME_DIR/vigil.sock
    symlinkSync(socket, defaultSocket);
    const result = await runCommand('sh', ['-c', `cd ${cwd} && XDG_RUNTIME_DIR=${runtime} exec ${process.execPath} ${VIGIL} ctl status cat`]);
    assert.equal(result.code, 0, show(result));
    assert.match(result.stdout, /^cat +RUNNING/, show(result));
    // and when vigil is not there either, the message says what was tried
    const gone = await runCommand('sh', ['-c', `cd ${cwd} && XDG_RUNTIME_DIR=${tempDir('vigil-diag-rt-')} exec ${process.execPath} ${VIGIL} ctl status`]);
    assert.equal(gone.stdout, `unix://${join(cwd, 'absent.sock')} no such file\n`, show(gone));
    assert.match(gone.stderr, new RegExp(`\\[unix_http_server\\] file in ${join(cwd, 'supervisord.conf')}`), show(gone));
  });
});

describe('ctl diagnostics when the daemon is not there', () => {
  it('no socket: supervisorctl\'s line and exit code, then which socket, named by what, and the flags', async () => {
    const dir = tempDir('vigil-diag-');
    const config = join(dir, 'vigil.conf');
    writeFileSync(config, `[supervisord]\n[unix_http_server]\nfile=${dir}/gone.sock\n`);
    const result = await vigilCtl(['-c', config, 'status']);
    assert.equal(result.stdout, `unix://${dir}/gone.sock no such file\n`);
    assert.equal(result.code, 4);
    assert.match(result.stderr, new RegExp(`no socket at ${dir}/gone.sock \\(\\[unix_http_server\\] file in ${config}\\): vigil does not appear to be running`));
    assert.match(result.stderr, /-c FILE/);
    assert.match(result.stderr, /-s unix:\/\/\//);
    const stop = await vigilCtl(['-c', config, 'stop', 'x']);
    assert.equal(stop.stdout, `unix://${dir}/gone.sock no such file\n`);
    assert.equal(stop.code, 7);
  });

  it('a socket nobody listens on: refused (exit 4), said to be left over', async () => {
    const dir = tempDir('vigil-diag-');
    const path = join(dir, 'stale.sock');
    // A bound socket file nobody listens on, as a SIGKILLed daemon leaves behind.
    const stale = await runCommand('python3', ['-c', `import socket; s=socket.socket(socket.AF_UNIX); s.bind(${JSON.stringify(path)})`]);
    assert.equal(stale.code, 0, show(stale));
    const result = await vigilCtl(['-s', `unix://${path}`, 'start', 'x']);
    assert.equal(result.stdout, `unix://${path} refused connection\n`);
    assert.equal(result.code, 4);
    assert.match(result.stderr, /left over from a vigil that is no longer running/);
  });

  it('EACCES: says which permission is missing (exit 1, as supervisorctl)', async () => {
    const dir = tempDir('vigil-diag-');
    const path = join(dir, 'private.sock');
    const bound = await runCommand('python3', ['-c', `import os, socket; s=socket.socket(socket.AF_UNIX); s.bind(${JSON.stringify(path)}); os.chmod(${JSON.stringify(path)}, 0o700); os.chmod(${JSON.stringify(dir)}, 0o755)`]);
    assert.equal(bound.code, 0, show(bound));
    const result = await runCommand('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, VIGIL, 'ctl', '-s', `unix://${path}`, 'status']);
    assert.equal(result.code, 1, show(result));
    assert.match(result.stderr, /connecting needs write permission on the socket, which is mode 0700, owner uid 0/, show(result));
    assert.match(result.stderr, /you are uid 65534/);
  });
});

describe('ctl pointed at a real supervisord', () => {
  let supervisord: Supervisord;
  before(async () => {
    supervisord = await startSupervisord(tempDir('vigil-diag-sd-'), '[program:a]\ncommand=sleep 1000\n');
  });
  after(() => supervisord?.kill());

  it('says "this is supervisord, not vigil" instead of an HTML error page', async () => {
    for (const args of [['status'], ['start', 'a'], ['tail', '-f', 'a']]) {
      const result = await vigilCtl(['-s', `unix://${supervisord.socket}`, ...args]);
      assert.equal(result.code, 1, show(result));
      assert.match(result.stderr, /this is supervisord, not vigil/, show(result));
      assert.doesNotMatch(result.stdout + result.stderr, /<html|<head|<body/i);
    }
  });
});
