// The rewrite that lets the daemon's bundled code live inside a comment
// (scripts/comment-safe.mjs): no "*/" left, and the code does the same.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runInNewContext } from 'node:vm';
// @ts-expect-error: a build script in plain JavaScript, without types
import { commentSafe } from '../../../scripts/comment-safe.mjs';

const safe = commentSafe as (code: string) => string;

// Runs `expression` before and after the rewrite: same value, and the rewritten
// code fits in a comment.
function same(expression: string): string {
  const code = `result = (${expression});`;
  const rewritten = safe(code);
  assert.ok(!rewritten.includes('*/'), rewritten);
  const before = runInNewContext(`${code} result`);
  const after = runInNewContext(`${rewritten} result`);
  assert.equal(JSON.stringify(after), JSON.stringify(before)); // values of another realm
  return rewritten;
}

describe('commentSafe', () => {
  it('leaves code without "*/" untouched', () => {
    const code = 'const a = 2 * 3 / 4; const b = "x/*y";';
    assert.equal(safe(code), code);
  });

  it('strings and templates keep their text', () => {
    same('"SQL block comment: /* ... */"');
    same("'*/'");
    same('`a */ b ${1 + 1} c */`');
  });

  it('a regular expression ending in a "*" quantifier matches the same', () => {
    const rewritten = same('"a , b,c".split(/\\s*,\\s*/)');
    assert.match(rewritten, /\(\?:\)\//);
    same('[/a\\*/.test("a*"), /a\\*/.test("a")]');
    same('/x*/gu.exec("xxx")[0]');
  });

  it('"*/" inside a character class stays a class with "*" and "/"', () => {
    same('"a*/b".replace(/[*/]/g, "-")');
  });

  it('refuses a tagged template, whose raw text would change', () => {
    assert.throws(() => safe('String.raw`*/`'), /tagged template/);
  });
});
