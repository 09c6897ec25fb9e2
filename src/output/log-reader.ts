// LogReader implementations for the control API: a log file read on demand,
// or a ring buffer (output that went to vigil's stdout, vigil's own log
// without a logfile). See api.ts LogReader for the offset rules.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { LogReader } from '../control/api.ts';
import type { RingBuffer } from './ring-buffer.ts';

export function ringReader(ring: RingBuffer): LogReader {
  return {
    size: () => ring.totalBytes,
    read: (offset, length) => ring.readFrom(offset, length === 0 ? ring.capacity : length).data,
  };
}

// Opens the file per call, as supervisord's readFile does: a rotated or
// truncated file is simply read as it is now. Throws the fs error (ENOENT ...).
export function fileReader(path: string): LogReader {
  const withFile = <T>(use: (fd: number) => T): T => {
    const fd = openSync(path, 'r');
    try {
      return use(fd);
    } finally {
      closeSync(fd);
    }
  };
  return {
    size: () => withFile((fd) => fstatSync(fd).size),
    read: (offset, length) =>
      withFile((fd) => {
        const size = fstatSync(fd).size;
        const start = Math.min(Math.max(0, offset), size);
        const count = length === 0 ? size - start : Math.min(length, size - start);
        const out = Buffer.allocUnsafe(Math.max(0, count));
        let done = 0;
        while (done < out.length) {
          const got = readSync(fd, out, done, out.length - done, start + done);
          if (got === 0) break;
          done += got;
        }
        return out.subarray(0, done);
      }),
  };
}
