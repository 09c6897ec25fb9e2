// Real supervisord (Debian's package) run in the foreground on a private
// config and socket, never the system service, and its real supervisorctl:
// the reference that `vigil ctl` output is compared with. Every supervisord
// started here is killed by pid, with its children, when the test ends.
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after } from 'node:test';
import { killTree } from './procfs.ts';
import { waitFor } from './wait.ts';

export interface CtlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const running = new Set<ChildProcess>();
after(() => {
  for (const child of running) if (child.pid !== undefined) killTree(child.pid);
});

// Runs a command to completion with `input` on its stdin (killed after 30 s).
export function runCommand(file: string, args: readonly string[], input = ''): Promise<CtlResult> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { timeout: 30_000, killSignal: 'SIGKILL', env: { ...process.env, PYTHONIOENCODING: 'utf-8', LANG: 'C.UTF-8' } }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end(input);
  });
}

export interface Supervisord {
  config: string;
  socket: string;
  ctl(args: readonly string[], input?: string): Promise<CtlResult>;
  kill(): void;
}

// Writes `body` under the sections supervisord needs to be driven by
// supervisorctl over a private unix socket, and starts `supervisord -n`.
export async function startSupervisord(dir: string, body: string): Promise<Supervisord> {
  const socket = join(dir, 'supervisord.sock');
  const config = join(dir, 'supervisord.conf');
  writeFileSync(
    config,
    [
      '[supervisord]',
      `logfile=${join(dir, 'supervisord.log')}`,
      `pidfile=${join(dir, 'supervisord.pid')}`,
      `childlogdir=${dir}`,
      'user=root',
      '[unix_http_server]',
      `file=${socket}`,
      '[rpcinterface:supervisor]',
      'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface',
      '[supervisorctl]',
      `serverurl=unix://${socket}`,
      body,
    ].join('\n'),
  );
  const child = spawn('supervisord', ['-n', '-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  await waitFor(() => existsSync(socket) || child.exitCode !== null, { timeoutMs: 20_000, message: () => `supervisord never opened ${socket}; stderr:\n${stderr}` });
  if (child.exitCode !== null) throw new Error(`supervisord exited ${child.exitCode}: ${stderr}`);
  return {
    config,
    socket,
    ctl: (args, input) => runCommand('supervisorctl', ['-c', config, ...args], input),
    kill: () => {
      if (child.pid !== undefined) killTree(child.pid);
      running.delete(child);
    },
  };
}
