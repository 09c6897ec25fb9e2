// Starts a control server on a fresh socket with a MemoryApi, and runs ctl
// against it, capturing output.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach } from 'node:test';
import { runCtl } from '../../../src/ctl/run-ctl.ts';
import { createLogger } from '../../../src/log/logger.ts';
import type { Logger } from '../../../src/log/logger.ts';
import { startControlServer } from '../../../src/control/server.ts';
import type { ControlLimits, ControlServer, ControlServerOptions } from '../../../src/control/server.ts';
import { MemoryApi } from './memory-api.ts';

export interface Harness {
  dir: string;
  socket: string;
  api: MemoryApi;
  server: ControlServer;
  logLines: string[];
  ctl(...argv: string[]): Promise<CtlRun>;
  close(): Promise<void>;
}

export interface CtlRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function memoryLogger(lines: string[]): Logger {
  return createLogger({ level: 'debug', sink: { write: (line) => void lines.push(line) } });
}

export async function runCtlCaptured(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<CtlRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCtl(argv, { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) }, env);
  return { code, stdout, stderr };
}

export async function startHarness(options: Partial<ControlServerOptions> & { limits?: Partial<ControlLimits> } = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-ctl-'));
  const socket = join(dir, 'vigil.sock');
  const api = new MemoryApi();
  const logLines: string[] = [];
  const server = await startControlServer({ api, unix: { path: socket }, logger: memoryLogger(logLines), ...options });
  return {
    dir,
    socket,
    api,
    server,
    logLines,
    ctl: (...argv) => runCtlCaptured(['-s', `unix://${socket}`, ...argv]),
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Leaves a socket file nobody listens on, as a SIGKILLed vigil would: a child
// listens on `path`, then dies without unlinking it.
export async function makeStaleSocket(path: string): Promise<void> {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => console.log('ready'))`], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('stale-socket child did not listen within 5 s')), 5000);
    child.stdout.once('data', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

// One harness for the enclosing describe(): started before its tests, closed
// after them, and its in-memory supervisor reset before each test (a fresh
// set of processes, no calls, output, changes or reread error left over).
// `slot` is the suite's variable: a test may put a new harness in it (after
// shutting the old one down), and the hooks then use that one.
export function useHarness(slot: { get(): Harness; set(harness: Harness): void }): void {
  before(async () => {
    slot.set(await startHarness());
  });
  after(async () => {
    await slot.get().close();
  });
  beforeEach(() => {
    const api = slot.get().api;
    api.processList = new MemoryApi().processList;
    api.calls.length = 0;
    api.output.clear();
    api.changes = { added: [], changed: [], removed: [] };
    api.rereadError = undefined;
  });
}
