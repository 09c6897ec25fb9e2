// A small glob with Python glob.glob() semantics (non-recursive), used for
// [include] files=: `*`, `?` and `[...]` in any path component; names starting
// with '.' only match a pattern component that starts with '.'.
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';

const MAGIC = /[*?[]/;

export function hasMagic(pattern: string): boolean {
  return MAGIC.test(pattern);
}

// Translates one fnmatch pattern component to an anchored RegExp (fnmatch.translate).
export function fnmatchToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string;
    if (char === '*') out += '.*';
    else if (char === '?') out += '.';
    else if (char === '[') {
      let j = i + 1;
      if (pattern[j] === '!') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j++;
      if (j >= pattern.length) {
        out += '\\['; // no closing bracket: a literal '['
        continue;
      }
      let body = pattern.slice(i + 1, j);
      const negate = body.startsWith('!');
      if (negate) body = body.slice(1);
      out += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, (c) => `\\${c}`)}]`;
      i = j;
    } else out += char.replace(/[.*+?^${}()|[\]\\/]/g, (c) => `\\${c}`);
  }
  return new RegExp(`^(?:${out})$`, 's');
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function matchInDirectory(directory: string, pattern: string): string[] {
  let names: string[];
  try {
    names = readdirSync(directory === '' ? '.' : directory);
  } catch {
    return []; // glob ignores unreadable or missing directories
  }
  const regexp = fnmatchToRegExp(pattern);
  const hiddenAllowed = pattern.startsWith('.');
  return names.filter((name) => (hiddenAllowed || !name.startsWith('.')) && regexp.test(name));
}

// Returns the paths matching `pattern`, unsorted (callers sort, as supervisord does).
export function glob(pattern: string): string[] {
  if (!hasMagic(pattern)) {
    if (pattern.endsWith('/')) return isDirectory(pattern) ? [pattern] : [];
    return exists(pattern) ? [pattern] : [];
  }
  const directoryPart = dirname(pattern);
  const namePart = basename(pattern);
  const directories =
    directoryPart !== pattern && hasMagic(directoryPart) ? glob(directoryPart) : [directoryPart];
  const results: string[] = [];
  for (const directory of directories) {
    if (hasMagic(namePart)) {
      for (const name of matchInDirectory(directory, namePart)) results.push(join(directory, name));
    } else if (exists(join(directory, namePart))) results.push(join(directory, namePart));
  }
  return results;
}
