// The [include] glob: Python glob.glob semantics for * ? [..] and hidden files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fnmatchToRegExp, glob } from '../../../src/config/glob.ts';
import { writeConfigFiles } from './helpers.ts';

const matches: Array<[string, string, boolean]> = [
  ['*.conf', 'a.conf', true],
  ['*.conf', 'a.ini', false],
  ['?.conf', 'ab.conf', false],
  ['[ab].conf', 'b.conf', true],
  ['[!ab].conf', 'b.conf', false],
  ['[!ab].conf', 'c.conf', true],
  ['[a-c]x', 'bx', true],
  ['[unclosed', '[unclosed', true],
  ['a.b', 'axb', false],
  ['a+(b)', 'a+(b)', true],
];

for (const [pattern, name, expected] of matches) {
  test(`fnmatch: ${pattern} ${expected ? 'matches' : 'does not match'} ${name}`, () => {
    assert.equal(fnmatchToRegExp(pattern).test(name), expected);
  });
}

test('glob: wildcards in directories and names; hidden files need a leading dot', () => {
  const root = writeConfigFiles({ 'a/x.conf': '', 'b/y.conf': '', 'b/.h.conf': '', 'c/z.ini': '' });
  assert.deepEqual(glob(join(root, '*/*.conf')).sort(), [join(root, 'a/x.conf'), join(root, 'b/y.conf')]);
  assert.deepEqual(glob(join(root, 'b/.*.conf')), [join(root, 'b/.h.conf')]);
  assert.deepEqual(glob(join(root, 'c/z.ini')), [join(root, 'c/z.ini')]);
  assert.deepEqual(glob(join(root, 'c/none.ini')), []);
  assert.deepEqual(glob(join(root, 'missing/*.conf')), []);
});
