// Reads the main config file and the files its [include] section names, into one
// document, the way ServerOptions.read_config does: patterns are relative to the
// main file's directory, split on whitespace, each globbed and read in sorted order;
// a pattern matching nothing is only a warning. Included files cannot include more
// (supervisord reads [include] once, from the merged document, before reading them).
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { errnoCode } from '../errors.ts';
import { Diagnostics, ValueProblem } from './errors.ts';
import type { SourceLocation } from './errors.ts';
import { expand } from './expand.ts';
import type { Expansions } from './expand.ts';
import { glob } from './glob.ts';
import { MAX_CONFIG_FILE_BYTES, MAX_INCLUDED_FILES } from './limits.ts';
import { emptyDocument, parseIniInto } from './ini.ts';
import type { IniDocument } from './ini.ts';

export interface ConfigTree {
  readonly doc: IniDocument;
  readonly file: string; // absolute main file
  readonly here: string;
  readonly files: readonly string[];
}

// `includedBy`: the [include] files= entry that matched an included file. The
// main file must be readable; an included one that is not (a directory, no
// permission) is skipped with a warning, because supervisord's
// configparser.read() skips any file it cannot open and runs the rest.
function readInto(doc: IniDocument, file: string, diag: Diagnostics, keep: SectionFilter | undefined, includedBy?: SourceLocation): boolean {
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > MAX_CONFIG_FILE_BYTES) {
      diag.error({ file, line: 0 }, '', '', file, `config file is ${size} bytes; the limit is ${MAX_CONFIG_FILE_BYTES} bytes`);
      return false;
    }
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = errnoCode(error);
    if (includedBy !== undefined) {
      const what = code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? String(error)})`;
      diag.warn(includedBy, 'include', 'files', `${file} ${what}; skipped, as supervisord skips it`);
      return false;
    }
    const reason = code === 'ENOENT' ? 'could not find config file' : `could not read config file (${code ?? String(error)})`;
    diag.error({ file, line: 0 }, '', '', file, reason);
    return false;
  }
  for (const problem of parseIniInto(doc, text, file, keep)) {
    diag.error(problem, '', '', problem.text.trim(), `${problem.message}: '${problem.text.trim()}'`);
  }
  return true;
}

// supervisord's expand_here: once a config has an [include] section, every literal
// '%(here)s' is replaced by the directory of the file just read, before any other
// expansion; so in an included file %(here)s is that file's directory. It works on
// parser.items(section), which includes [DEFAULT]'s values: those are copied into each
// section with the directory of the file that first opened the section.
function replaceHere(doc: IniDocument, here: string): void {
  const replaced = (value: string): string => value.split('%(here)s').join(here);
  for (const section of doc.sections.values()) {
    for (const entry of section.entries.values()) {
      if (entry.value.includes('%(here)s')) entry.value = replaced(entry.value);
    }
    for (const [key, entry] of doc.defaults) {
      if (!section.entries.has(key) && entry.value.includes('%(here)s')) {
        section.entries.set(key, { ...entry, value: replaced(entry.value) });
      }
    }
  }
}

// Which sections to read (parseIniInto's `keep`); [include] is always read.
export type SectionFilter = (section: string) => boolean;

// Reads `path` and its includes; undefined when the main file cannot be read.
// With `only`, the other sections are left out (`vigil ctl`).
export function readConfigTree(path: string, names: Expansions, diag: Diagnostics, only?: SectionFilter): ConfigTree | undefined {
  const keep = only === undefined ? undefined : (section: string): boolean => section === 'include' || only(section);
  const file = resolve(path);
  const here = dirname(file);
  const doc = emptyDocument();
  if (!readInto(doc, file, diag, keep)) return undefined;
  const files = [file];
  const include = doc.sections.get('include');
  if (include === undefined) return { doc, file, here, files };

  replaceHere(doc, here);
  const entry = include.entries.get('files') ?? doc.defaults.get('files');
  if (entry === undefined) {
    diag.error(include, 'include', 'files', '', '[include] has no files= setting; expected e.g. files = conf.d/*.conf');
    return { doc, file, here, files };
  }
  let patterns: string[];
  try {
    patterns = expand(entry.value, { ...names, here }).split(/\s+/).filter((pattern) => pattern !== '');
  } catch (error) {
    if (!(error instanceof ValueProblem)) throw error;
    diag.error(entry, 'include', 'files', entry.value, error.message);
    return { doc, file, here, files };
  }
  for (const pattern of patterns) {
    const absolute = isAbsolute(pattern) ? pattern : join(here, pattern);
    const matches = glob(absolute).sort();
    if (matches.length === 0) {
      diag.warn(entry, 'include', 'files', `no file matches include pattern "${absolute}"`);
      continue;
    }
    for (const match of matches) {
      if (files.length > MAX_INCLUDED_FILES) {
        diag.error(entry, 'include', 'files', entry.value, `matches more than ${MAX_INCLUDED_FILES} files; the rest are not read`);
        return { doc, file, here, files };
      }
      const included = resolve(match);
      if (!readInto(doc, included, diag, keep, entry)) continue;
      files.push(included);
      replaceHere(doc, dirname(included));
    }
  }
  const last = doc.sections.get('include')?.entries.get('files');
  if (last !== undefined && last !== entry) {
    diag.warn(last, 'include', 'files', 'an [include] in an included file is ignored, as supervisord does; include every file from the main config');
  }
  return { doc, file, here, files };
}
