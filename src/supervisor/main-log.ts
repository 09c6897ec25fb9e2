// vigil's own log as supervisord's readLog / clearLog / `maintail -f` see it:
// the [supervisord] logfile when one is set, else a ring buffer of the lines
// vigil wrote to stderr (the container default, where supervisord's main log
// would be a file nobody can read).
import { existsSync, unlinkSync } from 'node:fs';
import type { ActionResult, LogReader } from '../control/api.ts';
import type { LogSink } from '../log/logger.ts';
import { fileReader, ringReader } from '../output/log-reader.ts';
import { RingBuffer } from '../output/ring-buffer.ts';

export class MainLog implements LogSink {
  readonly ring = new RingBuffer();
  // The logfile and how to reopen it after clearLog removed it.
  file: { path: string; reopen: () => Promise<void> } | null = null;

  write(line: string): void {
    this.ring.append(Buffer.from(line));
  }

  reader(): LogReader {
    return this.file ? fileReader(this.file.path) : ringReader(this.ring);
  }

  follow(onData: (chunk: Buffer) => void): () => void {
    return this.ring.subscribe(onData);
  }

  // rpcinterface.py clearLog: remove the file and reopen it.
  clear(): ActionResult {
    this.ring.clear();
    if (!this.file) return { name: 'supervisord', ok: true };
    if (!existsSync(this.file.path)) return { name: 'supervisord', ok: false, fault: 'NO_FILE', message: this.file.path };
    try {
      unlinkSync(this.file.path);
    } catch (error) {
      return { name: 'supervisord', ok: false, fault: 'FAILED', message: (error as Error).message };
    }
    void this.file.reopen();
    return { name: 'supervisord', ok: true };
  }
}
