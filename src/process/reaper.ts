// Reaps vigil's children without ever calling waitpid(-1).
//
// libuv reaps the children of child_process pid by pid and silently drops an
// exit that somebody else reaped first (libuv src/unix/process.c,
// uv__wait_children, ECHILD branch). So the reaper never reaps blindly: on
// SIGCHLD it asks which child has exited without reaping it (waitid WNOWAIT,
// `peekExited`), and calls waitpid(pid) only for pids that child_process is not
// tracking: vigil's own native spawns (their exits go to a callback) and
// orphans re-parented to vigil (reaped and counted). vigil itself starts no
// process through child_process today; the rule stays for any that would (the
// stress test in test/integration/reaper.test.ts runs both kinds at once).
//
// The peek names one zombie at a time, the oldest first. When that one may not
// be reaped yet it hides the others behind it. If it is the child of an async
// spawn whose pid JS does not know yet, the pass stops: the spawn's callback
// ends within milliseconds and starts the next pass (endSpawn). If it is
// libuv's, the pass falls back to listing the children from /proc and trying
// each. A quiet reaper costs one waitid per SIGCHLD, not one waitpid per child.
import type { ChildProcess } from 'node:child_process';
import type { Logger } from '../log/logger.ts';
import type { ExitStatus } from '../model/index.ts';
import type { NativeAddon, WaitStatus } from '../native/addon.ts';
import { listChildPids } from './children.ts';

export type ExitListener = (status: ExitStatus) => void;

export interface ReaperOptions {
  native: NativeAddon;
  logger: Logger;
  // The slow safety-net sweep: SIGCHLD can coalesce, and /proc's children list
  // can miss an entry while it changes under the reader.
  sweepIntervalMs?: number;
}

export class Reaper {
  private readonly native: NativeAddon;
  private readonly logger: Logger;
  private readonly sweepIntervalMs: number;
  private readonly watched = new Map<number, ExitListener>();
  private readonly libuvChildren = new Set<number>();
  private scheduled = false;
  // Native spawns queued on a worker whose pid JS does not know yet (only
  // then is the addon asked whether an unknown pid is one of theirs).
  private spawnsInFlight = 0;
  private sweepTimer: NodeJS.Timeout | undefined;
  private readonly onSigchld = (): void => this.schedule();
  private warnedNoProc = false;
  orphansReaped = 0;

  constructor(options: ReaperOptions) {
    this.native = options.native;
    this.logger = options.logger;
    this.sweepIntervalMs = options.sweepIntervalMs ?? 1000;
  }

  // Installs the SIGCHLD handler and the periodic sweep.
  start(): void {
    process.on('SIGCHLD', this.onSigchld);
    this.sweepTimer = setInterval(() => this.reapNow(), this.sweepIntervalMs);
    this.schedule(); // children may have exited before we listened
  }

  stop(): void {
    process.off('SIGCHLD', this.onSigchld);
    if (this.sweepTimer) clearInterval(this.sweepTimer);
  }

  // Delivers the exit status of a child spawned through the native addon.
  watch(pid: number, listener: ExitListener): void {
    this.watched.set(pid, listener);
    // It may already be a zombie (it exited before we were told about it).
    this.schedule();
  }

  // Marks a child_process child as libuv's to reap, until its 'exit' event.
  trackChildProcess(child: ChildProcess): void {
    const pid = child.pid;
    if (pid === undefined) return; // spawn failed; nothing to reap
    this.libuvChildren.add(pid);
    child.once('exit', () => this.libuvChildren.delete(pid));
  }

  // Brackets an asynchronous spawn: call beginSpawn before queuing it and
  // endSpawn after watch() got its pid (or it failed). Orphans are reaped
  // meanwhile: the addon tells a spawn's child from them (isSpawning).
  beginSpawn(): void {
    this.spawnsInFlight++;
  }

  endSpawn(): void {
    this.spawnsInFlight--;
    this.schedule(); // a child skipped while its spawn was in flight
  }

  // Coalesces a burst of SIGCHLDs into one pass.
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.reapNow();
    });
  }

  // A child the reaper must leave alone for now.
  private mustNotReap(pid: number): boolean {
    if (this.libuvChildren.has(pid)) return true;
    return this.spawnsInFlight > 0 && !this.watched.has(pid) && this.native.isSpawning(pid);
  }

  // Reaps every child that has exited; returns how many were reaped.
  reapNow(): number {
    let reaped = 0;
    for (;;) {
      let pid: number;
      try {
        pid = this.native.peekExited();
      } catch (error) {
        this.logger.error({ err: error }, 'reaper: waitid failed');
        return reaped + this.sweep();
      }
      if (pid === 0) return reaped;
      if (this.libuvChildren.has(pid)) return reaped + this.sweep(); // libuv's for good: try the others
      // The child of a spawn whose callback has not run yet: that callback's
      // endSpawn() starts the next pass within milliseconds, so waiting for it
      // is far cheaper than listing /proc at every such exit (health checks
      // that exit at once make this the common case).
      if (this.mustNotReap(pid)) return reaped;
      if (!this.reap(pid)) return reaped + this.sweep();
      reaped++;
    }
  }

  // The fallback pass: every current child, from /proc.
  private sweep(): number {
    let reaped = 0;
    let pids: number[];
    try {
      pids = listChildPids();
    } catch (error) {
      // No /proc (a bare chroot): vigil's own children can still be waited
      // for by pid; orphans behind a blocked one cannot be found. Say so once.
      if (!this.warnedNoProc) {
        this.warnedNoProc = true;
        this.logger.warn({ err: error }, 'reaper: cannot list children (is /proc mounted?); some orphans may wait');
      }
      pids = [...this.watched.keys()];
    }
    for (const pid of pids) {
      if (!this.mustNotReap(pid) && this.reap(pid)) reaped++;
    }
    return reaped;
  }

  // waitpid(pid, WNOHANG), then the exit goes to its listener or is counted
  // as an orphan's. False when pid had not exited (or was not ours).
  private reap(pid: number): boolean {
    let status: WaitStatus | null | undefined;
    try {
      status = this.native.waitpid(pid);
    } catch (error) {
      this.logger.error({ err: error, pid }, 'reaper: waitpid failed');
      return false;
    }
    if (!status) return false; // still running, or not ours after all
    const listener = this.watched.get(pid);
    if (listener) {
      this.watched.delete(pid);
      try {
        listener(toExitStatus(status));
      } catch (error) {
        this.logger.error({ err: error, pid }, 'exit handler failed');
      }
    } else {
      this.orphansReaped++;
      this.logger.trace({ pid, ...status }, 'reaped orphan');
    }
    return true;
  }
}

// The addon's wait status as the process model's exit status.
function toExitStatus(status: WaitStatus): ExitStatus {
  return status.signal !== undefined ? { code: null, signal: status.signal } : { code: status.code, signal: null };
}
