import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, constants, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { attachProgramOutput, createConsoleSinks } from '../../../src/output/index.ts';
import type { Destination, OutputSinks } from '../../../src/output/index.ts';
import { programOutputMemoryBound } from '../../../src/output/program-output.ts';
import { RingBuffer } from '../../../src/output/ring-buffer.ts';
import { recordingLogger, tempDir, waitFor, withDeadline } from './helpers.ts';

const plain = { prefix: true, color: false, timestamps: false };

// Console sinks writing into a file of the test's temp dir instead of fd 1/2.
function fileConsole(t: { after(fn: () => void): void }, dir: string, highWaterMark?: number): { sinks: OutputSinks; path: string } {
  const path = join(dir, 'console.out');
  const fd = openSync(path, 'w');
  t.after(() => closeSync(fd));
  const { logger } = recordingLogger();
  const sinks = createConsoleSinks(logger, { fds: { stdout: fd, stderr: fd }, isTTY: () => false, ...(highWaterMark ? { highWaterMark } : {}) });
  return { sinks, path };
}

// Runs `script` under sh with its stdout routed to `destination`.
function runProgram(sinks: OutputSinks, script: string, name: string, destination: Destination, ring = new RingBuffer()) {
  const child = spawn('sh', ['-c', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const output = attachProgramOutput({
    sinks,
    readable: child.stdout!,
    channel: 'stdout',
    processName: name,
    nameWidth: 6,
    colorIndex: 0,
    destination,
    decorate: plain,
    ring,
    logger: recordingLogger().logger,
  });
  return { child, output, ring };
}

describe('attachProgramOutput', () => {
  it('prefixes a real program\'s lines and flushes its last partial line at exit', async (t) => {
    const dir = tempDir(t);
    const { sinks, path } = fileConsole(t, dir);
    const { output, ring } = runProgram(sinks, "printf 'one\\ntwo\\n'; printf 'no newline'", 'web', { kind: 'console', fd: 1 });
    await withDeadline(output.closed, 'the pipe to close');
    await withDeadline(sinks.idle(), 'the console writer');
    assert.equal(readFileSync(path, 'latin1'), 'web    | one\nweb    | two\nweb    | no newline\n');
    assert.equal(ring.tail().toString(), 'one\ntwo\nno newline');
  });

  it('never mixes the lines of two programs writing concurrently', async (t) => {
    const dir = tempDir(t);
    const { sinks, path } = fileConsole(t, dir, 64 * 1024);
    const lines = 20000;
    const a = runProgram(sinks, `yes aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | head -n ${lines}`, 'alpha', { kind: 'console', fd: 1 });
    const b = runProgram(sinks, `yes bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb | head -n ${lines}`, 'beta', { kind: 'console', fd: 1 });
    await withDeadline(Promise.all([a.output.closed, b.output.closed]), 'both pipes to close', 20_000);
    await withDeadline(sinks.idle(), 'the console writer', 20_000);
    const out = readFileSync(path, 'latin1').split('\n');
    assert.equal(out.pop(), '');
    assert.equal(out.length, 2 * lines);
    const counts = { alpha: 0, beta: 0 };
    for (const line of out) {
      if (line === 'alpha  | aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa') counts.alpha++;
      else if (line === 'beta   | bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb') counts.beta++;
      else assert.fail(`mixed or broken line: ${JSON.stringify(line)}`);
    }
    assert.deepEqual(counts, { alpha: lines, beta: lines });
  });

  it('pauses the pipe for a slow console reader: the program blocks, memory stays bounded, nothing is lost', async (t) => {
    const dir = tempDir(t);
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const readFd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const writeFd = openSync(fifo, constants.O_WRONLY);
    t.after(() => {
      closeSync(writeFd);
      closeSync(readFd);
    });
    const highWaterMark = 128 * 1024;
    const { logger } = recordingLogger();
    const sinks = createConsoleSinks(logger, { fds: { stdout: writeFd, stderr: writeFd }, isTTY: () => false, highWaterMark });
    const total = 8 * 1024 * 1024; // 8 MiB of 64-byte lines
    const { output } = runProgram(sinks, `yes 012345678901234567890123456789012345678901234567890123456789abc | head -c ${total}`, 'slow', { kind: 'console', fd: 1 });
    await waitFor(() => output.isPaused, 'the pipe to be paused');
    // Let the program fill the pipe and block; it must not get far.
    const readSoFar = output.totalBytes;
    await new Promise((resolve) => setTimeout(resolve, 100)); // a grace period, not a condition: nothing should happen in it
    assert.ok(output.totalBytes - readSoFar < 256 * 1024, `read ${output.totalBytes - readSoFar} more bytes while paused`);
    assert.ok(output.totalBytes < total / 4, 'the program is blocked on its pipe');
    const bound = highWaterMark + output.memoryBound;
    assert.ok(sinks.stdout.peakQueuedBytes <= bound, `queue peak ${sinks.stdout.peakQueuedBytes} > ${bound}`);
    // Now read everything: the program finishes and every line arrives whole.
    const scratch = Buffer.alloc(1 << 20);
    let received = 0;
    let lines = 0;
    let tail = '';
    const drain = (): void => {
      for (;;) {
        let n = 0;
        try {
          n = readSync(readFd, scratch, 0, scratch.length, null);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'EAGAIN') return;
          throw error;
        }
        if (n === 0) return;
        received += n;
        const text = tail + scratch.toString('latin1', 0, n);
        const parts = text.split('\n');
        tail = parts.pop()!;
        for (const part of parts) {
          assert.equal(part, 'slow   | 012345678901234567890123456789012345678901234567890123456789abc');
          lines++;
        }
      }
    };
    const timer = setInterval(drain, 1);
    t.after(() => clearInterval(timer));
    await withDeadline(output.closed, 'the program to finish once read', 30_000);
    await withDeadline(sinks.idle(), 'the writer to empty', 30_000);
    await waitFor(() => (drain(), lines === total / 64), 'every line to arrive', 10_000);
    clearInterval(timer);
    assert.equal(received, lines * 73);
    assert.ok(sinks.stdout.peakQueuedBytes <= bound, `queue peak ${sinks.stdout.peakQueuedBytes}`);
  });

  it('writes a log file byte for byte, binary included', async (t) => {
    const dir = tempDir(t);
    const { sinks } = fileConsole(t, dir);
    const path = join(dir, 'prog.log');
    const { output } = runProgram(sinks, "printf '\\377\\376\\303(\\r\\n\\000partial'", 'bin', { kind: 'file', path, maxBytes: 0, backups: 0 });
    await withDeadline(output.closed, 'the pipe to close');
    await withDeadline(sinks.idle(), 'the file to be written');
    assert.deepEqual(readFileSync(path), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x0d, 0x0a, 0x00, ...Buffer.from('partial')]));
  });

  it('drains and discards with NONE, still keeping the ring buffer', async (t) => {
    const dir = tempDir(t);
    const { sinks, path } = fileConsole(t, dir);
    const { output, ring } = runProgram(sinks, 'head -c 300000 /dev/zero; printf end', 'none', { kind: 'none' }, new RingBuffer(1024));
    await withDeadline(output.closed, 'the pipe to close');
    assert.equal(output.totalBytes, 300003);
    assert.equal(ring.totalBytes, 300003);
    assert.equal(ring.tail(3).toString(), 'end');
    assert.equal(readFileSync(path).length, 0);
  });

  it('states a per-program memory bound', () => {
    const bound = programOutputMemoryBound({ readableHighWaterMark: 16 * 1024, maxLineBytes: 64 * 1024, ringCapacity: 64 * 1024, decorationBytes: 9 });
    // readable (hwm + one 256 KiB read) + held line + ring + overshoot (one read
    // of empty lines, each decorated, + a timer-flushed line).
    assert.equal(bound, 16 * 1024 + 256 * 1024 + 64 * 1024 + 64 * 1024 + 256 * 1024 * 10 + 64 * 1024 + 10);
  });
});
