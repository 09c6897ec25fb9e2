import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineSplitter } from '../../../src/output/line-splitter.ts';
import type { LineBatch, LineSplitterOptions } from '../../../src/output/line-splitter.ts';
import { ManualTimers, seededRandom } from './helpers.ts';

// Collects emitted lines (copied: batches are only valid during the callback).
function collect(options: LineSplitterOptions = {}): { splitter: LineSplitter; lines: Buffer[]; batches: number } {
  const state = { lines: [] as Buffer[], batches: 0, splitter: null as unknown as LineSplitter };
  state.splitter = new LineSplitter((batch: LineBatch) => {
    state.batches++;
    if (batch.carry !== null) state.lines.push(Buffer.from(batch.carry));
    for (let i = 0; i < batch.count; i++) state.lines.push(Buffer.from(batch.data.subarray(batch.starts[i], batch.ends[i])));
  }, { partialFlushMs: 0, ...options });
  return state;
}

const text = (lines: Buffer[]): string[] => lines.map((line) => line.toString('latin1'));

describe('LineSplitter', () => {
  it('emits the complete lines of one chunk as one batch', () => {
    const s = collect();
    s.splitter.push(Buffer.from('one\ntwo\nthree\n'));
    assert.deepEqual(text(s.lines), ['one', 'two', 'three']);
    assert.equal(s.batches, 1);
  });

  it('holds a partial line until its newline, across chunks', () => {
    const s = collect();
    s.splitter.push(Buffer.from('al'));
    s.splitter.push(Buffer.from('ph'));
    assert.deepEqual(s.lines, []);
    assert.equal(s.splitter.pending, 4);
    s.splitter.push(Buffer.from('a\nbe'));
    s.splitter.push(Buffer.from('ta\n'));
    assert.deepEqual(text(s.lines), ['alpha', 'beta']);
    assert.equal(s.splitter.pending, 0);
  });

  it('keeps empty lines', () => {
    const s = collect();
    s.splitter.push(Buffer.from('\n\na\n\n'));
    assert.deepEqual(text(s.lines), ['', '', 'a', '']);
  });

  it('flushes a held partial line on its own after the delay (prompts show)', () => {
    const timers = new ManualTimers();
    const s = collect({ partialFlushMs: 200, timers });
    s.splitter.push(Buffer.from('Password: '));
    timers.advance(199);
    assert.deepEqual(s.lines, []);
    timers.advance(1);
    assert.deepEqual(text(s.lines), ['Password: ']);
    // The rest of that line then starts a line of its own.
    s.splitter.push(Buffer.from('ok\n'));
    assert.deepEqual(text(s.lines), ['Password: ', 'ok']);
    assert.equal(timers.size, 0);
  });

  it('counts the delay from the start of the partial line, so a dribble shows', () => {
    const timers = new ManualTimers();
    const s = collect({ partialFlushMs: 200, timers });
    for (let i = 0; i < 4; i++) {
      s.splitter.push(Buffer.from('.'));
      timers.advance(60);
    }
    // Pushed at 0, 60, 120 and 180 ms; flushed at 200 ms.
    assert.deepEqual(text(s.lines), ['....']);
    s.splitter.push(Buffer.from('.'));
    s.splitter.push(Buffer.from('\n'));
    assert.deepEqual(text(s.lines), ['....', '.']);
  });

  it('does not turn the newline ending a flushed partial line into an empty line', () => {
    const timers = new ManualTimers();
    const s = collect({ partialFlushMs: 200, timers });
    s.splitter.push(Buffer.from('loading'));
    timers.advance(200);
    s.splitter.push(Buffer.from('\nnext\n\n'));
    assert.deepEqual(text(s.lines), ['loading', 'next', '']);
  });

  it('cancels the delayed flush when the line completes', () => {
    const timers = new ManualTimers();
    const s = collect({ partialFlushMs: 200, timers });
    s.splitter.push(Buffer.from('abc'));
    s.splitter.push(Buffer.from('def\n'));
    timers.advance(1000);
    assert.deepEqual(text(s.lines), ['abcdef']);
  });

  it('end() flushes the last partial line, and nothing when none is held', () => {
    const s = collect();
    s.splitter.push(Buffer.from('a\nlast'));
    s.splitter.end();
    assert.deepEqual(text(s.lines), ['a', 'last']);
    s.splitter.end();
    assert.equal(s.lines.length, 2);
  });

  it('passes bytes that are not UTF-8, \\r and NUL through unchanged', () => {
    const s = collect();
    const line = Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x0d, 0x00, 0x80, 0xe2, 0x82]);
    s.splitter.push(Buffer.concat([line.subarray(0, 4)]));
    s.splitter.push(Buffer.concat([line.subarray(4), Buffer.from('\r\n')]));
    assert.equal(s.lines.length, 1);
    assert.deepEqual(s.lines[0], Buffer.concat([line, Buffer.from('\r')]));
  });

  it('keeps a line of exactly the bound whole, in one chunk or split across chunks', () => {
    const max = 64 * 1024;
    for (const cut of [0, 1, 1000, max - 1, max]) {
      const s = collect();
      const data = Buffer.concat([Buffer.alloc(max, 'x'), Buffer.from('\n')]);
      if (cut > 0) s.splitter.push(data.subarray(0, cut));
      s.splitter.push(data.subarray(cut));
      assert.equal(s.lines.length, 1, `cut at ${cut}`);
      assert.equal(s.lines[0]!.length, max);
    }
  });

  it('splits a line one byte over the bound into two', () => {
    const s = collect();
    s.splitter.push(Buffer.concat([Buffer.alloc(64 * 1024 + 1, 'y'), Buffer.from('\n')]));
    assert.deepEqual(s.lines.map((l) => l.length), [64 * 1024, 1]);
  });

  it('splits a 1 MiB line into 16 lines of 64 KiB, never dropping a byte', () => {
    const mib = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < mib.length; i++) mib[i] = 32 + (i % 90);
    const data = Buffer.concat([mib, Buffer.from('\nafter\n')]);
    for (const chunkSize of [data.length, 65536, 65537, 4096, 999]) {
      const s = collect();
      for (let at = 0; at < data.length; at += chunkSize) s.splitter.push(data.subarray(at, at + chunkSize));
      s.splitter.end();
      assert.equal(s.lines.length, 17, `chunk size ${chunkSize}`);
      assert.ok(s.lines.slice(0, 16).every((l) => l.length === 65536));
      assert.deepEqual(Buffer.concat(s.lines.slice(0, 16)), mib);
      assert.equal(s.lines[16]!.toString(), 'after');
      // The held line never exceeds the bound.
      assert.ok(s.splitter.pending <= 65536);
    }
  });

  it('reassembles any random stream under any chunking (property check)', () => {
    const random = seededRandom(42);
    const max = 100;
    for (let round = 0; round < 50; round++) {
      const parts: Buffer[] = [];
      const expected: number[] = [];
      const lineCount = 1 + Math.floor(random() * 40);
      for (let i = 0; i < lineCount; i++) {
        const length = random() < 0.2 ? Math.floor(random() * 350) : Math.floor(random() * 30);
        const line = Buffer.alloc(length);
        for (let k = 0; k < length; k++) {
          const byte = Math.floor(random() * 256);
          line[k] = byte === 10 ? 11 : byte; // newlines only where the test puts them
        }
        parts.push(line, Buffer.from('\n'));
        expected.push(Math.max(1, Math.ceil(length / max)));
      }
      const data = Buffer.concat(parts);
      const s = collect({ maxLineBytes: max });
      for (let at = 0; at < data.length; ) {
        const size = 1 + Math.floor(random() * 300);
        s.splitter.push(data.subarray(at, at + size));
        at += size;
      }
      s.splitter.end();
      assert.equal(s.lines.length, expected.reduce((a, b) => a + b, 0), `round ${round}`);
      assert.ok(s.lines.every((line) => line.length <= max));
      const withoutNewlines = Buffer.from(data.filter((byte) => byte !== 10));
      assert.deepEqual(Buffer.concat(s.lines), withoutNewlines);
    }
  });

  it('emits thousands of lines of one chunk, with a cut line where the line slots run out, as one batch', () => {
    // 63 lines, then one cut into 10 pieces (the 64 slots fill up inside
    // it), then 5000 more: the slots grow twice and the scan resumes mid-cut.
    const data = Buffer.from(`${'a\n'.repeat(63)}${'x'.repeat(40)}\n${'b\n'.repeat(5000)}`);
    const s = collect({ maxLineBytes: 4 });
    s.splitter.push(data);
    assert.equal(s.batches, 1);
    assert.deepEqual(text(s.lines), [...Array(63).fill('a'), ...Array(10).fill('xxxx'), ...Array(5000).fill('b')]);
  });

  it('rejects a bound that is not a positive integer', () => {
    assert.throws(() => new LineSplitter(() => undefined, { maxLineBytes: 0 }), RangeError);
  });
});
