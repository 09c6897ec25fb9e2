// PATH lookup done in TypeScript, before fork, so that "not found" and
// "not executable" are reported with the command's name instead of surfacing
// as an errno from exec in the child.
import { accessSync, closeSync, constants, existsSync, openSync, readSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { VigilError } from '../errors.ts';

// 127 = not found, 126 = found but cannot be executed (shell and tini's codes).
export class ExecutableError extends VigilError {
  readonly exitCode: 126 | 127;
  constructor(command: string, reason: string, exitCode: 126 | 127) {
    super(exitCode === 127 ? 'ENOENT' : 'EACCES', `cannot run '${command}': ${reason}`);
    this.exitCode = exitCode;
  }
}

// The PATH used when the environment has none (execvp's and supervisord's).
export const DEFAULT_PATH = '/usr/local/bin:/usr/bin:/bin';

// The one PATH walk: where `command` would be in each PATH entry, in order (an
// empty entry means the current directory, as for execvp). Callers differ only
// in which candidate they accept: init mode takes the first executable file
// (execvp), programs the first that exists (supervisord's get_execv_args).
export function pathCandidates(command: string, pathEnv: string | undefined): string[] {
  return (pathEnv ?? DEFAULT_PATH).split(':').map((dir) => join(dir || '.', command));
}

// Resolves `command` like execvp: a name with a slash is used as is (relative to
// cwd), any other is searched on PATH. Throws ExecutableError.
export function resolveExecutable(command: string, pathEnv: string | undefined, cwd = process.cwd()): string {
  if (command === '') throw new ExecutableError(command, 'empty command', 127);
  if (command.includes('/')) {
    const path = isAbsolute(command) ? command : resolve(cwd, command);
    checkExecutable(command, path);
    return path;
  }
  let denied: string | undefined;
  for (const path of pathCandidates(command, pathEnv)) {
    try {
      if (!statSync(path).isFile()) continue;
    } catch {
      continue; // ENOENT, ENOTDIR, EACCES on a PATH entry: keep looking, as execvp
    }
    try {
      accessSync(path, constants.X_OK);
      return isAbsolute(path) ? path : resolve(cwd, path);
    } catch {
      denied ??= path;
    }
  }
  if (denied) throw new ExecutableError(command, `permission denied (${denied})`, 126);
  throw new ExecutableError(command, `not found in PATH (${pathEnv ?? ''})`, 127);
}

function checkExecutable(command: string, path: string): void {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    throw new ExecutableError(command, 'no such file or directory', 127);
  }
  if (isDirectory) throw new ExecutableError(command, 'is a directory', 126);
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new ExecutableError(command, 'permission denied', 126);
  }
}

// Maps an exec-stage errno (from the native spawn) to the exit code a shell uses.
export function execErrnoExitCode(code: string): 126 | 127 {
  return code === 'ENOENT' || code === 'ENOTDIR' ? 127 : 126;
}

// For a script whose exec fails with ENOENT although the script exists: the
// kernel reports the missing `#!` interpreter as the script's own ENOENT.
// Returns what is missing (`/usr/bin/python9`, or `python9` looked up by
// `#!/usr/bin/env python9` on `pathEnv`), or undefined when the interpreter
// exists or the file is not a `#!` script.
export function missingInterpreter(script: string, pathEnv: string | undefined): string | undefined {
  let head: string;
  try {
    const fd = openSync(script, 'r');
    try {
      const buffer = Buffer.alloc(256);
      head = buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0)).toString('latin1');
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined; // unreadable: exec will say so itself
  }
  if (!head.startsWith('#!')) return undefined;
  const words = (head.slice(2).split('\n')[0] ?? '').trim().split(/[ \t]+/);
  const interpreter = words[0] ?? '';
  if (interpreter === '') return undefined;
  if (!existsSync(interpreter)) return interpreter;
  // `#!/usr/bin/env NAME` (or `env -S NAME ...`): NAME on the PATH.
  if (basename(interpreter) === 'env') {
    const name = words.slice(1).find((word) => !word.startsWith('-'));
    if (name === undefined || name.includes('/')) return name !== undefined && !existsSync(name) ? name : undefined;
    try {
      resolveExecutable(name, pathEnv);
    } catch {
      return `${name} (looked up by ${interpreter} on PATH ${pathEnv ?? ''})`;
    }
  }
  return undefined;
}
