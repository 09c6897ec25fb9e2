// Loads vigil's native addon. In the bundle the compiled .node file is embedded
// as base64 (scripts/build.mjs); process.dlopen needs a path, so it is written
// to a private file in the first writable directory that allows mapping code,
// loaded, and unlinked at once (the mapping survives the unlink). Containers
// often have a read-only root and a `noexec` /dev/shm, hence the candidate list.
import { existsSync, unlinkSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { VigilError } from '../errors.ts';

declare const __VIGIL_ADDON__: string | undefined;

export type WaitStatus = { code: number; signal?: undefined } | { signal: number; code?: undefined };

export type StdioKind = 'inherit' | 'null' | 'pipe' | 'stdout';

export interface SpawnRequest {
  file: string; // absolute path; PATH lookup is done in TypeScript
  argv: string[];
  env?: string[]; // KEY=VALUE
  envBlock?: string; // or all of them in one string, separated by NUL
  cwd?: string;
  umask?: number;
  uid?: number;
  gid?: number;
  groups?: number[];
  newProcessGroup?: boolean; // setpgid(0, 0)
  foreground?: boolean; // tcsetpgrp(0) in the child before exec
  stdio?: [StdioKind, StdioKind, StdioKind];
}

export interface SpawnedChild {
  pid: number;
  stdin?: number; // our end of each pipe, as raw fds
  stdout?: number;
  stderr?: number;
}

// The error thrown by spawn when a step in the child fails: `syscall` names
// the step (chdir, setuid, execve, ...), `code` the errno name.
export interface NativeSpawnError extends Error {
  code: string;
  errno: number;
  syscall: string;
}

export interface UserEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
  groups: number[];
}

export interface NativeAddon {
  // undefined: still running; null: not our child (ECHILD); else how it ended.
  waitpid(pid: number): WaitStatus | null | undefined;
  // A child that has exited and is still a zombie (not reaped), or 0.
  peekExited(): number;
  // True while pid is the child of a spawnAsync whose callback has not run.
  isSpawning(pid: number): boolean;
  setChildSubreaper(): boolean;
  // isatty(3) (node:tty would load node:net and node:stream).
  isatty(fd: number): boolean;
  setrlimit(resource: 'nofile' | 'nproc', soft: number, hard: number): void;
  getrlimit(resource: 'nofile' | 'nproc'): [number, number];
  lookupUser(nameOrUid: string): UserEntry | null;
  spawn(request: SpawnRequest): SpawnedChild;
  // The same on a libuv worker: several spawns wait for exec in parallel.
  spawnAsync(request: SpawnRequest, callback: (error: NativeSpawnError | null, child?: SpawnedChild) => void): void;
  // LineSplitter's inner loop (see vigil_native.c): lines of `chunk` from
  // state[0] into starts/ends from index state[1]; false when they are full.
  splitLines(chunk: Uint8Array, maxLine: number, starts: Int32Array, ends: Int32Array, state: Int32Array): boolean;
  // LineFormatter's: head + line + '\n' per line into `out` from `at`; returns the end.
  prefixLines(out: Uint8Array, at: number, head: Uint8Array, data: Uint8Array, starts: Int32Array, ends: Int32Array, count: number): number;
}

export class NativeLoadError extends VigilError {
  constructor(message: string, cause?: unknown) {
    super('ENATIVELOAD', message, { cause });
  }
}

let loaded: NativeAddon | undefined;

// Returns the addon, loading it on first use.
export function native(): NativeAddon {
  loaded ??= typeof __VIGIL_ADDON__ === 'string' ? loadEmbedded(__VIGIL_ADDON__) : loadFromBuildTree();
  return loaded;
}

function candidateDirs(): string[] {
  const dirs = [process.env.VIGIL_TMPDIR, tmpdir(), '/run', '/dev/shm', '/var/tmp', '/tmp'];
  return [...new Set(dirs.filter((d): d is string => Boolean(d)))];
}

function loadEmbedded(base64: string): NativeAddon {
  const bytes = Buffer.from(base64, 'base64');
  const failures: string[] = [];
  for (const dir of candidateDirs()) {
    // Unique, not secret: 'wx' (O_EXCL) refuses an existing name or a symlink,
    // and a sticky /tmp keeps others from swapping the file before dlopen.
    // (Not node:crypto's randomBytes: loading node:crypto cost more than the
    // rest of init mode's start-up.)
    const path = join(dir, `.vigil-native-${process.pid}-${process.hrtime.bigint().toString(36)}.node`);
    try {
      writeFileSync(path, bytes, { mode: 0o500, flag: 'wx' });
    } catch (error) {
      failures.push(`${dir}: ${(error as Error).message}`);
      continue;
    }
    try {
      return dlopen(path);
    } catch (error) {
      // Typically EPERM/"failed to map segment" on a noexec mount: try the next.
      failures.push(`${dir}: ${(error as Error).message}`);
    } finally {
      try {
        unlinkSync(path);
      } catch {
        // Already gone; nothing to clean.
      }
    }
  }
  throw new NativeLoadError(
    `cannot load vigil's native addon: no writable directory allows executable mappings ` +
      `(set VIGIL_TMPDIR to one). Tried:\n  ${failures.join('\n  ')}`,
  );
}

// Development (tsx on src/): the addon built by node-gyp in native/build.
function loadFromBuildTree(): NativeAddon {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'native/build/Release/vigil_native.node');
    if (existsSync(candidate)) return dlopen(candidate);
    dir = dirname(dir);
  }
  throw new NativeLoadError('native addon not built: run "npm run build:addon"');
}

function dlopen(path: string): NativeAddon {
  const module = { exports: {} as NativeAddon };
  process.dlopen(module, path, constants.dlopen.RTLD_NOW);
  return module.exports;
}
