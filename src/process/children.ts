// Lists the pids of this process's children (live or zombie) from /proc.
import { closeSync, openSync, readSync, readdirSync, readFileSync } from 'node:fs';

// /proc/self/task/<tid>/children lists the children of each thread: vigil's own
// spawns hang off the main thread, and orphans are re-parented to some thread
// of the reaper (kernel find_new_reaper), so every task is read. The file
// exists when the kernel has CONFIG_PROC_CHILDREN (Debian, Ubuntu, Fedora, and
// the cloud kernels do); otherwise fall back to scanning every /proc/<pid>/stat.
export function listChildPids(): number[] {
  try {
    return fromTaskChildren();
  } catch {
    return fromProcScan();
  }
}

function fromTaskChildren(): number[] {
  const pids: number[] = [];
  for (const tid of readdirSync('/proc/self/task')) {
    let text: string;
    try {
      text = readSmallProcFile(`/proc/self/task/${tid}/children`);
    } catch (error) {
      // ENOENT for a thread that exited between readdir and open: skip it.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && tid !== String(process.pid)) continue;
      throw error;
    }
    for (const field of text.split(' ')) {
      if (field) pids.push(Number(field));
    }
  }
  return pids;
}

// One reused buffer instead of readFileSync's fstat and fresh allocations:
// the reaper reads every thread's children file at each SIGCHLD, and with
// health checks spawning 50 commands a second this was its largest cost.
const PROC_BUFFER = Buffer.allocUnsafe(64 * 1024);

function readSmallProcFile(path: string): string {
  const fd = openSync(path, 'r');
  try {
    let length = 0;
    for (;;) {
      const n = readSync(fd, PROC_BUFFER, length, PROC_BUFFER.length - length, null);
      if (n === 0) return PROC_BUFFER.toString('latin1', 0, length);
      length += n;
      // More children than fit (thousands): fall back to the general reader.
      if (length === PROC_BUFFER.length) return readFileSync(path, 'latin1');
    }
  } finally {
    closeSync(fd);
  }
}

function fromProcScan(): number[] {
  const self = process.pid;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (entry.charCodeAt(0) < 48 || entry.charCodeAt(0) > 57) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
    } catch {
      continue; // exited meanwhile
    }
    // The comm field may contain spaces and parentheses: parse after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[1]) === self) pids.push(Number(entry));
  }
  return pids;
}
