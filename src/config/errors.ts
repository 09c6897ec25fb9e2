// Config problems and warnings, collected while resolving so that every
// problem in a file is reported at once (supervisord stops at the first).
import { VigilError } from '../errors.ts';

// Where a value came from; line 0 means "the file as a whole".
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
}

// One thing wrong with a config: the section, key and bad value, and what is accepted.
export interface ConfigProblem extends SourceLocation {
  readonly section: string;
  readonly key: string;
  readonly value: string;
  readonly message: string;
}

// Something vigil ignores or that supervisord itself warns about; returned, never thrown.
export interface ConfigWarning extends SourceLocation {
  readonly section: string;
  readonly key: string;
  readonly message: string;
}

function describe(item: ConfigProblem | ConfigWarning, label: string): string {
  const where = item.line > 0 ? `${item.file}:${item.line}` : item.file;
  const what = [label, item.section === '' ? '' : `[${item.section}]`, item.key].filter((part) => part !== '');
  return what.length === 0 ? `${where}: ${item.message}` : `${where}: ${what.join(' ')}: ${item.message}`;
}

// Formats one problem as `file:line: [section] key: message` (parts that do not
// apply are left out).
export function formatProblem(item: ConfigProblem | ConfigWarning): string {
  return describe(item, '');
}

// Formats one warning as `file:line: warning: [section] key: message`.
export function formatWarning(item: ConfigWarning): string {
  return describe(item, 'warning:');
}

// Formats one notice (something vigil handles its own way, nothing to fix) as
// `file:line: note: [section] key: message`.
export function formatNotice(item: ConfigWarning): string {
  return describe(item, 'note:');
}

// Thrown by loadConfig when anything is wrong; `problems` holds every problem found.
export class ConfigError extends VigilError {
  readonly problems: readonly ConfigProblem[];
  // The warnings found alongside (shown with the problems by `vigil check`).
  readonly warnings: readonly ConfigWarning[];
  constructor(problems: readonly ConfigProblem[], warnings: readonly ConfigWarning[] = []) {
    const lines = problems.map(formatProblem);
    super('ECONFIG', `${problems.length} config problem${problems.length === 1 ? '' : 's'}:\n${lines.join('\n')}`);
    this.problems = problems;
    this.warnings = warnings;
  }
}

// No config file was named and none was found at the default paths.
export class ConfigNotFoundError extends VigilError {
  readonly tried: readonly string[];
  constructor(message: string, tried: readonly string[]) {
    super('ENOCONFIG', message);
    this.tried = tried;
  }
}

// Thrown by converters and expansion with just the reason; the caller adds the location.
export class ValueProblem extends Error {}

// Accumulates problems and warnings, dropping exact duplicates (numprocs=50 with one
// bad value would otherwise report it 50 times).
export class Diagnostics {
  readonly problems: ConfigProblem[] = [];
  readonly warnings: ConfigWarning[] = [];
  readonly notices: ConfigWarning[] = [];
  private readonly seen = new Set<string>();

  error(at: SourceLocation, section: string, key: string, value: string, message: string): void {
    const problem = { file: at.file, line: at.line, section, key, value, message };
    if (this.once(`E${formatProblem(problem)}`)) this.problems.push(problem);
  }

  warn(at: SourceLocation, section: string, key: string, message: string): void {
    const warning = { file: at.file, line: at.line, section, key, message };
    if (this.once(`W${formatProblem(warning)}`)) this.warnings.push(warning);
  }

  notice(at: SourceLocation, section: string, key: string, message: string): void {
    const notice = { file: at.file, line: at.line, section, key, message };
    if (this.once(`N${formatProblem(notice)}`)) this.notices.push(notice);
  }

  private once(id: string): boolean {
    if (this.seen.has(id)) return false;
    this.seen.add(id);
    return true;
  }
}
