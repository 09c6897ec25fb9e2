// `vigil check`'s look ahead at what will fail when a program is spawned,
// although the config itself is valid (supervisord finds these only at spawn):
// a command that is not found or not executable on the program's PATH, a
// script whose #! interpreter is missing, a missing `directory`, a log file
// that cannot be created. Reads the filesystem; never changes anything.
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { isLoopbackHost } from '../control/auth.ts';
import { ExecutableError, missingInterpreter, resolveExecutable } from '../process/executable.ts';
import { destinationOf } from './destination.ts';
import type { ConfigWarning } from './errors.ts';
import { SUPERVISOR_STDOUT_HANDLER } from './events.ts';
import type { ProcessConfig, ResolvedConfig } from './types.ts';

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

// Why `path` cannot be created or appended to, or undefined when it can.
function unwritable(path: string): string | undefined {
  const target = existsSync(path) ? path : dirname(path);
  try {
    accessSync(target, constants.W_OK);
    return undefined;
  } catch (error) {
    return `${target} is not writable (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
  }
}

function processWarnings(process: ProcessConfig, env: NodeJS.ProcessEnv): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  const section = `${process.kind}:${process.program_name}`;
  const warn = (key: string, message: string): void => {
    const at = process.locations[key] ?? process.source;
    warnings.push({ file: at.file, line: at.line, section, key, message: `${message}; ${process.name} will fail at spawn` });
  };
  const program = process.argv[0];
  if (process.command_error === null && program !== undefined) {
    const pathEnv = process.environment.PATH ?? env.PATH;
    try {
      const file = resolveExecutable(program, pathEnv);
      const missing = missingInterpreter(file, pathEnv);
      if (missing !== undefined) warn('command', `${file} is a script whose #! interpreter ${missing} does not exist`);
    } catch (error) {
      if (!(error instanceof ExecutableError)) throw error;
      warn('command', error.message);
    }
  }
  if (process.directory !== null && !isDirectory(process.directory)) {
    warn('directory', `directory ${process.directory} does not exist or is not a directory`);
  }
  for (const channel of ['stdout', 'stderr'] as const) {
    const destination = destinationOf(process, channel, false);
    if (destination.kind !== 'file') continue;
    const problem = unwritable(destination.path);
    if (problem !== undefined) warn(`${channel}_logfile`, `cannot create log file ${destination.path}: ${problem}`);
  }
  return warnings;
}

// Every warning for every process vigil would run.
export function preflight(config: ResolvedConfig, env: NodeJS.ProcessEnv): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  for (const group of config.groups) {
    if (group.eventlistener?.result_handler === SUPERVISOR_STDOUT_HANDLER) continue; // not started
    for (const process of group.processes) warnings.push(...processWarnings(process, env));
  }
  const inet = config.inet_http_server;
  if (inet !== null && (inet.username === null || inet.password === null) && !inet.allow_unauthenticated && !isLoopbackHost(inet.host)) {
    const at = { file: config.file, line: 0 };
    warnings.push({
      ...at,
      section: inet.section,
      key: 'port',
      message: `port ${inet.host === '' ? '*' : inet.host}:${inet.port} has no username/password: vigil serves it on 127.0.0.1 only; set both, or allow_unauthenticated=true`,
    });
  }
  const childlogdir = config.supervisord.childlogdir;
  const usesAuto = config.groups.some((group) =>
    group.processes.some((process) => (['stdout', 'stderr'] as const).some((channel) => destinationOf(process, channel, false).kind === 'auto')),
  );
  const problem = usesAuto ? unwritable(`${childlogdir}/`) : undefined;
  if (problem !== undefined) {
    warnings.push({ file: config.file, line: 0, section: 'supervisord', key: 'childlogdir', message: `AUTO log files cannot be created in ${childlogdir}: ${problem}` });
  }
  return warnings;
}
