// The daemon's default control socket paths: where the daemon listens and
// where `vigil ctl` looks when nothing names a socket. Shared by both programs.
import { accessSync, constants } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';

// The daemon's candidates, in order: /run (root in a container), the user's
// runtime dir, then /tmp with the uid so users do not collide.
export function defaultSocketPaths(env: NodeJS.ProcessEnv, uid: number): string[] {
  const paths = ['/run/vigil.sock'];
  const runtimeDir = env['XDG_RUNTIME_DIR'];
  if (runtimeDir !== undefined && isAbsolute(runtimeDir)) paths.push(join(runtimeDir, 'vigil.sock'));
  paths.push(`/tmp/vigil-${uid}.sock`);
  return paths;
}

// For the daemon: the first default path whose directory it may create files in.
export function pickWritableSocketPath(paths: readonly string[]): string {
  for (const path of paths) {
    try {
      accessSync(dirname(path), constants.W_OK | constants.X_OK);
      return path;
    } catch {
      // EACCES/ENOENT/EROFS: try the next candidate
    }
  }
  return paths[paths.length - 1] as string;
}
