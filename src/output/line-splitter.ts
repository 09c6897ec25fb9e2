// Splits a program's byte stream into lines without decoding it: bytes that
// are not UTF-8 (and '\r') pass through untouched. Lines from one pushed chunk
// are handed on as one batch, so the formatter can build one output buffer per
// chunk instead of one per line.

import { native } from '../native/addon.ts';
import { realTimers } from './timers.ts';
import type { Timers } from './timers.ts';

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;
// Long enough to gather the rest of a line written in two write(2) calls,
// short enough that a prompt without newline ("Password: ") shows promptly.
export const DEFAULT_PARTIAL_FLUSH_MS = 200;

// The complete lines found in one chunk. Valid only during the callback: the
// arrays and `carry` are reused by the splitter.
export interface LineBatch {
  // A line completed in this batch that began in earlier chunks (held bytes
  // plus the head of this chunk), or a flushed partial line; it comes first.
  carry: Buffer | null;
  // The chunk the other lines live in; line i is data[starts[i], ends[i]),
  // newline excluded.
  data: Buffer;
  starts: Int32Array;
  ends: Int32Array;
  count: number;
  // False when a line in `data` was cut at the length bound (it has no '\n'
  // after it in `data`), so data[starts[0], ends[count-1] + 1) is not simply
  // the lines with their newlines.
  contiguous: boolean;
}

export type LineBatchHandler = (batch: LineBatch) => void;

export interface LineSplitterOptions {
  maxLineBytes?: number;
  partialFlushMs?: number;
  timers?: Timers;
}

const EMPTY = Buffer.alloc(0);
const NEWLINE = 10;
// Line slots of a batch to start with; they double when a read holds more
// lines (a 256 KiB read of short lines needs a few thousand, once).
const INITIAL_LINES = 64;

export class LineSplitter {
  private readonly maxLine: number;
  private readonly flushMs: number;
  private readonly timers: Timers;
  private readonly onBatch: LineBatchHandler;
  // Bytes of the unfinished last line, copied out of the chunk so a held line
  // costs at most maxLine bytes, not the whole chunk it came in. It grows on
  // demand (reserveHold): most lines are short, and 64 KiB per pipe from the
  // start was most of a quiet program's memory.
  private hold: Buffer = EMPTY;
  private held = 0;
  private timer: unknown = null;
  // The last line was a partial one flushed by the timer: a newline arriving
  // next only ends that already shown line, it is not an empty line of its own.
  private flushedPartial = false;
  // Set while the pipe is paused for a slow sink (pauseFlush).
  private flushPaused = false;
  private readonly batch: LineBatch;
  // splitLines' in/out state: [lineStart, count, cut (1 when a line was cut)].
  private readonly scan = new Int32Array(3);

  constructor(onBatch: LineBatchHandler, options: LineSplitterOptions = {}) {
    this.maxLine = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    if (!Number.isInteger(this.maxLine) || this.maxLine <= 0) {
      throw new RangeError(`maxLineBytes must be a positive integer, got ${this.maxLine}`);
    }
    this.flushMs = options.partialFlushMs ?? DEFAULT_PARTIAL_FLUSH_MS;
    this.timers = options.timers ?? realTimers;
    this.onBatch = onBatch;
    this.batch = {
      carry: null,
      data: EMPTY,
      starts: new Int32Array(INITIAL_LINES),
      ends: new Int32Array(INITIAL_LINES),
      count: 0,
      contiguous: true,
    };
  }

  // Bytes of the partial line currently held.
  get pending(): number {
    return this.held;
  }

  push(chunk: Buffer): void {
    const batch = this.batch;
    const max = this.maxLine;
    const length = chunk.length;
    batch.carry = null;
    batch.data = chunk;
    batch.count = 0;
    batch.contiguous = true;
    let lineStart = 0;
    if (this.flushedPartial && length > 0) {
      this.flushedPartial = false;
      if (chunk[0] === NEWLINE) lineStart = 1;
    }

    if (this.held > 0) {
      const newline = chunk.indexOf(NEWLINE);
      const headLength = newline === -1 ? length : newline;
      const room = max - this.held;
      if (headLength <= room) {
        this.reserveHold(this.held + headLength);
        chunk.copy(this.hold, this.held, 0, headLength);
        this.held += headLength;
        if (newline === -1) return; // still no end of line: keep holding
        batch.carry = this.hold.subarray(0, this.held);
        lineStart = newline + 1;
      } else {
        // The held line outgrows the bound: emit it cut at exactly maxLine
        // bytes; the rest of the chunk's first line continues as a new line.
        this.reserveHold(max);
        chunk.copy(this.hold, this.held, 0, room);
        batch.carry = this.hold.subarray(0, max);
        lineStart = room;
        batch.contiguous = false;
      }
      this.held = 0;
      this.cancelTimer();
    }

    // Every line of the chunk (cut at `max`) into starts/ends: memchr and a
    // few stores per line in the addon; in JavaScript this loop was one
    // indexOf call per line, the larger half of the cost of prefixed output.
    const scan = this.scan;
    scan[0] = lineStart;
    scan[1] = 0;
    scan[2] = 0;
    while (!native().splitLines(chunk, max, batch.starts, batch.ends, scan)) this.grow();
    lineStart = scan[0]!;
    const count = scan[1]!;
    if (scan[2] === 1) batch.contiguous = false;
    batch.count = count;
    if (count > 0 || batch.carry !== null) this.onBatch(batch);
    batch.carry = null;

    const rest = length - lineStart;
    if (rest > 0) {
      this.reserveHold(rest); // held is 0 here
      chunk.copy(this.hold, 0, lineStart, length);
      this.held = rest;
      this.startTimer();
    }
  }

  // Emits the held partial line now (timer, end of pipe, or before a restart).
  flush(): void {
    this.cancelTimer();
    if (this.held === 0) return;
    const batch = this.batch;
    batch.carry = this.hold.subarray(0, this.held);
    batch.data = EMPTY;
    batch.count = 0;
    batch.contiguous = true;
    this.held = 0;
    this.onBatch(batch);
    batch.carry = null;
  }

  // End of stream: the last line needs no newline to be shown.
  end(): void {
    this.flushPaused = false;
    this.flush();
  }

  // The reader stopped reading the pipe for backpressure: the rest of the held
  // line is waiting in the pipe, not late, so the timer must not cut the line
  // in two (found by the slow-reader integration test: each pause longer than
  // the delay broke one line). resumeFlush() restarts the delay.
  pauseFlush(): void {
    this.flushPaused = true;
    this.cancelTimer();
  }

  resumeFlush(): void {
    this.flushPaused = false;
    if (this.held > 0) this.startTimer();
  }

  // Room for `bytes` held bytes (never more than maxLine), keeping what is held.
  private reserveHold(bytes: number): void {
    if (bytes <= this.hold.length) return;
    let size = Math.max(this.hold.length * 2, 256);
    while (size < bytes) size *= 2;
    const grown = Buffer.allocUnsafe(Math.min(size, this.maxLine));
    this.hold.copy(grown, 0, 0, this.held);
    this.hold = grown;
  }

  private grow(): void {
    const size = this.batch.starts.length * 2;
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    starts.set(this.batch.starts);
    ends.set(this.batch.ends);
    this.batch.starts = starts;
    this.batch.ends = ends;
  }

  // The delay counts from when the partial line began, not from its last
  // byte, so a slow dribble (a progress bar of dots) still shows.
  private startTimer(): void {
    if (this.timer !== null || this.flushMs <= 0 || this.flushPaused) return;
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      this.flush();
      this.flushedPartial = true;
    }, this.flushMs);
  }

  private cancelTimer(): void {
    if (this.timer === null) return;
    this.timers.clearTimeout(this.timer);
    this.timer = null;
  }
}
