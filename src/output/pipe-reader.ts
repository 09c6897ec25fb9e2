// Reads one child pipe into the output pipeline.
//
// Every pipe reads into one shared buffer (`onread`) that the pipeline
// consumes before the callback returns: no fresh 256 KiB allocation per read,
// which at 100 MB/s meant page faults, cold caches and garbage. The rule that
// makes one buffer safe for every pipe: a read callback runs to completion on
// the one JavaScript thread, and ProgramOutput.push() copies whatever it keeps
// (a held partial line, a queued write) before returning. Returning false
// from the callback pauses the pipe: backpressure from a slow sink.
import { Socket } from 'node:net';
import type { OnReadOpts, SocketConstructorOpts } from 'node:net';
import { attachProgramOutput } from './index.ts';
import type { AttachProgramOutputOptions } from './index.ts';
import { PIPE_READ_BYTES } from './program-output.ts';
import type { ProgramOutput } from './program-output.ts';

// As large as the pipes (F_SETPIPE_SZ in the addon): one read per pipe-full.
const READ_BUFFER = Buffer.allocUnsafe(PIPE_READ_BYTES);

// Starts routing the pipe `fd` (vigil's end; the socket owns it from now on).
export function attachPipe(fd: number, options: Omit<AttachProgramOutputOptions, 'readable'>): ProgramOutput {
  let output: ProgramOutput | undefined;
  const socketOptions: SocketConstructorOpts & { onread: OnReadOpts } = {
    fd,
    readable: true,
    writable: false,
    onread: {
      buffer: READ_BUFFER,
      callback: (bytes: number, buffer: Uint8Array) => output?.push(Buffer.from(buffer.buffer, buffer.byteOffset, bytes)) ?? true,
    },
  };
  // @types/node 20 declares `onread` for connect() only; Node's Socket
  // constructor takes it too (lib/net.js) and so does every Node since 12.
  const readable = new Socket(socketOptions);
  readable.on('error', (error) => options.logger.debug({ err: error }, `${options.processName} ${options.channel} pipe error`));
  output = attachProgramOutput({ ...options, readable });
  return output;
}
