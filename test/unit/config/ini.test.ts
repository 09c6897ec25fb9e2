// The INI reader against configparser's rules, as supervisord configures it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyDocument, lookup, parseIniInto } from '../../../src/config/ini.ts';

function parse(text: string): { get: (section: string, key: string) => { value: string; line: number } | undefined; errors: ReturnType<typeof parseIniInto>; sections: string[] } {
  const doc = emptyDocument();
  const errors = parseIniInto(doc, text, 'f.conf');
  return {
    get: (section, key) => {
      const entry = lookup(doc, section, key);
      return entry === undefined ? undefined : { value: entry.value, line: entry.line };
    },
    errors,
    sections: [...doc.sections.keys()],
  };
}

const values: Array<[string, string, string, string | undefined, number?]> = [
  // [description, ini text, key, expected value, expected line]
  ['plain', '[s]\na=b', 'a', 'b', 2],
  ['; without whitespace is kept', '[s]\na=b;c', 'a', 'b;c'],
  ['# without whitespace is kept', '[s]\na=b#c', 'a', 'b#c'],
  ['space then ; starts a comment', '[s]\na=b ;c', 'a', 'b'],
  ['tab then # starts a comment', '[s]\na=b\t# c', 'a', 'b'],
  ['the earliest comment prefix wins', '[s]\na=x #y ;z', 'a', 'x'],
  ['a later ; after whitespace still counts', '[s]\na=b;c ;d', 'a', 'b;c'],
  ['colon delimiter', '[s]\na: b', 'a', 'b'],
  ['the first delimiter wins', '[s]\na:b=c', 'a', 'b=c'],
  ['keys are lower-cased', '[s]\nCommand = x', 'command', 'x'],
  ['spaces around the delimiter', '[s]\n  key   =   v  ', 'key', 'v'],
  ['empty value', '[s]\na=', 'a', ''],
  ['continuation lines join with newlines', '[s]\na=one\n  two\n\tthree', 'a', 'one\ntwo\nthree'],
  ['blank line inside a continued value is kept', '[s]\na=one\n\n  two', 'a', 'one\n\ntwo'],
  ['trailing blank lines are dropped', '[s]\na=one\n  two\n\n\n', 'a', 'one\ntwo'],
  ['a comment line inside a continued value is skipped', '[s]\na=one\n; note\n  two', 'a', 'one\ntwo'],
  ['an unindented line ends the value', '[s]\na=one\nb=two', 'a', 'one'],
  ['continuation must be deeper than the key', '[s]\n  a=one\n  b=two', 'b', 'two'],
  ['a later assignment wins', '[s]\na=1\na=2', 'a', '2', 3],
  ['[DEFAULT] applies to every section', '[DEFAULT]\nd=1\n[s]\na=2', 'd', '1', 2],
  ['a reopened section merges', '[s]\na=1\n[t]\n[s]\nb=2', 'b', '2', 5],
  ['CRLF line ends', '[s]\r\na=b\r\n', 'a', 'b'],
  ['full-line comments', '# x\n; y\n[s]\n  ; indented\na=b', 'a', 'b', 5],
];

for (const [description, text, key, expected, line] of values) {
  test(`ini: ${description}`, () => {
    const parsed = parse(text);
    assert.deepEqual(parsed.errors, []);
    assert.equal(parsed.get('s', key)?.value, expected);
    if (line !== undefined) assert.equal(parsed.get('s', key)?.line, line);
  });
}

test('ini: section names are verbatim, greedy up to the last ]', () => {
  assert.deepEqual(parse('[program:a.b]\n[ spaced ]\n[a]b]\n[x] trailing').sections, ['program:a.b', ' spaced ', 'a]b', 'x']);
});

test('ini: a line without a delimiter is an error with its line, and parsing goes on', () => {
  const parsed = parse('[s]\na=1\njunk\nb=2');
  assert.equal(parsed.errors.length, 1);
  assert.equal(parsed.errors[0]?.line, 3);
  assert.match(parsed.errors[0]?.message ?? '', /neither a \[section\] header/);
  assert.equal(parsed.get('s', 'b')?.value, '2');
});

test('ini: a key before any section header stops the file', () => {
  const parsed = parse('a=1\n[s]\nb=2');
  assert.equal(parsed.errors[0]?.line, 1);
  assert.match(parsed.errors[0]?.message ?? '', /no section header/);
  assert.deepEqual(parsed.sections, []);
});

test('ini: an empty key is an error', () => {
  const parsed = parse('[s]\n=value');
  assert.match(parsed.errors[0]?.message ?? '', /key is empty/);
});

// `keep` (what `vigil ctl` reads): the kept sections come out exactly as in a
// full parse, whatever the left-out sections hold between them.
test('keep: the kept sections are those of a full parse', () => {
  const text = [
    '[DEFAULT]',
    'shared = 1',
    '[program:a]',
    'command = sleep 1',
    'environment = A="1",',
    '   [supervisorctl]',
    '   B="2"',
    '  [not a header: a continuation line]',
    '; [comment that looks like a header]',
    '# [another]',
    'bad line without delimiter',
    '   [indented after a bad line]',
    '[unix_http_server]',
    'file = /run/a.sock ; inline comment',
    '[program:b]',
    '',
    '    [indented header after a blank line]',
    'key = value',
    '[supervisorctl]',
    'serverurl = unix:///run/a.sock',
    '   continued',
  ].join('\n');
  const full = emptyDocument();
  const fullErrors = parseIniInto(full, text, 'f.conf');
  const kept = emptyDocument();
  const keep = (name: string): boolean => name === 'unix_http_server' || name === 'supervisorctl' || name === 'indented header after a blank line';
  parseIniInto(kept, text, 'f.conf', keep);
  assert.ok(fullErrors.length > 0); // the bad line is an error of the full parse only
  for (const name of full.sections.keys()) {
    if (keep(name)) assert.deepEqual(kept.sections.get(name), full.sections.get(name), name);
    else assert.equal(kept.sections.has(name), false, name);
  }
  assert.deepEqual([...kept.sections.keys()], [...full.sections.keys()].filter(keep));
  assert.deepEqual(kept.defaults, full.defaults);
});
