// How a child ended, and the numbers derived from it. One type for the whole
// program: the reaper produces it, the machine and init mode consume it, the
// control faces print it. Depends on nothing but signals.ts (see index.ts).
import { signalName } from './signals.ts';

// Exactly one of the two is non-null: the exit code, or the number of the
// signal that killed it (real-time signals included: Node has no names for
// them, which is why this is a number and never a name).
export interface ExitStatus {
  readonly code: number | null;
  readonly signal: number | null;
}

// The exit code vigil reports and exits with: the code, or 128+N for signal N
// like a shell and tini; always within 0..255 so it is a valid process exit
// code (an unknown status becomes 255, never -1).
export function exitCodeOf(status: ExitStatus): number {
  if (status.code !== null) return clampExitCode(status.code);
  if (status.signal !== null) return clampExitCode(128 + status.signal);
  return 255;
}

function clampExitCode(code: number): number {
  return Number.isInteger(code) && code >= 0 && code <= 255 ? code : 255;
}

// supervisord's decode_wait_status() exit status: the code, or -1 for a
// signal. Used where supervisord prints or compares it (`Bad exit code -1`).
export function supervisordExitStatus(status: ExitStatus): number {
  return status.code ?? -1;
}

// True when the exit code is one of `exitcodes`; death by signal never is
// (supervisord's es is -1 then, and exitcodes only holds 0..255).
export function isExpectedExit(status: ExitStatus, exitcodes: readonly number[]): boolean {
  return status.code !== null && exitcodes.includes(status.code);
}

// decode_wait_status()'s message: `exit status 1` or `terminated by SIGKILL`.
export function exitDescription(status: ExitStatus): string {
  if (status.code !== null) return `exit status ${status.code}`;
  if (status.signal !== null) return `terminated by ${signalName(status.signal)}`;
  return 'unknown termination cause';
}
