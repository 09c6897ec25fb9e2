// Reads one section's values the way supervisord's parser.saneget does: look the
// key up (falling back to [DEFAULT]), %-expand it with the names that key may use,
// convert it; on failure record a problem at the key's file:line and carry on.
import { Diagnostics, ValueProblem } from './errors.ts';
import type { SourceLocation } from './errors.ts';
import { keyValuePairsWithSkipped } from './converters.ts';
import { expand } from './expand.ts';
import type { Expansions } from './expand.ts';
import { lookup } from './ini.ts';
import type { IniDocument, IniEntry } from './ini.ts';

export type Converter<T> = (text: string) => T;

export interface ReadOptions {
  // Expansion names, or null for keys supervisord reads with do_expand=False.
  readonly names: Expansions | null;
  // supervisord expands some values a second time, with these names (program
  // logfiles, [supervisord] environment), so a literal '%' there needs '%%%%'.
  readonly again?: Expansions;
}

export class SectionReader {
  constructor(
    private readonly doc: IniDocument,
    readonly section: string,
    readonly diag: Diagnostics,
    readonly header: SourceLocation,
  ) {}

  entry(key: string): IniEntry | undefined {
    return lookup(this.doc, this.section, key);
  }

  // Every key set for this section, its own and [DEFAULT]'s, sorted.
  explicitKeys(): string[] {
    const own = this.doc.sections.get(this.section)?.entries.keys() ?? [];
    return [...new Set([...own, ...this.doc.defaults.keys()])].sort();
  }

  // file:line of every key set for this section (its own or [DEFAULT]'s).
  locations(): Record<string, SourceLocation> {
    const result: Record<string, SourceLocation> = {};
    for (const key of this.explicitKeys()) {
      const entry = this.entry(key);
      if (entry !== undefined) result[key] = { file: entry.file, line: entry.line };
    }
    return result;
  }

  has(key: string): boolean {
    return this.entry(key) !== undefined;
  }

  // The key's file:line, or the section header's when the key is absent.
  at(key: string): SourceLocation {
    return this.entry(key) ?? this.header;
  }

  error(key: string, value: string, message: string): void {
    this.diag.error(this.at(key), this.section, key, value, message);
  }

  warn(key: string, message: string): void {
    this.diag.warn(this.at(key), this.section, key, message);
  }

  // The expanded text of a key, `fallback` when absent, undefined after a problem.
  text(key: string, fallback: string | null, options: ReadOptions): string | null | undefined {
    const entry = this.entry(key);
    if (entry === undefined) return fallback;
    if (options.names === null) return entry.value;
    try {
      const once = expand(entry.value, options.names);
      return options.again === undefined ? once : expand(once, options.again);
    } catch (error) {
      if (!(error instanceof ValueProblem)) throw error;
      const twice = options.again === undefined ? '' : " (supervisord %-expands this value twice: a literal '%' is written %%%%)";
      this.error(key, entry.value, `${error.message}${twice}`);
      return undefined;
    }
  }

  // Converts `text` (already expanded) for `key`; undefined after recording a problem.
  convert<T>(key: string, text: string, convert: Converter<T>): T | undefined {
    try {
      return convert(text);
    } catch (error) {
      if (!(error instanceof ValueProblem)) throw error;
      const raw = this.entry(key)?.value ?? text;
      const expanded = raw === text ? '' : ` (expanded from '${raw}')`;
      this.error(key, raw, `${error.message}${expanded}`);
      return undefined;
    }
  }

  // environment= text to its variables, warning about the tokens supervisord drops.
  environment(key: string, text: string): Record<string, string> | undefined {
    const result = this.convert(key, text, keyValuePairsWithSkipped);
    if (result !== undefined && result.skipped.length > 0) {
      const dropped = result.skipped.map((token) => `'${token}'`).join(', ');
      this.warn(key, `${dropped} after a value is ignored, as supervisord ignores it; quote values that contain spaces or punctuation, e.g. KEY="a b"`);
    }
    return result?.pairs;
  }

  // text() then convert(): the typed value, `fallback` when absent, undefined on a problem.
  get<T>(key: string, fallback: T, convert: Converter<T>, options: ReadOptions): T | undefined {
    const text = this.text(key, null, options);
    if (text === undefined) return undefined;
    if (text === null) return fallback;
    return this.convert(key, text, convert);
  }
}
