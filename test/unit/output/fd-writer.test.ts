import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FdWriter } from '../../../src/output/fd-writer.ts';
import { WriteQueue } from '../../../src/output/write-queue.ts';
import type { WriteTarget } from '../../../src/output/write-queue.ts';
import { recordingLogger, tempDir, waitFor, withDeadline } from './helpers.ts';

// A target that records each write and consumes what `consume` says.
class RecordingTarget implements WriteTarget {
  calls: Buffer[][] = [];
  received: Buffer[] = [];
  constructor(private readonly consume: (total: number) => number = (total) => total) {}
  async write(chunks: readonly Buffer[], total: number): Promise<number> {
    this.calls.push([...chunks]);
    const consumed = this.consume(total);
    this.received.push(Buffer.concat(chunks as Buffer[]).subarray(0, consumed));
    return consumed;
  }
}

// A FIFO whose read end the test drains when it likes (a slow reader); the
// write end is a plain blocking fd like vigil's stdout.
function slowPipe(dir: string): { readFd: number; writeFd: number; read(max: number): Buffer; close(): void } {
  const path = join(dir, 'fifo');
  execFileSync('mkfifo', [path]);
  const readFd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const writeFd = openSync(path, constants.O_WRONLY);
  const scratch = Buffer.alloc(1 << 20);
  return {
    readFd,
    writeFd,
    read(max) {
      try {
        const n = readSync(readFd, scratch, 0, Math.min(max, scratch.length), null);
        return Buffer.from(scratch.subarray(0, n));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN') return Buffer.alloc(0);
        throw error;
      }
    },
    close() {
      closeSync(writeFd);
      closeSync(readFd);
    },
  };
}

describe('WriteQueue', () => {
  it('writes in order and coalesces what queued up while a write was in flight', async () => {
    const target = new RecordingTarget();
    const queue = new WriteQueue(target);
    const parts = Array.from({ length: 100 }, (_, i) => Buffer.from(`${i};`));
    for (const part of parts) queue.write(part);
    await withDeadline(queue.idle(), 'queue idle');
    assert.deepEqual(Buffer.concat(target.received), Buffer.concat(parts));
    assert.equal(target.calls.length, 2, 'the first buffer alone, then the other 99 in one writev');
    assert.equal(target.calls[1]!.length, 99);
  });

  it('caps one write at maxWriteBytes (a single larger buffer still goes whole)', async () => {
    const target = new RecordingTarget();
    const queue = new WriteQueue(target, { maxWriteBytes: 1000 });
    queue.write(Buffer.alloc(10));
    for (let i = 0; i < 10; i++) queue.write(Buffer.alloc(300, i));
    queue.write(Buffer.alloc(5000, 'z'));
    await withDeadline(queue.idle(), 'queue idle');
    const sizes = target.calls.map((call) => call.reduce((n, b) => n + b.length, 0));
    assert.deepEqual(sizes, [10, 900, 900, 900, 300, 5000]);
  });

  it('offers the rest of a partial write again, in order, exactly once', async () => {
    const target = new RecordingTarget((total) => Math.ceil(total / 3));
    const queue = new WriteQueue(target);
    const data = Buffer.from('abcdefghijklmnopqrstuvwxyz'.repeat(20));
    for (let at = 0; at < data.length; at += 7) queue.write(data.subarray(at, at + 7));
    await withDeadline(queue.idle(), 'queue idle');
    assert.deepEqual(Buffer.concat(target.received), data);
    assert.equal(queue.queuedBytes, 0);
  });

  it('returns false above the high-water mark and emits drain below it', async () => {
    let release: () => void = () => undefined;
    const target: WriteTarget = {
      write: (_chunks, total) => new Promise((resolve) => (release = () => resolve(total))),
    };
    const queue = new WriteQueue(target, { highWaterMark: 100 });
    assert.equal(queue.write(Buffer.alloc(60)), true);
    assert.equal(queue.write(Buffer.alloc(60)), false);
    let drained = false;
    queue.once('drain', () => (drained = true));
    release(); // the first 60 bytes are written: 60 queued < 100
    await waitFor(() => drained, "'drain'");
    release();
    await withDeadline(queue.idle(), 'queue idle');
  });
});

describe('FdWriter', () => {
  it('keeps its queue bounded against a slow pipe reader and loses nothing', async (t) => {
    const pipe = slowPipe(tempDir(t));
    const { logger, errors } = recordingLogger();
    const highWaterMark = 256 * 1024;
    const writer = new FdWriter({ fd: pipe.writeFd, name: 'test-pipe', logger, highWaterMark });
    const piece = 4096;
    const total = 4 * 1024 * 1024;
    const received: Buffer[] = [];
    let receivedBytes = 0;
    let sawFalse = false;
    let reading = false;
    // The reader takes 16 KiB every 2 ms once started: far slower than the writer.
    const reader = setInterval(() => {
      if (!reading) return;
      const got = pipe.read(16 * 1024);
      received.push(got);
      receivedBytes += got.length;
    }, 2);
    t.after(() => clearInterval(reader));
    for (let written = 0, seq = 0; written < total; written += piece, seq++) {
      const buf = Buffer.alloc(piece, seq % 251);
      if (!writer.write(buf)) {
        sawFalse = true;
        assert.ok(writer.queuedBytes <= highWaterMark + piece, `queued ${writer.queuedBytes}`);
        reading = true;
        await withDeadline(new Promise((resolve) => writer.once('drain', resolve)), "'drain' from the slow pipe");
      }
    }
    await waitFor(() => receivedBytes >= total, 'the reader to get every byte', 20_000);
    await withDeadline(writer.idle(), 'writer idle');
    assert.ok(sawFalse, 'write() signalled backpressure');
    assert.ok(writer.peakQueuedBytes <= highWaterMark + piece, `peak ${writer.peakQueuedBytes}`);
    const all = Buffer.concat(received);
    assert.equal(all.length, total);
    for (let seq = 0; seq < total / piece; seq++) {
      assert.equal(all[seq * piece], seq % 251, `piece ${seq} in order`);
      assert.equal(all[seq * piece + piece - 1], seq % 251);
    }
    assert.deepEqual(errors(), []);
    pipe.close();
  });

  it('reports EPIPE once per episode, discards without throwing, and reports recovery', async (t) => {
    const dir = tempDir(t);
    const path = join(dir, 'fifo');
    execFileSync('mkfifo', [path]);
    let readFd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const writeFd = openSync(path, constants.O_WRONLY);
    t.after(() => closeSync(writeFd));
    const { logger, errors, warnings } = recordingLogger();
    const recovered: number[] = [];
    const writer = new FdWriter({ fd: writeFd, name: 'stdout', logger, onRecover: (lost) => recovered.push(lost) });
    closeSync(readFd); // the reader goes away: writes fail with EPIPE
    for (let i = 0; i < 20; i++) {
      writer.write(Buffer.from(`lost ${i}\n`));
      await withDeadline(writer.idle(), 'writer idle while failing');
    }
    assert.equal(errors().length, 1);
    assert.equal(errors()[0]!.errno, 'EPIPE');
    assert.match(errors()[0]!.msg, /stdout/);
    readFd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    t.after(() => closeSync(readFd));
    writer.write(Buffer.from('back\n'));
    await withDeadline(writer.idle(), 'writer idle after recovery');
    assert.equal(warnings().length, 1);
    assert.equal(recovered.length, 1);
    assert.equal(recovered[0], 20 * 'lost 0\n'.length + 10);
    const buf = Buffer.alloc(100);
    assert.equal(buf.subarray(0, readSync(readFd, buf)).toString(), 'back\n');
  });
});
