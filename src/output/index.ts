// The output pipeline's entry points for the daemon: one set of shared sinks
// (console writers for vigil's fds 1 and 2, the open log files), and one
// ProgramOutput per child pipe.

import type { Readable } from 'node:stream';
import { isatty } from 'node:tty';
import type { Logger } from '../log/logger.ts';
import { FdWriter } from './fd-writer.ts';
import type { LineSplitterOptions } from './line-splitter.ts';
import { LogFiles } from './log-files.ts';
import type { LogFileHandle } from './log-files.ts';
import type { Decorate } from './prefix.ts';
import { ProgramOutput } from './program-output.ts';
import type { Channel, OutputSink } from './program-output.ts';
import type { RingBuffer } from './ring-buffer.ts';
import type { Timers } from './timers.ts';

export type { ProgramOutput } from './program-output.ts';
export { attachPipe } from './pipe-reader.ts';

export type ConsoleFd = 1 | 2;

export type Destination =
  | { kind: 'console'; fd: ConsoleFd }
  | { kind: 'file'; path: string; maxBytes: number; backups: number }
  | { kind: 'none' };

export interface OutputSinks {
  readonly stdout: FdWriter;
  readonly stderr: FdWriter;
  readonly files: LogFiles;
  // Whether vigil's fd is a terminal (colors are only used then).
  isTTY(fd: ConsoleFd): boolean;
  // SIGUSR2.
  reopenFiles(): Promise<void>;
  // Resolves once everything handed to the sinks so far is written (shutdown).
  idle(): Promise<void>;
}

export interface ConsoleSinkOptions {
  highWaterMark?: number;
  // Overrides isatty(fd) (tests).
  isTTY?: (fd: ConsoleFd) => boolean;
  // Overrides the fds (tests write into pipes instead of vigil's own 1 and 2).
  fds?: { stdout: number; stderr: number };
}

// Creates the sinks every program shares; call once per daemon.
export function createConsoleSinks(logger: Logger, options: ConsoleSinkOptions = {}): OutputSinks {
  const fds = options.fds ?? { stdout: 1, stderr: 2 };
  const writerOptions = options.highWaterMark === undefined ? {} : { highWaterMark: options.highWaterMark };
  const stdout = new FdWriter({ ...writerOptions, fd: fds.stdout, name: 'stdout', logger });
  const stderr = new FdWriter({ ...writerOptions, fd: fds.stderr, name: 'stderr', logger });
  const files = new LogFiles(logger);
  const ttys = { 1: (options.isTTY ?? isatty)(1), 2: (options.isTTY ?? isatty)(2) };
  return {
    stdout,
    stderr,
    files,
    isTTY: (fd) => ttys[fd],
    reopenFiles: () => files.reopenAll(),
    idle: async () => {
      await Promise.all([stdout.idle(), stderr.idle(), files.idle()]);
    },
  };
}

export interface AttachProgramOutputOptions {
  sinks: OutputSinks;
  readable: Readable;
  channel: Channel;
  processName: string;
  nameWidth: number;
  colorIndex: number;
  destination: Destination;
  // Applies to console destinations only: log files get the program's bytes
  // unchanged, as supervisord writes them (and so rotation can be checked
  // byte for byte). `color` is honored only when the console fd is a TTY.
  decorate: Decorate;
  ring: RingBuffer;
  logger: Logger;
  stripAnsi?: boolean; // [supervisord] strip_ansi
  onChunk?: (chunk: Buffer) => void; // every chunk read (PROCESS_LOG events)
  splitter?: LineSplitterOptions;
  // Retry interval and timers for a file that cannot be written.
  fileRetryMs?: number;
  timers?: Timers;
}

// Starts routing one pipe; the returned ProgramOutput's `closed` resolves at
// the end of the pipe. A log file is released then, and closed (after its
// queue is written) when no other channel still uses it.
export function attachProgramOutput(options: AttachProgramOutputOptions): ProgramOutput {
  const { sinks, destination } = options;
  let sink: OutputSink | null = null;
  let lines = false;
  let decorate = options.decorate;
  let fileHandle: LogFileHandle | null = null;
  switch (destination.kind) {
    case 'console':
      sink = destination.fd === 1 ? sinks.stdout : sinks.stderr;
      lines = true;
      decorate = { ...decorate, color: decorate.color && sinks.isTTY(destination.fd) };
      break;
    case 'file':
      fileHandle = sinks.files.acquire(destination.path, {
        maxBytes: destination.maxBytes,
        backups: destination.backups,
        ...(options.fileRetryMs === undefined ? {} : { retryMs: options.fileRetryMs }),
        ...(options.timers === undefined ? {} : { timers: options.timers }),
      });
      sink = fileHandle.file;
      break;
    case 'none':
      break;
  }
  const output = new ProgramOutput({ ...options, sink, lines, decorate });
  if (fileHandle !== null) {
    const handle = fileHandle;
    void output.closed.then(() => handle.release());
  }
  return output;
}
