// shlex.split (POSIX) for command=, and the non-POSIX lexer behind environment=.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shlexSplit, shlexTokensNonPosix } from '../../../src/config/shlex.ts';

const splits: Array<[string, string[]]> = [
  ['a b  c', ['a', 'b', 'c']],
  ['  leading and trailing  ', ['leading', 'and', 'trailing']],
  ['"a b" c', ['a b', 'c']],
  ["'a \"b\"' c", ['a "b"', 'c']],
  ['a"b c"d', ['ab cd']],
  ["''", ['']],
  ['a "" b', ['a', '', 'b']],
  ['a\\ b', ['a b']],
  ['"a\\"b"', ['a"b']],
  ['"a\\nb"', ['a\\nb']],
  ["'a\\b'", ['a\\b']],
  ['sh -c "echo $HOME; exit 1"', ['sh', '-c', 'echo $HOME; exit 1']],
  ['a\n\tb', ['a', 'b']],
  ['a # not a comment', ['a', '#', 'not', 'a', 'comment']],
  ['', []],
];

for (const [text, expected] of splits) {
  test(`shlex.split: ${JSON.stringify(text)}`, () => assert.deepEqual(shlexSplit(text), expected));
}

test('shlex.split: unclosed quote and trailing backslash are errors', () => {
  assert.throws(() => shlexSplit('"open'), /no closing quotation/);
  assert.throws(() => shlexSplit('end\\'), /no escaped character/);
});

const tokens: Array<[string, string[]]> = [
  ['A=1,B=2', ['A', '=', '1', ',', 'B', '=', '2']],
  ['K="v,1"', ['K', '=', '"v,1"']],
  ['P=/usr/bin:/bin', ['P', '=', '/usr/bin:/bin']],
  ['U=a.b+c-(d)', ['U', '=', 'a.b+c-(d)']],
  ['X=a$b', ['X', '=', 'a', '$', 'b']],
  ['H=x#y\nZ', ['H', '=', 'xZ']],
  ['Q=ab"cd"', ['Q', '=', 'ab"cd"']],
];

for (const [text, expected] of tokens) {
  test(`shlex (non-POSIX) tokens: ${JSON.stringify(text)}`, () => assert.deepEqual(shlexTokensNonPosix(text), expected));
}
