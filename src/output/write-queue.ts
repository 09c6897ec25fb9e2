// An ordered, bounded write queue in front of one destination: buffers are
// written in order, one write in flight at a time, queued buffers coalesced
// into one writev of up to `maxWriteBytes`. `write()` returns false above the
// high-water mark and 'drain' fires when the queue falls back under it: the
// signal the pipe readers use to pause (stream.Writable's contract).

import { EventEmitter } from 'node:events';
import { outputBuffers } from './buffer-pool.ts';

export const DEFAULT_HIGH_WATER_MARK = 1024 * 1024;
export const DEFAULT_MAX_WRITE_BYTES = 1024 * 1024;
// Linux IOV_MAX; writev fails with EINVAL beyond it.
const MAX_IOVECS = 1024;

// Where the bytes go. Resolves with how many leading bytes of `chunks` were
// consumed (written, or deliberately discarded after an error it has reported);
// fewer than `totalBytes` is a partial write and the rest is offered again.
// It must not reject: a destination owns its error policy.
export interface WriteTarget {
  write(chunks: readonly Buffer[], totalBytes: number): Promise<number>;
  // Writes `chunk` before returning if the destination takes synchronous
  // writes at the moment (sync-write-gate.ts); returns the bytes written, 0
  // when it does not (the caller then queues the chunk) or the write failed
  // (the queued write retries it and reports the error). Must not throw.
  writeNow?(chunk: Buffer): number;
}

export interface WriteQueueOptions {
  highWaterMark?: number;
  maxWriteBytes?: number;
}

export class WriteQueue extends EventEmitter {
  readonly highWaterMark: number;
  private readonly maxWriteBytes: number;
  private readonly target: WriteTarget;
  private readonly queue: Buffer[] = [];
  // Index of the first unwritten buffer in `queue` (avoids shift() per buffer).
  private queueHead = 0;
  private queued = 0;
  private writing = false;
  private needDrain = false;
  private idleWaiters: Array<() => void> = [];
  private peak = 0;

  constructor(target: WriteTarget, options: WriteQueueOptions = {}) {
    super();
    // Every program sharing a console writer waits for its 'drain'.
    this.setMaxListeners(0);
    this.target = target;
    this.highWaterMark = options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK;
    this.maxWriteBytes = options.maxWriteBytes ?? DEFAULT_MAX_WRITE_BYTES;
  }

  // Bytes accepted but not yet written.
  get queuedBytes(): number {
    return this.queued;
  }

  // Largest queuedBytes seen (tests and benchmarks check the bound with it).
  get peakQueuedBytes(): number {
    return this.peak;
  }

  // Queues `buf`; false means "stop producing until 'drain'". The buffer is
  // kept by reference: the caller must not modify it afterwards.
  write(buf: Buffer): boolean {
    if (buf.length > 0) {
      this.queue.push(buf);
      this.queued += buf.length;
      if (this.queued > this.peak) this.peak = this.queued;
      if (!this.writing) this.pump();
    }
    const ok = this.queued < this.highWaterMark;
    if (!ok) this.needDrain = true;
    return ok;
  }

  // Writes `chunk` synchronously when nothing is queued or in flight (so order
  // holds) and the target allows it; returns the bytes written (0: none). The
  // chunk is not kept: a read buffer reused after this call is fine, and the
  // caller queues (a copy of) whatever was not written.
  writeNow(chunk: Buffer): number {
    if (this.writing || this.queued > 0 || this.target.writeNow === undefined) return 0;
    return this.target.writeNow(chunk);
  }

  // Resolves once everything queued so far has been written (or discarded).
  idle(): Promise<void> {
    if (!this.writing && this.queued === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    this.writing = true;
    const chunks: Buffer[] = [];
    let total = 0;
    while (this.queueHead < this.queue.length && chunks.length < MAX_IOVECS) {
      const next = this.queue[this.queueHead]!;
      if (total > 0 && total + next.length > this.maxWriteBytes) break;
      chunks.push(next);
      total += next.length;
      this.queueHead++;
    }
    this.target.write(chunks, total).then(
      (consumed) => this.written(chunks, total, consumed),
      // A target must not reject; if one does anyway, count the batch as
      // consumed rather than retrying it forever.
      () => this.written(chunks, total, total),
    );
  }

  private written(chunks: Buffer[], total: number, consumed: number): void {
    const done = Math.max(0, Math.min(consumed, total));
    this.queued -= done;
    // Chunks written in full go back to the output pool (if they came from it).
    let left = done;
    for (const chunk of chunks) {
      if (left < chunk.length) break;
      left -= chunk.length;
      outputBuffers.release(chunk);
    }
    if (done < total) {
      // Partial write: put the unwritten tail back in front, in order.
      let skip = done;
      let index = 0;
      while (skip >= chunks[index]!.length) skip -= chunks[index++]!.length;
      const rest = chunks.slice(index);
      rest[0] = rest[0]!.subarray(skip);
      this.queueHead -= rest.length;
      for (let i = 0; i < rest.length; i++) this.queue[this.queueHead + i] = rest[i]!;
    }
    if (this.queueHead > 1024 || this.queueHead === this.queue.length) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
    if (this.needDrain && this.queued < this.highWaterMark) {
      this.needDrain = false;
      this.emit('drain');
    }
    if (this.queueHead < this.queue.length) {
      this.pump();
      return;
    }
    this.writing = false;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
