// Makes bundled JavaScript safe to embed in a /* comment */ (scripts/build.mjs,
// src/load-part.ts) without changing what it does.
import { compileFunction } from 'node:vm';
import ts from 'typescript';

// The daemon's code with no "*/" in it, so that a comment can hold it. A "*/"
// can only be inside a literal (esbuild drops comments): in a string or a
// template it becomes "*\/", the same text; in a regular expression "*\/"
// too (in a class), and a body that ends in "*" gets "(?:)" before its
// closing slash (an empty group matches the same). Anything else, or a
// tagged template (whose raw text would change), stops the build.
export function commentSafe(code) {
  if (!code.includes('*/')) return code;
  const file = ts.createSourceFile('daemon.js', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const edits = [];
  const K = ts.SyntaxKind;
  const visit = (node) => {
    const start = node.getStart(file);
    if (!code.slice(start, node.end).includes('*/')) return;
    switch (node.kind) {
      case K.StringLiteral:
      case K.NoSubstitutionTemplateLiteral:
      case K.TemplateHead:
      case K.TemplateMiddle:
      case K.TemplateTail: {
        const template = node.kind !== K.StringLiteral;
        let outer = node.parent;
        while (outer && outer.kind !== K.TaggedTemplateExpression && outer.kind !== K.TemplateExpression) outer = outer.parent;
        if (template && (node.parent.kind === K.TaggedTemplateExpression || outer?.kind === K.TemplateExpression && outer.parent.kind === K.TaggedTemplateExpression)) {
          fail(start, 'a tagged template');
        }
        edits.push([start, node.end, code.slice(start, node.end).replaceAll('*/', '*\\/')]);
        return;
      }
      case K.RegularExpressionLiteral: {
        const text = code.slice(start, node.end);
        const close = text.lastIndexOf('/');
        let body = text.slice(1, close).replaceAll('*/', '*\\/');
        if (body.endsWith('*')) body += '(?:)';
        edits.push([start, node.end, `/${body}${text.slice(close)}`]);
        return;
      }
    }
    const before = edits.length;
    ts.forEachChild(node, visit);
    if (edits.length === before) fail(start, 'code outside any literal');
  };
  const fail = (at, what) => {
    const index = code.indexOf('*/', at);
    throw new Error(`a bundled part has "*/" in ${what} (…${code.slice(Math.max(0, index - 60), index + 20)}…); it cannot go into a comment (src/load-part.ts)`);
  };
  ts.forEachChild(file, visit);
  let out = '';
  let last = 0;
  for (const [from, to, text] of edits.sort((a, b) => a[0] - b[0])) {
    out += code.slice(last, from) + text;
    last = to;
  }
  out += code.slice(last);
  if (out.includes('*/')) fail(out.indexOf('*/'), 'a place the rewrite missed');
  compileFunction(out, ['exports', 'require', 'module', '__filename', '__dirname']); // still valid JavaScript
  return out;
}
