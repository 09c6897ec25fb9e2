// Drives Debian's real /usr/bin/supervisorctl (and supervisord, to compare
// with) in tests: one run to completion, or an interactive one (fg, tail -f)
// that the test feeds and interrupts. Every process is killed by pid at the end.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { after } from 'node:test';
import { waitFor } from './wait.ts';

export const SUPERVISORCTL = '/usr/bin/supervisorctl';
export const SUPERVISORD = '/usr/bin/supervisord';

export interface CtlRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const live = new Set<ChildProcess>();
after(() => {
  for (const child of live) child.kill('SIGKILL');
});

// A process whose output the test watches; `done` settles when it exits.
export interface Interactive {
  child: ChildProcess;
  output(): string;
  waitOutput(text: string, timeoutMs?: number): Promise<void>;
  done: Promise<CtlRun>;
}

export function startProcess(file: string, args: string[], options: { cwd?: string; timeoutMs?: number } = {}): Interactive {
  const child = spawn(file, args, { cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, PYTHONUNBUFFERED: '1', LANG: 'C.UTF-8' } });
  live.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  child.stdin?.on('error', () => undefined);
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
  const done = new Promise<CtlRun>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      live.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    child,
    output: () => stdout,
    waitOutput: (text, timeoutMs = 15_000) =>
      waitFor(() => stdout.includes(text), { timeoutMs, message: () => `${file} ${args.join(' ')} never printed ${JSON.stringify(text)}; stdout:\n${stdout}\nstderr:\n${stderr}` }).then(() => undefined),
    done,
  };
}

// supervisorctl -c CONFIG ARGS..., to completion (stdin closed at once).
export function supervisorctl(config: string, ...args: string[]): Promise<CtlRun> {
  const run = startProcess(SUPERVISORCTL, ['-c', config, ...args]);
  run.child.stdin?.end();
  return run.done;
}
