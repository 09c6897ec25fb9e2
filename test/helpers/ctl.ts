// Runs `vigil ctl` (the built bundle) to completion, for integration tests.
import { execFile } from 'node:child_process';
import { VIGIL } from './vigil.ts';

export interface CtlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

// `vigil ctl ARGS`, killed after `timeoutMs`.
export function ctlRaw(args: readonly string[], timeoutMs = 20_000): Promise<CtlResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [VIGIL, 'ctl', ...args], { timeout: timeoutMs, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr });
    });
  });
}

// `vigil ctl -c CONFIG ARGS`.
export const ctl = (config: string, ...args: string[]): Promise<CtlResult> => ctlRaw(['-c', config, ...args]);

// A result laid out for an assertion message.
export const showCtl = (result: CtlResult): string => `exit ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
