// INI reader with the semantics of Python's configparser.RawConfigParser as
// supervisord configures it (UnhosedConfigParser: inline_comment_prefixes ';' '#',
// strict=False), recording file:line for every key.
// The `ini` npm package does not fit: it keeps no line numbers, treats ';' and '#'
// as comments even without preceding whitespace (`a=b;c`), splits dotted section
// names into nested objects, and knows no indented continuation lines.

// Python's str.isspace()/strip() set, which differs from JS \s (\x1c-\x1f, \x85; no \ufeff).
const WS = '\\t\\n\\v\\f\\r \\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const LEADING_WS = new RegExp(`^[${WS}]+`);
const TRAILING_WS = new RegExp(`[${WS}]+$`);
const IS_WS = new RegExp(`^[${WS}]$`);
const NON_SPACE = new RegExp(`[^${WS}]`);
// configparser's SECTCRE: greedy, so `[a]b]` is section `a]b` and `[x] junk` is `x`.
const SECTION_HEADER = /^\[([^\n]+)\]/;
// configparser's OPTCRE with delimiters '=' and ':': the first delimiter wins.
const OPTION_LINE = new RegExp(`^(.*?)[${WS}]*(=|:)[${WS}]*(.*)$`);

// The section configparser merges into every other section.
export const DEFAULT_SECTION = 'DEFAULT';

// Stands for the last key of a left-out section (parseIniInto's `keep`).
const SKIPPED_KEY: IniEntry = { key: '', value: '', file: '', line: 0 };

export interface IniEntry {
  readonly key: string;
  value: string;
  readonly file: string;
  readonly line: number;
}

export interface IniSection {
  readonly name: string;
  readonly file: string;
  readonly line: number;
  readonly entries: Map<string, IniEntry>;
}

// Sections in order of first appearance across all files read (configparser's dict order).
export interface IniDocument {
  readonly sections: Map<string, IniSection>;
  readonly defaults: Map<string, IniEntry>;
}

export interface IniSyntaxError {
  readonly file: string;
  readonly line: number;
  readonly text: string;
  readonly message: string;
}

export function pyStrip(text: string): string {
  return text.replace(LEADING_WS, '').replace(TRAILING_WS, '');
}

export function emptyDocument(): IniDocument {
  return { sections: new Map(), defaults: new Map() };
}

// Looks a key up in a section, falling back to [DEFAULT] as configparser's get() does.
export function lookup(doc: IniDocument, section: string, key: string): IniEntry | undefined {
  return doc.sections.get(section)?.entries.get(key) ?? doc.defaults.get(key);
}

// Where an inline comment starts: ';' or '#' at column 0 or after whitespace
// (configparser's inline_comment_prefixes loop), or undefined.
function inlineCommentStart(line: string): number | undefined {
  let start: number | undefined;
  for (const prefix of [';', '#']) {
    for (let index = line.indexOf(prefix); index !== -1; index = line.indexOf(prefix, index + 1)) {
      if (index === 0 || IS_WS.test(line[index - 1] as string)) {
        start = start === undefined ? index : Math.min(start, index);
        break;
      }
    }
  }
  return start;
}

// Parses `text` (the contents of `file`) into `doc`, as configparser.read() does when
// called once per file; returns the syntax errors. A file without any section header
// stops at its first key line (MissingSectionHeaderError).
//
// `keep` (optional) names the sections to read: the lines of any other section
// are only scanned for the next header, which is what `vigil ctl` needs from a
// config of 100 programs (it reads four sections; parsing the rest was a tenth
// of its run). A line of a left-out section that starts with `[` goes through
// the full rules, so sections begin exactly where they do without `keep`.
export function parseIniInto(doc: IniDocument, text: string, file: string, keep?: (section: string) => boolean): IniSyntaxError[] {
  const errors: IniSyntaxError[] = [];
  let skipping = false;
  // Python reads text files with universal newlines.
  const lines = text.replace(/^\ufeff/, '').split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  let current: Map<string, IniEntry> | undefined;
  let pending = new Map<IniEntry, string[]>(); // multi-line values, joined at the end
  let option: IniEntry | undefined;
  let indentLevel = 0;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as string;
    const lineNumber = index + 1;
    if (skipping) {
      const first = line.search(NON_SPACE);
      if (first === -1 || line[first] !== '[') {
        // A key, a comment or a continuation line of a left-out section:
        // only the continuation rule (indent, a key before) is kept.
        const comment = line[first] === ';' || line[first] === '#';
        if (first !== -1 && !comment && !(option !== undefined && first > indentLevel)) {
          indentLevel = first;
          option = SKIPPED_KEY;
        }
        continue;
      }
    }
    let commentStart = inlineCommentStart(line);
    const stripped = pyStrip(line);
    if (stripped.startsWith('#') || stripped.startsWith(';')) commentStart = 0;
    const value = pyStrip(commentStart === undefined ? line : line.slice(0, commentStart));
    if (value === '') {
      // empty_lines_in_values=True: a blank line (not a comment) inside a value is
      // kept, and the value may continue on a later indented line.
      if (commentStart === undefined && current !== undefined && option !== undefined) {
        pending.get(option)?.push('');
      }
      continue;
    }
    const indent = NON_SPACE.exec(line)?.index ?? 0;
    if ((current !== undefined || skipping) && option !== undefined && indent > indentLevel) {
      pending.get(option)?.push(value);
      continue;
    }
    indentLevel = indent;
    const header = SECTION_HEADER.exec(value);
    if (header !== null) {
      const name = header[1] as string;
      skipping = keep !== undefined && name !== DEFAULT_SECTION && !keep(name);
      if (skipping) current = undefined;
      else if (name === DEFAULT_SECTION) current = doc.defaults;
      else {
        let section = doc.sections.get(name);
        if (section === undefined) {
          section = { name, file, line: lineNumber, entries: new Map() };
          doc.sections.set(name, section);
        }
        current = section.entries;
      }
      option = undefined;
      continue;
    }
    if (current === undefined) {
      errors.push({
        file,
        line: lineNumber,
        text: line,
        message: 'file contains no section header before this line (expected e.g. [program:name])',
      });
      break;
    }
    const match = OPTION_LINE.exec(value);
    if (match === null) {
      errors.push({
        file,
        line: lineNumber,
        text: line,
        message: 'line is neither a [section] header, a key=value or key: value pair, nor a ; or # comment',
      });
      continue; // like configparser, the previous key may still take continuation lines
    }
    const rawKey = (match[1] as string).replace(TRAILING_WS, '');
    if (rawKey === '') {
      errors.push({ file, line: lineNumber, text: line, message: 'key is empty before the delimiter' });
    }
    // optionxform: keys are case-insensitive (lower-cased); section names are not.
    const entry: IniEntry = { key: rawKey.toLowerCase(), value: '', file, line: lineNumber };
    current.set(entry.key, entry); // a later assignment replaces the earlier one (strict=False)
    pending.set(entry, [pyStrip(match[3] as string)]);
    option = rawKey === '' ? undefined : entry;
  }
  for (const [entry, parts] of pending) entry.value = parts.join('\n').replace(TRAILING_WS, '');
  pending = new Map();
  return errors;
}
