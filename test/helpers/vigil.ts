// Starts the built bundle (dist/vigil.js) the way users run it: as PID 1 of a
// fresh PID namespace (unshare --pid --fork --mount-proc), or as a plain child
// (then it is a subreaper). Every process started here is killed by pid when
// the test ends, whatever happened.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { after } from 'node:test';
import { descendants, killTree } from './procfs.ts';
import { waitFor } from './wait.ts';

export const ROOT = join(__dirname, '..', '..');
export const VIGIL = join(ROOT, 'dist', 'vigil.js');
export const FIXTURES = join(ROOT, 'test', 'fixtures');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface VigilRun {
  child: ChildProcess;
  stdout(): string;
  // vigil's stdout as raw bytes (binary output); empty with stdout 'manual'.
  stdoutBytes(): Buffer;
  stderr(): string;
  exited: Promise<Exit>;
  // Host pid of vigil itself (PID 1 inside the namespace when pid1).
  vigilPid(): Promise<number>;
  waitForStdout(pattern: RegExp | string, timeoutMs?: number): Promise<string>;
  waitForStderr(pattern: RegExp | string, timeoutMs?: number): Promise<string>;
  waitExit(timeoutMs?: number): Promise<Exit>;
  signal(signal: NodeJS.Signals): Promise<void>;
  kill(): void;
}

const running = new Set<VigilRun>();
after(() => {
  for (const run of running) run.kill();
});

export interface StartOptions {
  pid1?: boolean; // default true
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  stdio?: 'pipe' | 'ignore-stdin';
  // 'manual': vigil's stdout pipe is left unread (child.stdout paused); the
  // test reads it itself, e.g. to play a slow reader. Default 'collect'.
  stdout?: 'collect' | 'manual';
  // Extra fds vigil inherits without close-on-exec (3, 4, ...: pipes whose
  // other end the test keeps), as from a careless parent.
  extraFds?: number;
}

export function startVigil(args: string[], options: StartOptions = {}): VigilRun {
  const pid1 = options.pid1 ?? true;
  const argv = pid1
    ? ['unshare', '--pid', '--fork', '--mount-proc', process.execPath, VIGIL, ...args]
    : [process.execPath, VIGIL, ...args];
  const child = spawn(argv[0] as string, argv.slice(1), {
    env: options.env ?? process.env,
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe', ...Array.from({ length: options.extraFds ?? 0 }, () => 'pipe' as const)],
  });
  let out = '';
  let err = '';
  const outChunks: Buffer[] = [];
  if ((options.stdout ?? 'collect') === 'collect') {
    // Bytes kept as they came (binary output), text decoded across chunk ends.
    const decoder = new StringDecoder('utf8');
    child.stdout?.on('data', (chunk: Buffer) => {
      outChunks.push(chunk);
      out += decoder.write(chunk);
    });
  } else {
    child.stdout?.pause();
  }
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (err += text));
  const exited = new Promise<Exit>((resolve) => {
    child.on('close', (code, signal) => {
      running.delete(run);
      resolve({ code, signal });
    });
  });
  let exitedNow = false;
  void exited.then(() => (exitedNow = true));

  const matches = (text: string, pattern: RegExp | string): string | undefined => {
    if (typeof pattern === 'string') return text.includes(pattern) ? pattern : undefined;
    return pattern.exec(text)?.[0];
  };
  const run: VigilRun = {
    child,
    stdout: () => out,
    stdoutBytes: () => Buffer.concat(outChunks),
    stderr: () => err,
    exited,
    async vigilPid() {
      if (!pid1) return child.pid as number;
      return waitFor(
        () => descendants(child.pid as number).find((entry) => entry.ppid === child.pid)?.pid,
        { timeoutMs: 10_000, message: 'vigil did not start under unshare' },
      );
    },
    waitForStdout(pattern, timeoutMs = 10_000) {
      return waitFor(() => matches(out, pattern), {
        timeoutMs,
        message: () => `stdout never matched ${String(pattern)}; stdout:\n${out}\nstderr:\n${err}`,
      });
    },
    waitForStderr(pattern, timeoutMs = 10_000) {
      return waitFor(() => matches(err, pattern), {
        timeoutMs,
        message: () => `stderr never matched ${String(pattern)}; stdout:\n${out}\nstderr:\n${err}`,
      });
    },
    async waitExit(timeoutMs = 15_000) {
      await waitFor(() => exitedNow, {
        timeoutMs,
        message: () => `vigil did not exit; stdout:\n${out}\nstderr:\n${err}`,
      });
      return exited;
    },
    async signal(signal) {
      process.kill(await run.vigilPid(), signal);
    },
    kill() {
      if (child.pid !== undefined) killTree(child.pid);
    },
  };
  running.add(run);
  return run;
}
