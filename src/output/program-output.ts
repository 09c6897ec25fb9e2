// Wires one pipe (one channel of one process) to its destination and to the
// program's ring buffer. Backpressure is pipe backpressure: when the sink's
// queue is over its high-water mark the readable is paused, libuv stops
// reading the fd, the pipe fills and the kernel blocks the program's write(2)
// — nothing is buffered without bound and nothing is dropped.
//
// redirect_stderr: the daemon gives the child the same pipe for fds 1 and 2
// (dup2 in the child, as supervisord does), and attaches ONE ProgramOutput on
// channel 'stdout'. The kernel then keeps the program's own order between its
// stdout and stderr writes, which merging two pipes here could not.

import type { Readable } from 'node:stream';
import type { Logger } from '../log/logger.ts';
import { DEFAULT_MAX_LINE_BYTES, LineSplitter } from './line-splitter.ts';
import type { LineBatch, LineSplitterOptions } from './line-splitter.ts';
import { LineFormatter } from './prefix.ts';
import type { Decorate } from './prefix.ts';
import type { RingBuffer } from './ring-buffer.ts';
import { outputBuffers } from './buffer-pool.ts';
import { AnsiStripper } from './strip-ansi.ts';

export type Channel = 'stdout' | 'stderr';

// What a ProgramOutput writes into: a WriteQueue (FdWriter, RotatingFile).
export interface OutputSink {
  write(buf: Buffer): boolean;
  // Writes synchronously what the destination takes now, without keeping
  // the buffer; returns the bytes written (WriteQueue.writeNow).
  writeNow?(buf: Buffer): number;
  once(event: 'drain', listener: () => void): unknown;
  readonly highWaterMark: number;
}

export interface ProgramOutputOptions {
  readable: Readable;
  channel: Channel;
  processName: string;
  nameWidth: number;
  colorIndex: number;
  // null: drain and discard (`NONE`); the ring buffer still sees everything.
  sink: OutputSink | null;
  // Split into whole lines and decorate them (shared console sinks always:
  // lines of different programs must not mix). False passes chunks through
  // byte for byte (a plain log file).
  lines: boolean;
  decorate: Decorate;
  ring: RingBuffer;
  logger: Logger;
  splitter?: LineSplitterOptions;
  now?: () => number;
  // [supervisord] strip_ansi=true: ANSI escapes are removed before anything
  // else sees the bytes (supervisord strips them before its log file, which
  // is also what its tail reads).
  stripAnsi?: boolean;
  // Sees every chunk as read (after strip_ansi); the chunk may be a reused
  // read buffer, so a callback that keeps it must copy it. For PROCESS_LOG events.
  onChunk?: (chunk: Buffer) => void;
}

// The daemon reads a pipe this much at a time (its `onread` buffer), as much
// as the pipe holds (the addon asks 256 KiB with F_SETPIPE_SZ): a fast writer
// costs one wake-up per 256 KiB instead of four per 64 KiB (BENCHMARKS.md).
export const PIPE_READ_BYTES = 256 * 1024;

export interface MemoryBoundInput {
  readableHighWaterMark: number;
  maxLineBytes: number;
  ringCapacity: number;
  // Bytes of prefix/timestamp added per line (LineFormatter.decorationBytes).
  decorationBytes: number;
}

// Upper bound, in bytes, of what one program's channel can hold in vigil:
//   readable buffer: its highWaterMark plus the one 64 KiB read that crosses it
// + the held partial line (maxLineBytes)
// + the ring buffer (its capacity)
// + what it adds to its sink after the sink said "stop": one formatted chunk,
//   at worst 64 KiB of empty lines each growing to decoration + '\n', plus one
//   timer-flushed partial line.
// The sink's own queue (high-water mark, 1 MiB) comes on top once per sink:
// once per console fd, shared by all programs; once per log file.
export function programOutputMemoryBound(input: MemoryBoundInput): number {
  const readable = input.readableHighWaterMark + PIPE_READ_BYTES;
  const overshoot = PIPE_READ_BYTES * (input.decorationBytes + 1) + input.maxLineBytes + input.decorationBytes + 1;
  return readable + input.maxLineBytes + input.ringCapacity + overshoot;
}

export class ProgramOutput {
  readonly channel: Channel;
  readonly processName: string;
  // Resolves when the pipe has ended (or failed) and its last line was handed on.
  readonly closed: Promise<void>;
  private readonly options: ProgramOutputOptions;
  private readonly splitter: LineSplitter | null;
  private readonly formatter: LineFormatter | null;
  private paused = false;
  private blocked = false;
  private bytesRead = 0;
  private finished = false;
  private resolveClosed!: () => void;
  private readonly stripper: AnsiStripper | null;

  constructor(options: ProgramOutputOptions) {
    this.options = options;
    this.stripper = options.stripAnsi === true ? new AnsiStripper() : null;
    this.channel = options.channel;
    this.processName = options.processName;
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });
    if (options.sink !== null && options.lines) {
      this.formatter = new LineFormatter({ ...options, now: options.now ?? Date.now });
      this.splitter = new LineSplitter((batch) => this.onLines(batch), options.splitter);
    } else {
      this.formatter = null;
      this.splitter = null;
    }
    const { readable } = options;
    // A socket created with `onread` (the daemon's pipes) calls push() itself
    // and emits no 'data'; any other Readable is fed here.
    readable.on('data', (chunk: Buffer) => this.onData(chunk));
    readable.on('end', () => this.finish());
    readable.on('close', () => this.finish());
    readable.on('error', (error: NodeJS.ErrnoException) => {
      // EIO/ECONNRESET on a pipe means the writer side is gone: end of output.
      options.logger.debug({ process: this.processName, channel: this.channel, errno: error.code }, 'output pipe error');
      this.finish();
    });
  }

  // Bytes read from the pipe so far.
  get totalBytes(): number {
    return this.bytesRead;
  }

  // True while the pipe is paused for a slow sink.
  get isPaused(): boolean {
    return this.paused;
  }

  // Bytes per line added by the prefix and timestamp.
  get decorationBytes(): number {
    return this.formatter?.decorationBytes ?? 0;
  }

  // This channel's bound (see programOutputMemoryBound).
  get memoryBound(): number {
    return programOutputMemoryBound({
      readableHighWaterMark: this.options.readable.readableHighWaterMark,
      maxLineBytes: this.options.splitter?.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
      ringCapacity: this.options.ring.capacity,
      decorationBytes: this.decorationBytes,
    });
  }

  // Stops reading (e.g. a grandchild keeps the pipe open after the program
  // exited and the daemon gives up on it): flushes the held line, closes the fd.
  close(): void {
    this.options.readable.destroy();
    this.finish();
  }

  // Feeds one chunk read from the pipe. The chunk may be a read buffer that is
  // reused as soon as this returns (net.Socket `onread`): nothing here keeps
  // it; whatever must outlive the call is copied (ring, pooled output).
  // Returns false when the pipe should not be read further for now.
  push(chunk: Buffer): boolean {
    this.onData(chunk);
    return !this.paused;
  }

  private onData(read: Buffer): void {
    this.bytesRead += read.length;
    const chunk = this.stripper === null ? read : this.stripper.strip(read);
    this.options.onChunk?.(chunk);
    this.options.ring.append(chunk);
    const { sink } = this.options;
    if (sink === null) return;
    if (this.splitter !== null) this.splitter.push(chunk);
    else if (!deliver(sink, chunk, false)) this.blocked = true;
    if (this.blocked) this.pauseUntilDrain(sink);
  }

  private onLines(batch: LineBatch): void {
    const sink = this.options.sink!;
    if (!deliver(sink, this.formatter!.format(batch), true)) {
      this.blocked = true;
      // A timer-flushed partial line arrives outside onData: pause here too.
      this.pauseUntilDrain(sink);
    }
  }

  private pauseUntilDrain(sink: OutputSink): void {
    this.blocked = false;
    if (this.paused || this.finished) return;
    this.paused = true;
    this.options.readable.pause();
    // The held partial line's rest is in the paused pipe: no timer flush now.
    this.splitter?.pauseFlush();
    sink.once('drain', () => {
      this.paused = false;
      if (this.finished) return;
      this.splitter?.resumeFlush();
      this.options.readable.resume();
    });
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.splitter?.end();
    this.resolveClosed();
  }
}

// Hands `chunk` to the sink: written at once when the sink takes synchronous
// writes now, the rest queued. `owned`: a pooled buffer of the caller's,
// given back to the pool once written, or queued as it is; otherwise the
// shared read buffer, of which only a queued rest is copied. False: the sink
// is over its high-water mark.
function deliver(sink: OutputSink, chunk: Buffer, owned: boolean): boolean {
  const now = sink.writeNow?.(chunk) ?? 0;
  if (now === chunk.length) {
    if (owned) outputBuffers.release(chunk);
    return true;
  }
  const rest = now === 0 ? chunk : chunk.subarray(now);
  return sink.write(owned ? rest : copyOut(rest));
}

// A pooled copy of a read chunk, for sinks that keep it until written.
function copyOut(chunk: Buffer): Buffer {
  const out = outputBuffers.take(chunk.length);
  chunk.copy(out, 0);
  return out;
}
