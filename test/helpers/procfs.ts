// Reads the process table from /proc: what tests assert zombies and trees on.
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcEntry {
  pid: number;
  ppid: number;
  pgid: number;
  state: string;
  comm: string;
}

export function readProc(pid: number): ProcEntry | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  const close = stat.lastIndexOf(')');
  const comm = stat.slice(stat.indexOf('(') + 1, close);
  const fields = stat.slice(close + 2).split(' ');
  return { pid, comm, state: fields[0] ?? '?', ppid: Number(fields[1]), pgid: Number(fields[2]) };
}

export function allProcesses(): ProcEntry[] {
  const entries: ProcEntry[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const entry = readProc(Number(name));
    if (entry) entries.push(entry);
  }
  return entries;
}

// Every descendant of `root` (not including it).
export function descendants(root: number): ProcEntry[] {
  const all = allProcesses();
  const byParent = new Map<number, ProcEntry[]>();
  for (const entry of all) {
    const list = byParent.get(entry.ppid) ?? [];
    list.push(entry);
    byParent.set(entry.ppid, list);
  }
  const result: ProcEntry[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    for (const child of byParent.get(pid) ?? []) {
      result.push(child);
      queue.push(child.pid);
    }
  }
  return result;
}

export function zombiesUnder(root: number): ProcEntry[] {
  return descendants(root).filter((entry) => entry.state === 'Z');
}

export function isAlive(pid: number): boolean {
  const entry = readProc(pid);
  return entry !== undefined && entry.state !== 'Z';
}

// SIGKILLs every descendant of pid, then pid itself if it still exists
// (descendants first: outside a PID namespace they would outlive the root).
export function killTree(pid: number): void {
  for (const entry of descendants(pid)) {
    try {
      process.kill(entry.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  if (readProc(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
