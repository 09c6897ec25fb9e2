// Formats batches of lines for a shared console: `name | line`, names padded
// to one width, optional ANSI color per program and ISO-8601 timestamps. One
// output Buffer per batch, every line ending in '\n', so the console writer
// gets few large writes and whole lines only.

import type { LineBatch } from './line-splitter.ts';
import { native } from '../native/addon.ts';
import { outputBuffers } from './buffer-pool.ts';

export interface Decorate {
  prefix: boolean;
  color: boolean;
  timestamps: boolean;
}

// Foreground colors that read on dark and light terminals; red is left out so
// program output does not look like vigil's own errors. Stable by program
// index (config order), so a program keeps its color across restarts.
export const PROGRAM_PALETTE: readonly number[] = [36, 33, 32, 35, 34, 96, 93, 92, 95, 94];

const ESC = '\u001b[';
const RESET = `${ESC}0m`;
const NEWLINE = 10;
const SPACE = 0x20;
const EMPTY = Buffer.alloc(0);
// `2026-11-25T13:40:01.123Z`
const TIMESTAMP_LENGTH = 24;

export interface LineFormatterOptions {
  processName: string;
  // Width of the longest process name in the config.
  nameWidth: number;
  // Program index, picks the palette color.
  colorIndex: number;
  decorate: Decorate;
  // Clock for timestamps, injectable for tests.
  now?: () => number;
}

// Formats line batches of one program into output buffers.
export class LineFormatter {
  // Constant part: `[color]name   |[reset] ` (empty without prefix).
  readonly prefix: Buffer;
  private readonly timestamps: boolean;
  private readonly now: () => number;
  private stampMs = -1;
  private readonly stamp: Buffer = Buffer.alloc(TIMESTAMP_LENGTH + 1, SPACE);

  constructor(options: LineFormatterOptions) {
    this.prefix = Buffer.from(formatPrefix(options));
    this.timestamps = options.decorate.timestamps;
    this.now = options.now ?? Date.now;
  }

  // Bytes added in front of every line (constant per formatter).
  get decorationBytes(): number {
    return this.prefix.length + (this.timestamps ? this.stamp.length : 0);
  }

  format(batch: LineBatch): Buffer {
    const head = this.headBuffer();
    if (head.length === 0) return formatBare(batch);
    const headLength = head.length;
    const { carry, data, starts, ends, count } = batch;
    let contentBytes = count > 0 ? ends[count - 1]! - starts[0]! : 0;
    // Within data, the bytes between lines are single newlines unless a line
    // was cut; the span minus (count - 1) separators is the content.
    if (batch.contiguous) {
      contentBytes -= count > 0 ? count - 1 : 0;
    } else {
      contentBytes = 0;
      for (let i = 0; i < count; i++) contentBytes += ends[i]! - starts[i]!;
    }
    const carryBytes = carry === null ? 0 : headLength + carry.length + 1;
    const total = carryBytes + count * (headLength + 1) + contentBytes;
    // Given back to the pool by the write queue once written.
    const out = outputBuffers.take(total);
    if (carry !== null) {
      out.set(head, 0);
      out.set(carry, headLength);
      out[carryBytes - 1] = NEWLINE;
    }
    if (count > 0) native().prefixLines(out, carryBytes, head, data, starts, ends, count);
    return out;
  }

  // Timestamp (when enabled) and prefix; the timestamp is taken once per batch:
  // the lines of one chunk arrived together.
  private headBuffer(): Buffer {
    if (!this.timestamps) return this.prefix;
    const ms = this.now();
    if (ms !== this.stampMs) {
      this.stampMs = ms;
      this.stamp.write(new Date(ms).toISOString(), 0, 'latin1');
    }
    return this.prefix.length === 0 ? this.stamp : Buffer.concat([this.stamp, this.prefix]);
  }
}

// Lines without decoration, copied out of the chunk (the pipe's read buffer,
// reused for the next read) into one pooled buffer.
function formatBare(batch: LineBatch): Buffer {
  const { carry, data, starts, ends, count } = batch;
  let total = carry === null ? 0 : carry.length + 1;
  for (let i = 0; i < count; i++) total += ends[i]! - starts[i]! + 1;
  const out = outputBuffers.take(total);
  let at = 0;
  if (carry !== null) {
    out.set(carry, 0);
    at = carry.length;
    out[at++] = NEWLINE;
  }
  if (count > 0 && batch.contiguous) {
    // Whole lines with their newlines, back to back: one copy.
    data.copy(out, at, starts[0]!, ends[count - 1]! + 1);
    return out;
  }
  native().prefixLines(out, at, EMPTY, data, starts, ends, count);
  return out;
}

// `web_00 | `, padded to the widest name, colored when asked.
export function formatPrefix(options: Omit<LineFormatterOptions, 'now'>): string {
  if (!options.decorate.prefix) return '';
  const label = `${options.processName.padEnd(options.nameWidth)} |`;
  if (!options.decorate.color) return `${label} `;
  return `${colorCode(options.colorIndex)}${label}${RESET} `;
}

// The ANSI "set foreground" sequence for a program index.
export function colorCode(colorIndex: number): string {
  const size = PROGRAM_PALETTE.length;
  const color = PROGRAM_PALETTE[((colorIndex % size) + size) % size]!;
  return `${ESC}${color}m`;
}
