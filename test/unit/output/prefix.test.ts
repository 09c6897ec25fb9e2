import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineSplitter } from '../../../src/output/line-splitter.ts';
import { LineFormatter, PROGRAM_PALETTE, colorCode, formatPrefix } from '../../../src/output/prefix.ts';
import type { Decorate } from '../../../src/output/prefix.ts';

const plain: Decorate = { prefix: true, color: false, timestamps: false };

// Feeds `chunks` through a splitter and formatter; returns the output buffers.
function run(chunks: Array<string | Buffer>, decorate: Decorate, options: { name?: string; width?: number; max?: number; now?: () => number } = {}): Buffer[] {
  const formatter = new LineFormatter({
    processName: options.name ?? 'web',
    nameWidth: options.width ?? 6,
    colorIndex: 0,
    decorate,
    ...(options.now ? { now: options.now } : {}),
  });
  const out: Buffer[] = [];
  const splitter = new LineSplitter((batch) => out.push(Buffer.from(formatter.format(batch))), {
    partialFlushMs: 0,
    ...(options.max ? { maxLineBytes: options.max } : {}),
  });
  for (const chunk of chunks) splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  splitter.end();
  return out;
}

describe('formatPrefix', () => {
  const table: Array<[string, number, string]> = [
    ['web', 6, 'web    | '],
    ['web_00', 6, 'web_00 | '],
    ['worker', 3, 'worker | '], // a name wider than the width is not cut
    ['a', 1, 'a | '],
  ];
  for (const [name, width, expected] of table) {
    it(`pads ${name} to width ${width}`, () => {
      assert.equal(formatPrefix({ processName: name, nameWidth: width, colorIndex: 0, decorate: plain }), expected);
    });
  }

  it('is empty without prefix', () => {
    assert.equal(formatPrefix({ processName: 'web', nameWidth: 6, colorIndex: 0, decorate: { ...plain, prefix: false } }), '');
  });

  it('colors the name and bar, resetting before the line', () => {
    const prefix = formatPrefix({ processName: 'web', nameWidth: 4, colorIndex: 1, decorate: { ...plain, color: true } });
    assert.equal(prefix, '\u001b[33mweb  |\u001b[0m ');
  });

  it('picks a stable palette color by program index, wrapping around', () => {
    assert.equal(colorCode(0), `\u001b[${PROGRAM_PALETTE[0]}m`);
    assert.equal(colorCode(PROGRAM_PALETTE.length + 2), colorCode(2));
    assert.equal(colorCode(-1), colorCode(PROGRAM_PALETTE.length - 1));
    assert.notEqual(colorCode(0), colorCode(1));
  });
});

describe('LineFormatter', () => {
  it('prefixes every line and ends each with a newline, one buffer per chunk', () => {
    const out = run(['one\ntwo\n', 'three\n'], plain);
    assert.equal(out.length, 2);
    assert.equal(Buffer.concat(out).toString(), 'web    | one\nweb    | two\nweb    | three\n');
  });

  it('puts a line that straddled chunks first, in the same buffer', () => {
    const out = run(['al', 'pha\nbeta\ngam', 'ma\n'], plain);
    assert.deepEqual(out.map(String), ['web    | alpha\nweb    | beta\n', 'web    | gamma\n']);
  });

  it('adds a newline to a final partial line and to lines cut at the bound', () => {
    const out = run(['abcdefghij\nxy'], plain, { max: 4 });
    assert.equal(Buffer.concat(out).toString(), 'web    | abcd\nweb    | efgh\nweb    | ij\nweb    | xy\n');
  });

  it('keeps empty lines and binary bytes as they are', () => {
    const binary = Buffer.from([0xff, 0x00, 0xc3, 0x28, 0x0d]);
    const out = Buffer.concat(run([Buffer.concat([Buffer.from('\n'), binary, Buffer.from('\n')])], plain));
    assert.deepEqual(out, Buffer.concat([Buffer.from('web    | \nweb    | '), binary, Buffer.from('\n')]));
  });

  it('prefixes with the color when asked', () => {
    const out = run(['x\n'], { ...plain, color: true });
    assert.equal(Buffer.concat(out).toString(), `${colorCode(0)}web    |\u001b[0m x\n`);
  });

  it('adds an ISO-8601 timestamp with milliseconds before the prefix', () => {
    const now = Date.UTC(2026, 10, 25, 13, 40, 1, 123);
    const out = run(['a\nb\n'], { ...plain, timestamps: true }, { now: () => now });
    assert.equal(Buffer.concat(out).toString(), '2026-11-25T13:40:01.123Z web    | a\n2026-11-25T13:40:01.123Z web    | b\n');
  });

  it('timestamps without a prefix', () => {
    const now = Date.UTC(2026, 0, 2, 3, 4, 5, 6);
    const out = run(['a\n'], { prefix: false, color: false, timestamps: true }, { now: () => now });
    assert.equal(Buffer.concat(out).toString(), '2026-01-02T03:04:05.006Z a\n');
  });

  it('without decoration copies the lines out of the read buffer, which is reused', () => {
    const formatter = new LineFormatter({ processName: 'web', nameWidth: 3, colorIndex: 0, decorate: { prefix: false, color: false, timestamps: false } });
    const chunk = Buffer.from('a\nbb\n');
    let out: Buffer | undefined;
    new LineSplitter((batch) => (out = formatter.format(batch)), { partialFlushMs: 0 }).push(chunk);
    assert.notEqual(out!.buffer, chunk.buffer, 'a copy: the read buffer is reused for the next read');
    chunk.fill(0);
    assert.equal(out!.toString(), 'a\nbb\n');
  });

  it('without decoration still ends every line with a newline', () => {
    const out = run(['ab', 'c\nlong-line\nrest'], { prefix: false, color: false, timestamps: false }, { max: 4 });
    assert.equal(Buffer.concat(out).toString(), 'abc\nlong\n-lin\ne\nrest\n');
  });

  it('formats 1000 lines across odd chunks exactly like line-by-line formatting', () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `line ${i} ${'z'.repeat(i % 37)}`);
    const data = Buffer.from(lines.map((l) => `${l}\n`).join(''));
    const chunks: Buffer[] = [];
    for (let at = 0; at < data.length; at += 777) chunks.push(data.subarray(at, at + 777));
    const out = Buffer.concat(run(chunks, plain, { name: 'api', width: 5 })).toString();
    assert.equal(out, lines.map((l) => `api   | ${l}\n`).join(''));
  });
});
