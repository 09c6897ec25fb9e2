// The open rotating log files, one RotatingFile per path however many
// channels write to it: two writers rotating the same path would rename the
// file under each other and break the "backups + current = all bytes" rule
// (a restarted program while a grandchild still holds the old pipe; stdout
// and stderr naming one file). SIGUSR2 reopens them all.

import type { Logger } from '../log/logger.ts';
import { RotatingFile } from './rotating-file.ts';
import type { RotatingFileOptions } from './rotating-file.ts';

export interface LogFileHandle {
  readonly file: RotatingFile;
  // Drops this user; the last one closes the file (after writing its queue).
  release(): Promise<void>;
}

export type LogFileSettings = Omit<RotatingFileOptions, 'path' | 'logger'>;

export class LogFiles {
  private readonly logger: Logger;
  private readonly open = new Map<string, { file: RotatingFile; users: number }>();
  // Files released by their last user and still writing their queue.
  private readonly closing = new Set<Promise<void>>();

  constructor(logger: Logger) {
    this.logger = logger;
  }

  // The file for `path`, opened on first use. Later users share it with the
  // first user's settings (supervisord keys are per program, so a clash is a
  // config mistake; the first opener wins rather than rotating twice).
  acquire(path: string, settings: LogFileSettings): LogFileHandle {
    let entry = this.open.get(path);
    if (entry === undefined) {
      entry = { file: new RotatingFile({ ...settings, path, logger: this.logger }), users: 0 };
      this.open.set(path, entry);
    }
    entry.users++;
    const current = entry;
    let released = false;
    return {
      file: current.file,
      release: async () => {
        if (released) return;
        released = true;
        current.users--;
        if (current.users > 0) return;
        if (this.open.get(path) === current) this.open.delete(path);
        const closed = current.file.close();
        this.closing.add(closed);
        try {
          await closed;
        } finally {
          this.closing.delete(closed);
        }
      },
    };
  }

  // SIGUSR2: close and reopen every file (after an external logrotate rename).
  async reopenAll(): Promise<void> {
    await Promise.all([...this.open.values()].map((entry) => entry.file.reopen()));
  }

  // Resolves when every file has written what it was given, including files
  // whose last user is gone and that are closing.
  async idle(): Promise<void> {
    await Promise.all([...this.open.values()].map((entry) => entry.file.idle()));
    await Promise.all([...this.closing]);
  }

  get paths(): string[] {
    return [...this.open.keys()];
  }
}
