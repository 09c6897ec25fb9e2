// supervisord's two ways of reading a log by offsets (supervisor/options.py
// readFile and tailFile), as pure functions over a LogReader, so files and
// ring buffers answer readProcessStdoutLog / tailProcessStdoutLog alike.
import type { LogReader } from './api.ts';

export class LogWindowError extends Error {
  constructor(readonly fault: 'BAD_ARGUMENTS' | 'FAILED') {
    super(fault);
  }
}

// readFile: a negative offset means "the last -offset bytes" (length must then
// be 0); otherwise `length` bytes from `offset` (0: to the end). A negative
// length is BAD_ARGUMENTS; a reader that throws (file gone) is FAILED.
export function readWindow(reader: LogReader, offset: number, length: number): Buffer {
  try {
    if (offset < 0) {
      if (length !== 0) throw new LogWindowError('BAD_ARGUMENTS');
      const size = reader.size();
      const from = Math.max(0, size + offset);
      return reader.read(from, size - from);
    }
    if (length < 0) throw new LogWindowError('BAD_ARGUMENTS');
    if (length === 0) return reader.read(offset, 0);
    return reader.read(offset, length);
  } catch (error) {
    if (error instanceof LogWindowError) throw error;
    throw new LogWindowError('FAILED');
  }
}

export interface TailWindow {
  data: Buffer;
  offset: number; // the log's size: where the next tail should start
  overflow: boolean; // more than `length` bytes came since `offset`
}

// tailFile: at most `length` bytes ending at the log's end, starting no
// earlier than `offset`; overflow when the log grew past offset + length.
export function tailWindow(reader: LogReader, offset: number, length: number): TailWindow {
  let size: number;
  try {
    size = reader.size();
  } catch {
    return { data: Buffer.alloc(0), offset, overflow: false };
  }
  let overflow = false;
  let from = offset;
  let count = length;
  if (size > from + count) {
    overflow = true;
    from = size - 1;
  }
  if (from + count > size) {
    if (from > size - 1) count = 0;
    from = size - count;
  }
  if (from < 0) from = 0;
  if (count < 0) count = 0;
  const data = count === 0 ? Buffer.alloc(0) : reader.read(from, count);
  return { data, offset: size, overflow };
}
