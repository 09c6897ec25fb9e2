// strip_ansi: supervisord's stripEscapes, also across read boundaries.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AnsiStripper } from '../../../src/output/strip-ansi.ts';

test('strip_ansi: colour and cursor escapes go, text and lone ESC stay', () => {
  const strip = (text: string): string => new AnsiStripper().strip(Buffer.from(text)).toString();
  assert.equal(strip('\x1b[31mred\x1b[0m plain'), 'red plain');
  assert.equal(strip('a\x1b[2Kb\x1b[10;20Hc'), 'abc');
  assert.equal(strip('no escapes here\n'), 'no escapes here\n');
  assert.equal(strip('lone \x1bx escape'), 'lone \x1bx escape');
});

test('strip_ansi: an escape split between two reads is still removed', () => {
  const stripper = new AnsiStripper();
  const parts = ['one \x1b', '[3', '1mtwo\x1b[', '0m three'].map((part) => stripper.strip(Buffer.from(part)).toString());
  assert.equal(parts.join(''), 'one two three');
});
