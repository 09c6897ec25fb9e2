// Why a process is not running, for rows in BACKOFF, FATAL or EXITED: its
// spawn error or exit status, and the last lines it wrote to stderr (so the
// user need not run the command by hand to learn why it "exited too quickly").
import type { ProcessInfo, ProcessStateName } from '../control/api.ts';

export const EXPLAINED_STATES: ReadonlySet<ProcessStateName> = new Set(['BACKOFF', 'FATAL', 'EXITED']);

// Changes when the reason may have changed: a new exit or a new spawn error.
export function reasonKey(info: ProcessInfo): string | undefined {
  if (!EXPLAINED_STATES.has(info.statename)) return undefined;
  return `${info.statename}/${info.stop}/${info.exitstatus}/${info.spawnerr}`;
}

// One line: the spawn error (unless the description already says it) and the
// exit status. ProcessInfo.exitstatus is the exit code, or 128+N after signal
// N; like supervisord's it is not kept for an exit "too quick" (BACKOFF), so
// 0 there says nothing and is not shown.
export function reasonLine(info: ProcessInfo): string {
  const parts: string[] = [];
  if (info.spawnerr && info.spawnerr !== info.description) parts.push(info.spawnerr);
  if (info.statename === 'EXITED' || info.exitstatus !== 0) {
    parts.push(info.exitstatus > 128 ? `exit status ${info.exitstatus} (signal ${info.exitstatus - 128}?)` : `exit status ${info.exitstatus}`);
  }
  return parts.join('; ');
}

// The last `count` non-empty lines of some output, cut to a sane width.
export function lastLines(text: string, count: number, width = 300): string[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  return lines.slice(-count).map((line) => (line.length > width ? `${line.slice(0, width)}…` : line));
}
