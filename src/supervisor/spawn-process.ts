// Turns a ProcessSpec into a native spawn: environment, PATH lookup, user and
// groups, pipes. Errors come back as supervisord's spawnerr texts.
import { accessSync, constants, statSync } from 'node:fs';
import { isatty } from 'node:tty';
import type { NativeAddon, NativeSpawnError, SpawnRequest, SpawnedChild } from '../native/addon.ts';
import { DEFAULT_PATH, missingInterpreter, pathCandidates } from '../process/executable.ts';
import { spawnErrors } from './messages.ts';
import type { ProcessSpec } from './spec.ts';

export class SpawnFailure extends Error {}

// supervisord's environment for a child: its own environment, the SUPERVISOR_*
// variables programs check, then the program's `environment` on top
// (supervisor/process.py _spawn_as_child).
export function childEnvironment(spec: ProcessSpec, base: NodeJS.ProcessEnv): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) if (value !== undefined) env[key] = value;
  env.SUPERVISOR_ENABLED = '1';
  if (spec.serverUrl) env.SUPERVISOR_SERVER_URL = spec.serverUrl;
  env.SUPERVISOR_PROCESS_NAME = spec.name;
  env.SUPERVISOR_GROUP_NAME = spec.group;
  Object.assign(env, spec.environment);
  return env;
}

// The child's environment, and the same as one NUL-separated block for the
// addon (one string to convert instead of one per variable), built once per
// spec: startup with a hundred programs spent more time here than in exec,
// and a restarting program would rebuild it at every spawn.
const environments = new WeakMap<ProcessSpec, { base: NodeJS.ProcessEnv; env: Record<string, string>; block: string }>();

function environmentOf(spec: ProcessSpec, base: NodeJS.ProcessEnv): { env: Record<string, string>; block: string } {
  const cached = environments.get(spec);
  if (cached && cached.base === base) return cached;
  const env = childEnvironment(spec, base);
  const block = Object.entries(env)
    .map(([key, value]) => `${key}=${value}`)
    .join('\0');
  const entry = { base, env, block };
  environments.set(spec, entry);
  return entry;
}

// PATH lookups are remembered for a second: a hundred programs started at
// once all look up `sleep` or `python3` in the same ten directories. Spawns a
// second apart look again, as supervisord does for every spawn.
const PATH_CACHE_MS = 1000;
const pathCache = new Map<string, { at: number; found: string | undefined }>();

function searchPath(program: string, pathEnv: string): string | undefined {
  const key = `${pathEnv}\0${program}`;
  const now = Date.now();
  const cached = pathCache.get(key);
  if (cached && now - cached.at < PATH_CACHE_MS) return cached.found;
  const found = pathCandidates(program, pathEnv).find((candidate) => {
    try {
      return statSync(candidate) !== undefined;
    } catch {
      return false;
    }
  });
  if (pathCache.size > 1000) pathCache.clear();
  pathCache.set(key, { at: now, found });
  return found;
}

// options.py get_execv_args/check_execv_args: a name without '/' is looked up
// on the PATH of the child's environment; messages are supervisord's.
export function findCommand(program: string, env: Record<string, string>): string {
  let filename = program;
  if (!program.includes('/')) {
    const found = searchPath(program, env.PATH ?? DEFAULT_PATH);
    if (!found) throw new SpawnFailure(spawnErrors.cantFindCommand(program));
    filename = found;
  }
  let isDirectory: boolean;
  try {
    isDirectory = statSync(filename).isDirectory();
  } catch {
    throw new SpawnFailure(spawnErrors.cantFindCommand(filename));
  }
  if (isDirectory) throw new SpawnFailure(spawnErrors.isDirectory(filename));
  try {
    accessSync(filename, constants.X_OK);
  } catch {
    throw new SpawnFailure(spawnErrors.noPermission(filename));
  }
  return filename;
}

// Spawns the child in its own process group with pipes for stdin, stdout and
// (unless redirect_stderr) stderr, on a libuv worker. Calls back with the child
// or a SpawnFailure carrying supervisord's spawnerr text.
export function spawnProcess(
  addon: NativeAddon,
  spec: ProcessSpec,
  baseEnv: NodeJS.ProcessEnv,
  callback: (error: SpawnFailure | null, child?: SpawnedChild) => void,
  stdio?: SpawnRequest['stdio'], // instead of the spec's (health checks)
): void {
  let request: SpawnRequest;
  try {
    request = spawnRequest(addon, spec, baseEnv);
    if (stdio !== undefined) request = { ...request, stdio };
  } catch (error) {
    callback(error instanceof SpawnFailure ? error : new SpawnFailure(`spawn error: ${String(error)}`));
    return;
  }
  addon.spawnAsync(request, (error, child) => {
    if (error) callback(spawnFailure(error, spec, request.file, environmentOf(spec, baseEnv).env));
    else callback(null, child);
  });
}

function spawnRequest(addon: NativeAddon, spec: ProcessSpec, baseEnv: NodeJS.ProcessEnv): SpawnRequest {
  if (spec.spawnRefusal !== null) throw new SpawnFailure(spec.spawnRefusal);
  if (spec.argv.length === 0) throw new SpawnFailure(spawnErrors.commandEmpty);
  const { env, block } = environmentOf(spec, baseEnv);
  const file = findCommand(spec.argv[0] as string, env);
  let uid: number | undefined;
  let gid: number | undefined;
  let groups: number[] | undefined;
  if (spec.user !== null) {
    const entry = addon.lookupUser(spec.user);
    if (!entry) throw new SpawnFailure(`Invalid user name ${spec.user}`);
    if (entry.uid !== process.getuid?.()) {
      if (process.getuid?.() !== 0) throw new SpawnFailure(`Can't drop privilege as nonroot user`);
      ({ uid, gid, groups } = entry);
    }
  }
  return {
      file,
      argv: [...spec.argv],
      envBlock: block,
      ...(spec.directory !== null ? { cwd: spec.directory } : {}),
      ...(spec.umask !== null ? { umask: spec.umask } : {}),
      ...(uid !== undefined ? { uid, gid, groups } : {}),
      newProcessGroup: true,
      // `main` (vigil -c FILE -- CMD) is the container's command: it keeps
      // vigil's stdio and, with a terminal, the foreground, as in init mode.
      stdio: spec.kind === 'main' ? ['inherit', 'inherit', 'inherit'] : ['pipe', 'pipe', spec.redirectStderr ? 'stdout' : 'pipe'],
      foreground: spec.kind === 'main' && isatty(0),
  };
}

// The native error of a failed spawn step, as supervisord words it.
function spawnFailure(failure: NativeSpawnError, spec: ProcessSpec, file: string, env: Record<string, string>): SpawnFailure {
    switch (failure.syscall) {
      case 'chdir':
        return new SpawnFailure(`couldn't chdir to ${spec.directory}: ${failure.code}`);
      case 'setuid':
      case 'setgid':
      case 'setgroups':
        return new SpawnFailure(`couldn't setuid to ${spec.user}: ${failure.code}`);
      case 'fork':
      case 'pipe2':
        if (failure.code === 'EMFILE' || failure.code === 'ENFILE') {
          return new SpawnFailure(spawnErrors.tooManyOpenFiles(spec.name));
        }
        if (failure.code === 'EAGAIN') return new SpawnFailure(spawnErrors.tooManyProcesses(spec.name));
        return new SpawnFailure(spawnErrors.forkError(spec.name, failure.code));
      default: {
        // ENOENT for a file that exists: its #! interpreter is what is missing.
        const missing = failure.code === 'ENOENT' ? missingInterpreter(file, env.PATH) : undefined;
        const why = missing === undefined ? '' : ` (its #! interpreter ${missing} does not exist)`;
        return new SpawnFailure(`couldn't exec ${spec.argv[0]}: ${failure.code}${why}`);
      }
    }
}
