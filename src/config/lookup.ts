// Finds the config file when no -c is given: $VIGIL_CONFIG, vigil's own paths,
// then supervisord's (Options.searchpaths, minus the ones relative to the
// supervisord executable, which mean nothing for vigil).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigNotFoundError } from './errors.ts';

export const DEFAULT_CONFIG_PATHS: readonly string[] = [
  'vigil.conf',
  '/etc/vigil.conf',
  'supervisord.conf',
  'etc/supervisord.conf',
  '/etc/supervisord.conf',
  '/etc/supervisor/supervisord.conf',
];

// Returns the absolute path of the config to use; throws ConfigNotFoundError naming
// every path tried. $VIGIL_CONFIG is taken as given, like -c: a typo in it must
// not silently fall through to some other file.
export function findConfigPath(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  const fromEnv = env['VIGIL_CONFIG'];
  if (fromEnv !== undefined && fromEnv !== '') {
    const path = resolve(cwd, fromEnv);
    if (existsSync(path)) return path;
    throw new ConfigNotFoundError(`$VIGIL_CONFIG names ${path}, which does not exist`, [path]);
  }
  const tried = DEFAULT_CONFIG_PATHS.map((path) => resolve(cwd, path));
  const found = tried.find((path) => existsSync(path));
  if (found !== undefined) return found;
  throw new ConfigNotFoundError(
    `no config file found; tried ${tried.join(', ')}; name one with -c FILE or $VIGIL_CONFIG`,
    tried,
  );
}
