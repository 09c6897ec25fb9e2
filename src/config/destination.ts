// Where vigil really sends a program's stdout or stderr, as opposed to the
// stdout_logfile value supervisord resolves (which `vigil check --json` keeps
// for the parity tests): an unset key means vigil's console, and every
// spelling of the console (/dev/stdout, /dev/fd/1, /proc/self/fd/1 ...) goes
// through the same prefixed console writer instead of a raw file write.
import type { ProcessConfig } from './types.ts';

export type ConsoleFd = 1 | 2;

// The console fd a log path names, or undefined for a real file. /proc/1/fd/N
// is vigil's own fd only when vigil is PID 1 (a common container idiom).
export function consoleFdOf(path: string, isPid1: boolean): ConsoleFd | undefined {
  const match = /^\/(?:dev\/(?:std(out|err)|fd\/([12]))|proc\/(self|1)\/fd\/([12]))$/.exec(path);
  if (match === null) return undefined;
  if (match[3] === '1' && !isPid1) return undefined;
  const name = match[1] ?? match[2] ?? match[4];
  return name === 'out' || name === '1' ? 1 : 2;
}

export type DestinationSummary =
  | { readonly kind: 'console'; readonly fd: ConsoleFd }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'auto' } // a new file in childlogdir, named at start
  | { readonly kind: 'none' };

// What vigil does with one channel of `process` (see src/supervisor/from-config.ts).
export function destinationOf(process: ProcessConfig, channel: 'stdout' | 'stderr', isPid1: boolean): DestinationSummary {
  if (channel === 'stderr' && process.redirect_stderr) return { kind: 'none' };
  const fd: ConsoleFd = channel === 'stdout' ? 1 : 2;
  if (!process.explicit_keys.includes(`${channel}_logfile`)) return { kind: 'console', fd };
  const target = process[`${channel}_logfile`];
  if (target.kind === 'none') return { kind: 'none' };
  if (target.kind === 'auto') return { kind: 'auto' };
  const console = consoleFdOf(target.path, isPid1);
  return console === undefined ? { kind: 'file', path: target.path } : { kind: 'console', fd: console };
}

// One word or path for `vigil check`: "console:stdout", "AUTO", "NONE", a path,
// or "stdout" for a stderr that redirect_stderr merges into stdout.
export function destinationLabel(process: ProcessConfig, channel: 'stdout' | 'stderr', isPid1: boolean): string {
  if (channel === 'stderr' && process.redirect_stderr) return 'redirected to stdout';
  if (channel === 'stdout' && process.kind === 'eventlistener') return 'listener protocol';
  const summary = destinationOf(process, channel, isPid1);
  switch (summary.kind) {
    case 'console':
      return `console:${summary.fd === 1 ? 'stdout' : 'stderr'}`;
    case 'file':
      return summary.path;
    case 'auto':
      return 'AUTO';
    case 'none':
      return 'NONE';
  }
}
