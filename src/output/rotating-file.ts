// A supervisord-compatible rotating log file (supervisor/loggers.py
// RotatingFileHandler): append to PATH; once it holds maxBytes, rename
// PATH.(N-1) -> PATH.N ... PATH -> PATH.1, dropping the oldest, and start an
// empty PATH. maxBytes 0 never rotates; backups 0 truncates PATH in place, as
// supervisord does. Unlike supervisord, a file never exceeds maxBytes: a write
// that would cross it is cut after its last newline that fits (or exactly at
// maxBytes for a line longer than that), so files end on line boundaries and
// PATH.N ... PATH.1 PATH concatenated are exactly the bytes written.
//
// Writes are synchronous while the file is a regular file on a local disk and
// they stay fast, through libuv's threadpool otherwise (sync-write-gate.ts).
//
// A file that cannot be written (ENOSPC, EACCES, directory removed) is one
// logged error per episode; meanwhile data is accepted and discarded (counted)
// so the program's pipe keeps draining, and the open is retried every
// `retryMs` and on reopen().

import { close, constants, fchmod, fstat, open, writeSync } from 'node:fs';
import { readdir, rename, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../log/logger.ts';
import { errnoCode } from '../errors.ts';
import { lastLineEnd, takeBytes } from './byte-chunks.ts';
import { writevAsync } from './fd-writer.ts';
import { SyncWriteGate, onLocalFilesystem } from './sync-write-gate.ts';
import { realTimers } from './timers.ts';
import type { Timers } from './timers.ts';
import { WriteQueue } from './write-queue.ts';
import type { WriteQueueOptions, WriteTarget } from './write-queue.ts';

export const DEFAULT_REOPEN_RETRY_MS = 1000;

export interface RotatingFileOptions extends WriteQueueOptions {
  path: string;
  // 0: never rotate.
  maxBytes: number;
  backups: number;
  logger: Logger;
  retryMs?: number;
  timers?: Timers;
}

const APPEND = constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND;
// O_APPEND also after rotation: if an external `copytruncate` empties the
// file, later writes land at its new end instead of leaving a sparse hole.
const APPEND_TRUNCATE = APPEND | constants.O_TRUNC;
// Raw fds rather than FileHandles: writev on an fd skips FileHandle's
// per-call bookkeeping on the hot path.
const openFd = promisify(open);
const fstatFd = promisify(fstat);
const closeFd = promisify(close);
const fchmodFd = promisify(fchmod);

// WriteQueue events: 'drain'.
export class RotatingFile extends WriteQueue {
  readonly path: string;
  private readonly file: FileTarget;

  constructor(options: RotatingFileOptions) {
    const file = new FileTarget(options);
    super(file, options);
    this.path = options.path;
    this.file = file;
  }

  // Bytes discarded since the current failure episode began (0 when healthy).
  get lostBytes(): number {
    return this.file.lost;
  }

  // True while the file cannot be written.
  get failing(): boolean {
    return this.file.failing;
  }

  // Closes and reopens PATH (SIGUSR2 after an external logrotate rename).
  reopen(): Promise<void> {
    return this.file.reopen();
  }

  // Writes what is queued, then closes the file; later writes are discarded.
  async close(): Promise<void> {
    await this.idle();
    await this.file.close();
  }
}

class FileTarget implements WriteTarget {
  failing = false;
  lost = 0;
  private readonly options: RotatingFileOptions;
  private readonly timers: Timers;
  private readonly retryMs: number;
  private fd: number | null = null;
  private size = 0;
  // Rotation applies to regular files only (PATH may be a FIFO or /dev/null).
  private rotatable = false;
  // Permission bits of the first file opened: a file this writer creates
  // later (rotation, reopen after logrotate moved it away) gets the same, not
  // whatever the process umask happens to be then.
  private mode: number | null = null;
  private closed = false;
  private retryTimer: unknown = null;
  // What failed last in the current episode (open, write, rotate).
  private failedOperation = '';
  // Serializes every operation on the fd: writes, rotation, reopen, close.
  private lock: Promise<unknown> = Promise.resolve();
  // Operations queued on `lock` and not finished: writeNow() waits for none.
  private pending = 0;
  // Set at each open: a regular file on a local filesystem.
  private readonly gate = new SyncWriteGate(false);

  constructor(options: RotatingFileOptions) {
    this.options = options;
    this.timers = options.timers ?? realTimers;
    this.retryMs = options.retryMs ?? DEFAULT_REOPEN_RETRY_MS;
    void this.exclusive(() => this.openFile(APPEND));
  }

  write(chunks: readonly Buffer[], totalBytes: number): Promise<number> {
    return this.exclusive(() => this.writeLocked(chunks, totalBytes));
  }

  // A write that would reach maxBytes (and so rotate, or cut at a line end)
  // goes the queued way.
  writeNow(chunk: Buffer): number {
    const fd = this.fd;
    if (fd === null || this.pending > 0 || this.failing || !this.gate.open) return 0;
    const { maxBytes } = this.options;
    if (this.rotatable && maxBytes > 0 && this.size + chunk.length >= maxBytes) return 0;
    let written: number;
    try {
      written = this.gate.timed(() => writeSync(fd, chunk));
    } catch {
      return 0;
    }
    this.size += written;
    return written;
  }

  reopen(): Promise<void> {
    return this.exclusive(async () => {
      if (this.closed) return;
      await this.closeFd();
      await this.openFile(APPEND);
    });
  }

  close(): Promise<void> {
    return this.exclusive(async () => {
      this.closed = true;
      this.cancelRetry();
      await this.closeFd();
    });
  }

  private exclusive<T>(operation: () => Promise<T>): Promise<T> {
    this.pending++;
    const result = this.lock.then(operation).finally(() => this.pending--);
    this.lock = result.catch(() => undefined);
    return result;
  }

  private async writeLocked(chunks: readonly Buffer[], total: number): Promise<number> {
    if (this.fd === null) return this.discard(total);
    const { maxBytes } = this.options;
    const limited = this.rotatable && maxBytes > 0;
    let batch = chunks;
    let length = total;
    let full = false;
    if (limited) {
      if (this.size >= maxBytes && !(await this.rotate())) return this.discard(total);
      const room = maxBytes - this.size;
      if (total > room) {
        length = lastLineEnd(chunks, room);
        if (length === 0) {
          if (this.size > 0) {
            // The next line does not fit: it starts the next file.
            return (await this.rotate()) ? 0 : this.discard(total);
          }
          length = room; // a line longer than maxBytes: cut it at the bound
        }
        batch = takeBytes(chunks, length);
        full = true;
      }
    }
    let written: number;
    try {
      written = await writevAsync(this.fd!, batch);
    } catch (error) {
      await this.fail(error, 'write');
      return this.discard(total);
    }
    this.size += written;
    // The episode ends with a write that lands, not with a successful open:
    // on a full disk open(2) succeeds and only write(2) fails, and ending the
    // episode on open logged "writable again" + a new error every retry.
    if (written > 0) this.recovered();
    if (limited && (this.size >= maxBytes || (full && written === length))) {
      if (!(await this.rotate())) return written;
    }
    return written;
  }

  // PATH.(N-1) -> PATH.N ... PATH -> PATH.1, then a new empty PATH.
  private async rotate(): Promise<boolean> {
    const { path, backups } = this.options;
    await this.closeFd();
    try {
      if (backups > 0) {
        // One readdir instead of an exists() per backup slot: with many
        // backups most slots are empty, and each probe is a threadpool trip.
        const present = new Set(await readdir(dirname(path)));
        const name = basename(path);
        for (let i = backups - 1; i >= 1; i--) {
          if (present.has(`${name}.${i}`)) await renameIfExists(`${path}.${i}`, `${path}.${i + 1}`);
        }
        await renameIfExists(path, `${path}.1`);
      }
    } catch (error) {
      await this.fail(error, 'rotate');
      return false;
    }
    return this.openFile(APPEND_TRUNCATE);
  }

  private async openFile(flags: number): Promise<boolean> {
    let fd: number | null = null;
    try {
      const creating = this.mode !== null && (flags & constants.O_TRUNC || !(await exists(this.options.path)));
      fd = await openFd(this.options.path, flags, 0o666);
      let info = await fstatFd(fd);
      if (creating && info.isFile() && (info.mode & 0o7777) !== this.mode) {
        await fchmodFd(fd, this.mode as number);
        info = await fstatFd(fd);
      }
      this.mode ??= info.mode & 0o7777;
      this.rotatable = info.isFile();
      this.gate.reset(info.isFile() && (await onLocalFilesystem(fd)));
      this.size = info.isFile() ? info.size : 0;
    } catch (error) {
      if (fd !== null) await closeFd(fd).catch(() => undefined);
      await this.fail(error, 'open');
      return false;
    }
    this.fd = fd;
    this.cancelRetry();
    // An open ends an episode of failed opens or renames (EACCES, directory
    // gone); after a failed write only a write that lands does (writeLocked).
    if (this.failedOperation !== 'write') this.recovered();
    return true;
  }

  private async closeFd(): Promise<void> {
    const fd = this.fd;
    if (fd === null) return;
    this.fd = null;
    // close(2) errors (EIO on NFS) leave nothing to retry: the fd is gone.
    await closeFd(fd).catch(() => undefined);
  }

  private discard(bytes: number): number {
    if (!this.closed) this.lost += bytes;
    return bytes;
  }

  private async fail(error: unknown, operation: string): Promise<void> {
    await this.closeFd();
    if (this.closed) return;
    this.scheduleRetry();
    this.failedOperation = operation;
    if (this.failing) return;
    this.failing = true;
    this.lost = 0;
    const errno = errnoCode(error) ?? 'EUNKNOWN';
    const reason = error instanceof Error ? error.message : String(error);
    this.options.logger.error(
      { path: this.options.path, errno, operation },
      `cannot ${operation} log file ${this.options.path}: ${errno} (${reason}); ` +
        `discarding its output and retrying every ${this.retryMs} ms`,
    );
  }

  private recovered(): void {
    this.cancelRetry();
    if (!this.failing) return;
    this.failing = false;
    const lost = this.lost;
    this.lost = 0;
    this.options.logger.warn(
      { path: this.options.path, lostBytes: lost },
      `log file ${this.options.path} is writable again; ${lost} bytes were lost`,
    );
  }

  private scheduleRetry(): void {
    if (this.retryTimer !== null || this.retryMs <= 0) return;
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = null;
      void this.exclusive(async () => {
        if (this.closed || this.fd !== null) return;
        await this.openFile(APPEND);
      });
    }, this.retryMs);
  }

  private cancelRetry(): void {
    if (this.retryTimer === null) return;
    this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}

// rename(2) replaces the target atomically; a missing source is a gap in the
// backups (or PATH removed by a cleanup script), as supervisord tolerates.
async function renameIfExists(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT') throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false; // ENOENT, or unreadable: open() will say what is wrong
  }
}
