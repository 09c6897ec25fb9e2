// Ordered writer for a file descriptor vigil does not own (its fd 1 or 2,
// shared with other processes). Pipes and terminals are written through
// libuv's threadpool (fs.writev), so a slow or blocked reader never blocks
// PID 1's event loop; process.stdout would, being synchronous for pipes and
// files on Linux. A regular file on a local disk (`> log`) is written
// synchronously while that stays fast (sync-write-gate.ts). The fd's flags
// are left alone: setting O_NONBLOCK would change them for every process
// sharing the open file description.

import { writeSync, writev, writevSync } from 'node:fs';
import type { Logger } from '../log/logger.ts';
import { errnoCode } from '../errors.ts';
import { SyncWriteGate, locallyBacked } from './sync-write-gate.ts';
import { WriteQueue } from './write-queue.ts';
import type { WriteQueueOptions, WriteTarget } from './write-queue.ts';

export interface FdWriterOptions extends WriteQueueOptions {
  fd: number;
  // Names the destination in log messages (`stdout`).
  name: string;
  logger: Logger;
  // Called once at the start of each failure episode (after logging).
  onWriteError?: (error: NodeJS.ErrnoException) => void;
  // Called when writes succeed again, with the bytes discarded meanwhile.
  onRecover?: (lostBytes: number) => void;
}

// Someone else may have made the shared fd non-blocking: EAGAIN then just
// means "full", so wait and retry, doubling up to this bound.
const MAX_RETRY_DELAY_MS = 100;

// WriteQueue events: 'drain'.
export class FdWriter extends WriteQueue {
  readonly fd: number;

  constructor(options: FdWriterOptions) {
    const target = new FdTarget(options);
    super(target, options);
    this.fd = options.fd;
  }
}

class FdTarget implements WriteTarget {
  private readonly options: FdWriterOptions;
  private failing = false;
  private lost = 0;

  // Open for a regular file on a local disk (vigil's stdout as `> log`).
  private readonly gate: SyncWriteGate;

  constructor(options: FdWriterOptions) {
    this.options = options;
    // Closed until the check below says the fd qualifies.
    this.gate = new SyncWriteGate(false);
    void locallyBacked(options.fd).then((local) => this.gate.reset(local));
  }

  async write(chunks: readonly Buffer[], totalBytes: number): Promise<number> {
    let delay = 1;
    for (;;) {
      try {
        const { fd } = this.options;
        const written = this.gate.open ? this.gate.timed(() => writevSync(fd, chunks as Buffer[])) : await writevAsync(fd, chunks);
        this.recovered();
        return written;
      } catch (error) {
        const code = errnoCode(error);
        if (code === 'EAGAIN' || code === 'EWOULDBLOCK' || code === 'EINTR') {
          await new Promise((resolve) => setTimeout(resolve, delay));
          delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS);
          continue;
        }
        // EPIPE (reader gone), EBADF (fd closed), ENOSPC/EIO (redirected to a
        // full or broken disk): nothing will take these bytes. Discard them so
        // programs keep running and their pipes keep draining; say so once.
        this.failed(error as NodeJS.ErrnoException, totalBytes);
        return totalBytes;
      }
    }
  }

  writeNow(chunk: Buffer): number {
    // While failing, the queued path writes, so that it reports the recovery.
    if (!this.gate.open || this.failing) return 0;
    try {
      return this.gate.timed(() => writeSync(this.options.fd, chunk));
    } catch {
      return 0;
    }
  }

  private failed(error: NodeJS.ErrnoException, bytes: number): void {
    this.lost += bytes;
    if (this.failing) return;
    this.failing = true;
    const { fd, name, logger } = this.options;
    logger.error(
      { fd, errno: error.code },
      `cannot write program output to ${name} (fd ${fd}): ${error.code ?? error.message}; discarding it until writes succeed again`,
    );
    this.options.onWriteError?.(error);
  }

  private recovered(): void {
    if (!this.failing) return;
    const lost = this.lost;
    this.failing = false;
    this.lost = 0;
    const { fd, name, logger } = this.options;
    logger.warn({ fd, lostBytes: lost }, `writing program output to ${name} (fd ${fd}) works again; ${lost} bytes were lost`);
    this.options.onRecover?.(lost);
  }
}

// fs.writev as a promise, keeping the (err, bytesWritten) contract.
export function writevAsync(fd: number, chunks: readonly Buffer[], position: number | null = null): Promise<number> {
  return new Promise((resolve, reject) => {
    writev(fd, chunks as Buffer[], position, (error, written) => {
      if (error) reject(error);
      else resolve(written);
    });
  });
}
