import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, existsSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RotatingFile } from '../../../src/output/rotating-file.ts';
import { ManualTimers, recordingLogger, seededRandom, tempDir, waitFor, withDeadline } from './helpers.ts';

// Random lines (some longer than maxBytes), written in random-sized pieces,
// waiting for 'drain' like a pipe reader would. `direct`: each piece is
// offered to writeNow() first and only its rest is queued, as ProgramOutput
// does; the bytes each way are counted there.
async function writeRandom(
  file: RotatingFile,
  seed: number,
  bytes: number,
  longLine = 0,
  direct?: { now: number; queued: number },
): Promise<Buffer> {
  const random = seededRandom(seed);
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const length = longLine > 0 && i % 97 === 50 ? longLine : Math.floor(random() * 300);
    const line = `${i}:${'abcdefghij'.repeat(1 + length / 10).slice(0, length)}\n`;
    lines.push(line);
    size += line.length;
  }
  const data = Buffer.from(lines.join(''));
  for (let at = 0; at < data.length; ) {
    const piece = 1 + Math.floor(random() * 5000);
    let chunk = data.subarray(at, at + piece);
    if (direct !== undefined) {
      const now = file.writeNow(chunk);
      direct.now += now;
      direct.queued += chunk.length - now;
      chunk = chunk.subarray(now);
    }
    if (!file.write(chunk)) {
      await withDeadline(new Promise((resolve) => file.once('drain', resolve)), "the file's 'drain'");
    }
    at += piece;
    // A pipe's reads come one per turn of the loop, often after the queue has
    // emptied: that is when writeNow() can write.
    if (direct !== undefined && random() < 0.5) await withDeadline(file.idle(), 'the queue to empty');
  }
  await withDeadline(file.close(), 'file close');
  return data;
}

// PATH.N ... PATH.1 PATH, oldest first.
function readRotated(path: string, backups: number): Buffer[] {
  const files: Buffer[] = [];
  for (let i = backups; i >= 1; i--) if (existsSync(`${path}.${i}`)) files.push(readFileSync(`${path}.${i}`));
  files.push(readFileSync(path));
  return files;
}

describe('RotatingFile', () => {
  it('keeps PATH plus N backups whose concatenation is exactly the tail written (10 KiB, 3 backups)', async (t) => {
    const dir = tempDir(t);
    const path = join(dir, 'app.log');
    const { logger, errors } = recordingLogger();
    const file = new RotatingFile({ path, maxBytes: 10 * 1024, backups: 3, logger, highWaterMark: 16 * 1024 });
    const data = await writeRandom(file, 1, 1024 * 1024);
    const files = readRotated(path, 3);
    // Like supervisord: app.log, app.log.1 .. app.log.3, nothing older.
    assert.deepEqual(readdirSync(dir).sort(), ['app.log', 'app.log.1', 'app.log.2', 'app.log.3']);
    const kept = Buffer.concat(files);
    assert.deepEqual(kept, data.subarray(data.length - kept.length), 'no byte lost or duplicated');
    for (const content of files) assert.ok(content.length <= 10 * 1024, `file of ${content.length} bytes`);
    // Files end on line boundaries (no line here is longer than maxBytes).
    for (const content of files.slice(0, -1)) assert.equal(content[content.length - 1], 10);
    assert.ok(kept.length > 3 * 9 * 1024, `kept ${kept.length} bytes`);
    assert.deepEqual(errors(), []);
  });

  it('with enough backups keeps every byte, cutting lines longer than maxBytes at the bound', async (t) => {
    const dir = tempDir(t);
    const path = join(dir, 'app.log');
    const { logger } = recordingLogger();
    const file = new RotatingFile({ path, maxBytes: 4096, backups: 1000, logger });
    const data = await writeRandom(file, 2, 300 * 1024, 9000);
    const files = readRotated(path, 1000);
    assert.deepEqual(Buffer.concat(files), data);
    assert.ok(files.every((content) => content.length <= 4096));
    assert.ok(files.some((content) => content.length === 4096 && content[4095] !== 10), 'a long line was cut');
  });

  it('writes synchronously between rotations, and the files still hold exactly the tail written', async (t) => {
    const dir = tempDir(t);
    const path = join(dir, 'app.log');
    const { logger, errors } = recordingLogger();
    const file = new RotatingFile({ path, maxBytes: 10 * 1024, backups: 3, logger, highWaterMark: 16 * 1024 });
    const ways = { now: 0, queued: 0 };
    const data = await writeRandom(file, 7, 1024 * 1024, 0, ways);
    // Both ways were taken: synchronous writes inside a file, queued ones
    // while the file opens and for every write that reaches maxBytes.
    assert.ok(ways.now > 0 && ways.queued > 0, `now ${ways.now}, queued ${ways.queued}`);
    const files = readRotated(path, 3);
    const kept = Buffer.concat(files);
    assert.deepEqual(kept, data.subarray(data.length - kept.length), 'no byte lost, duplicated or reordered');
    for (const content of files) assert.ok(content.length <= 10 * 1024, `file of ${content.length} bytes`);
    for (const content of files.slice(0, -1)) assert.equal(content[content.length - 1], 10);
    assert.deepEqual(errors(), []);
  });

  it('takes no synchronous write while the file is not open, nor into a FIFO', async (t) => {
    const dir = tempDir(t);
    const { logger } = recordingLogger();
    const file = new RotatingFile({ path: join(dir, 'app.log'), maxBytes: 0, backups: 0, logger });
    // The open is still queued: the write must wait behind it.
    assert.equal(file.writeNow(Buffer.from('first\n')), 0);
    file.write(Buffer.from('first\n'));
    await withDeadline(file.idle(), 'the first write');
    assert.equal(file.writeNow(Buffer.from('second\n')), 7);
    assert.equal(readFileSync(join(dir, 'app.log'), 'utf8'), 'first\nsecond\n');
    await withDeadline(file.close(), 'file close');
    assert.equal(file.writeNow(Buffer.from('late\n')), 0);

    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    t.after(() => closeSync(reader));
    const piped = new RotatingFile({ path: fifo, maxBytes: 0, backups: 0, logger });
    piped.write(Buffer.from('x\n'));
    await withDeadline(piped.idle(), 'the FIFO write');
    assert.equal(piped.writeNow(Buffer.from('y\n')), 0, 'a FIFO may block: never written synchronously');
    await withDeadline(piped.close(), 'FIFO close');
  });

  it('never rotates with maxBytes 0', async (t) => {
    const dir = tempDir(t);
    const path = join(dir, 'app.log');
    const file = new RotatingFile({ path, maxBytes: 0, backups: 5, logger: recordingLogger().logger });
    const data = await writeRandom(file, 3, 200 * 1024);
    assert.deepEqual(readdirSync(dir), ['app.log']);
    assert.deepEqual(readFileSync(path), data);
  });

  it('truncates in place with backups 0, like supervisord', async (t) => {
    const dir = tempDir(t);
    const path = join(dir, 'app.log');
    const file = new RotatingFile({ path, maxBytes: 1000, backups: 0, logger: recordingLogger().logger });
    const data = await writeRandom(file, 4, 50 * 1024);
    assert.deepEqual(readdirSync(dir), ['app.log']);
    const kept = readFileSync(path);
    assert.ok(kept.length <= 1000);
    assert.deepEqual(kept, data.subarray(data.length - kept.length));
  });

  it('appends to an existing file and counts its size toward maxBytes', async (t) => {
    const dir = tempDir(t);
    const path = join(dir, 'app.log');
    writeFileSync(path, 'x'.repeat(90) + '\n');
    const file = new RotatingFile({ path, maxBytes: 100, backups: 2, logger: recordingLogger().logger });
    file.write(Buffer.from('0123456789\n'));
    await withDeadline(file.close(), 'file close');
    assert.equal(readFileSync(`${path}.1`, 'latin1'), 'x'.repeat(90) + '\n');
    assert.equal(readFileSync(path, 'latin1'), '0123456789\n');
  });

  it('survives a path whose parent is a regular file: one error, keeps draining, recovers on retry', async (t) => {
    const dir = tempDir(t);
    const parent = join(dir, 'logs');
    writeFileSync(parent, 'not a directory');
    const path = join(parent, 'app.log');
    const log = recordingLogger();
    const timers = new ManualTimers();
    const file = new RotatingFile({ path, maxBytes: 0, backups: 0, logger: log.logger, retryMs: 1000, timers });
    for (let i = 0; i < 50; i++) {
      assert.equal(file.write(Buffer.from('lost line\n')), true, 'keeps accepting');
      await withDeadline(file.idle(), 'idle while failing');
    }
    assert.equal(log.errors().length, 1, 'one error per episode');
    assert.equal(log.errors()[0]!.errno, 'ENOTDIR');
    assert.match(log.errors()[0]!.msg, new RegExp(path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.ok(file.failing);
    assert.equal(file.lostBytes, 500);
    timers.advance(1000); // still broken: no second error
    await waitFor(() => timers.size === 1, 'the failed retry to schedule the next one');
    assert.equal(log.errors().length, 1);
    rmSync(parent);
    mkdirSync(parent);
    timers.advance(1000);
    await waitFor(() => !file.failing, 'the retry to reopen the file');
    assert.equal(log.warnings().length, 1);
    assert.equal(log.warnings()[0]!.lostBytes, 500);
    file.write(Buffer.from('kept\n'));
    await withDeadline(file.close(), 'file close');
    assert.equal(readFileSync(path, 'latin1'), 'kept\n');
  });

  it('detects a removed directory at rotation and resumes once it is back', async (t) => {
    const dir = tempDir(t);
    const logs = join(dir, 'logs');
    mkdirSync(logs);
    const path = join(logs, 'app.log');
    const log = recordingLogger();
    const timers = new ManualTimers();
    const file = new RotatingFile({ path, maxBytes: 100, backups: 2, logger: log.logger, timers });
    file.write(Buffer.from('a'.repeat(60) + '\n'));
    await withDeadline(file.idle(), 'idle');
    rmSync(logs, { recursive: true });
    file.write(Buffer.from('b'.repeat(60) + '\n')); // needs a rotation: renames fail
    file.write(Buffer.from('c'.repeat(60) + '\n'));
    await withDeadline(file.idle(), 'idle');
    assert.equal(log.errors().length, 1);
    assert.equal(log.errors()[0]!.errno, 'ENOENT');
    mkdirSync(logs);
    timers.advance(1000);
    await waitFor(() => !file.failing, 'reopen after the directory is back');
    file.write(Buffer.from('d\n'));
    await withDeadline(file.close(), 'file close');
    assert.equal(readFileSync(path, 'latin1'), 'd\n');
    assert.equal(log.warnings()[0]!.lostBytes, 122);
  });

  it('reopen() starts a new PATH after an external logrotate rename', async (t) => {
    const dir = tempDir(t);
    const path = join(dir, 'app.log');
    const file = new RotatingFile({ path, maxBytes: 0, backups: 0, logger: recordingLogger().logger });
    file.write(Buffer.from('a\n'));
    await withDeadline(file.idle(), 'idle');
    renameSync(path, `${path}.old`);
    file.write(Buffer.from('b\n')); // still the renamed file until reopened
    await withDeadline(file.idle(), 'idle');
    await withDeadline(file.reopen(), 'reopen');
    file.write(Buffer.from('c\n'));
    await withDeadline(file.close(), 'close');
    assert.equal(readFileSync(`${path}.old`, 'latin1'), 'a\nb\n');
    assert.equal(readFileSync(path, 'latin1'), 'c\n');
  });

  it('a file it creates later (reopen, rotation) keeps the mode of the first one', async (t) => {
    const dir = tempDir(t);
    const path = join(dir, 'own.log');
    writeFileSync(path, '', { mode: 0o600 }); // e.g. created under the control socket's 077 umask
    const file = new RotatingFile({ path, maxBytes: 4, backups: 1, logger: recordingLogger().logger });
    file.write(Buffer.from('a\n'));
    await withDeadline(file.idle(), 'idle');
    renameSync(path, `${path}.old`);
    await withDeadline(file.reopen(), 'reopen');
    assert.equal(statSync(path).mode & 0o777, 0o600, 'reopened after logrotate moved it');
    file.write(Buffer.from('bb\ncc\n')); // crosses maxBytes: rotates
    await withDeadline(file.close(), 'close');
    assert.ok(existsSync(`${path}.1`), 'rotated');
    assert.equal(statSync(path).mode & 0o777, 0o600, 'created by rotation');
  });

  it('reopen() ends a failure episode at once', async (t) => {
    const dir = tempDir(t);
    const path = join(dir, 'sub', 'app.log');
    const log = recordingLogger();
    const file = new RotatingFile({ path, maxBytes: 0, backups: 0, logger: log.logger, timers: new ManualTimers() });
    file.write(Buffer.from('x\n'));
    await withDeadline(file.idle(), 'idle');
    assert.ok(file.failing);
    mkdirSync(join(dir, 'sub'));
    await withDeadline(file.reopen(), 'reopen');
    assert.equal(file.failing, false);
    file.write(Buffer.from('y\n'));
    await withDeadline(file.close(), 'close');
    assert.equal(statSync(path).size, 2);
  });
});
