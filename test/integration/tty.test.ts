// Init mode with a terminal (`docker run -it`): CMD gets the terminal's
// foreground process group before it execs, so it can read the terminal
// without SIGTTIN and Ctrl-C reaches it. `script` provides a real pty.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { VIGIL } from '../helpers/vigil.ts';
import { waitFor } from '../helpers/wait.ts';

// Runs `vigil -- python3 -c CODE` on a fresh pty; returns its output so far,
// a function to type into the terminal, and its exit.
function onTerminal(code: string) {
  const command = `${process.execPath} ${VIGIL} -- /usr/bin/python3 -c "${code}"`;
  const child = spawn('script', ['-qec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (data: Buffer) => (output += data.toString()));
  child.stderr.on('data', (data: Buffer) => (output += data.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  void exited.then(() => clearTimeout(killer));
  return {
    output: () => output,
    type: (text: string) => child.stdin.write(text),
    exited,
    waitFor: (text: string) => waitFor(() => output.includes(text), { message: () => `no "${text}" on the terminal:\n${output}` }),
  };
}

describe('init mode: terminal', () => {
  it('CMD is the foreground process group and reads the terminal', async () => {
    const run = onTerminal("import os,sys; print('fg', os.tcgetpgrp(0) == os.getpgrp(), flush=True); print('read', sys.stdin.readline().strip(), flush=True)");
    await run.waitFor('fg ');
    assert.match(run.output(), /fg True/);
    run.type('hello\n');
    await run.waitFor('read hello');
    assert.equal(await run.exited, 0, run.output());
  });

  it('Ctrl-C on the terminal interrupts CMD, and vigil exits with its code', async () => {
    const run = onTerminal("import signal,sys,time; signal.signal(signal.SIGINT, lambda *a: sys.exit(42)); print('ready', flush=True); time.sleep(30)");
    await run.waitFor('ready');
    run.type('\x03');
    assert.equal(await run.exited, 42, run.output());
  });
});
