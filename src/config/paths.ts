// Path converters from supervisor/datatypes.py (existing_dirpath,
// existing_directory, logfile_name) and options.normalize_path.
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ValueProblem } from './errors.ts';
import { passwdEntries } from './users.ts';

// Where a program's stdout/stderr goes: supervisord's Automatic sentinel (a file in
// childlogdir, named at spawn time), None, or a path.
export type LogfileTarget =
  | { readonly kind: 'auto' }
  | { readonly kind: 'none' }
  | { readonly kind: 'path'; readonly path: string };

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

// os.path.expanduser: `~` and `~/x` use $HOME, `~user/x` that user's home; else unchanged.
export function expandUser(path: string, env: NodeJS.ProcessEnv): string {
  if (!path.startsWith('~')) return path;
  const slash = path.indexOf('/');
  const user = path.slice(1, slash === -1 ? undefined : slash);
  const rest = slash === -1 ? '' : path.slice(slash);
  let home: string | undefined;
  if (user === '') home = env['HOME'] ?? passwdEntries().find((entry) => entry.uid === process.getuid?.())?.home;
  else home = passwdEntries().find((entry) => entry.name === user)?.home;
  if (home === undefined) return path;
  return (home.replace(/\/+$/, '') || '/') + rest;
}

// existing_dirpath: the directory part (if any) must exist; returns the expanded path.
export function existingDirpath(env: NodeJS.ProcessEnv): (text: string) => string {
  return (text) => {
    const path = expandUser(text, env);
    const directory = path.includes('/') ? dirname(path) : '';
    if (directory === '' || isDirectory(directory)) return path;
    throw new ValueProblem(`the directory ${directory} named in '${text}' does not exist; create it or name another path`);
  };
}

// existing_directory: must be an existing directory; returns the expanded path.
export function existingDirectory(env: NodeJS.ProcessEnv): (text: string) => string {
  return (text) => {
    const path = expandUser(text, env);
    if (isDirectory(path)) return path;
    throw new ValueProblem(`'${text}' is not an existing directory`);
  };
}

// logfile_name: NONE/OFF, AUTO, SYSLOG (deprecated; the caller rewrites it), else a path.
export function logfileName(env: NodeJS.ProcessEnv): (text: string) => LogfileTarget | 'syslog' {
  const toPath = existingDirpath(env);
  return (text) => {
    const lower = text.toLowerCase();
    if (lower === 'none' || lower === 'off') return { kind: 'none' };
    if (lower === 'auto') return { kind: 'auto' };
    if (lower === 'syslog') return 'syslog';
    return { kind: 'path', path: toPath(text) };
  };
}

// normalize_path: absolute (against the current directory) and normalised.
export function normalizePath(path: string, env: NodeJS.ProcessEnv): string {
  return resolve(expandUser(path, env));
}

// tempfile.gettempdir(): $TMPDIR, $TEMP, $TMP, then /tmp, /var/tmp, /usr/tmp; the first
// writable directory (supervisord's default childlogdir).
export function tempDirectory(env: NodeJS.ProcessEnv): string {
  const candidates = [env['TMPDIR'], env['TEMP'], env['TMP'], '/tmp', '/var/tmp', '/usr/tmp'];
  for (const candidate of candidates) {
    if (candidate === undefined || candidate === '') continue;
    try {
      accessSync(candidate, constants.W_OK | constants.X_OK);
      if (isDirectory(candidate)) return resolve(candidate);
    } catch {
      // not writable: try the next one, as tempfile does
    }
  }
  return process.cwd();
}
