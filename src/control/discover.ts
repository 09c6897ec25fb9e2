// Where the control socket is: the daemon's default paths, and how `vigil ctl`
// finds the server when given no -s.
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
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

export interface ServerTarget {
  url: string; // unix:///path or http://host:port, as supervisorctl prints it
  username?: string;
  password?: string;
}

export interface ServerUrlOptions {
  serverUrl?: string; // -s
  configPath?: string; // -c
  username?: string; // -u
  password?: string; // -p
}

// The one place ctl depends on the config: the server URL and credentials
// from -s, else from the config file (-c, or the daemon's lookup), else the
// first default socket that exists.
// TODO(lead): when src/config/lookup.ts (findConfigPath) and loadConfig land,
// replace findConfig/readServerSettings below with them so ctl and the daemon
// read the config the same way (%(here)s expansion, includes).
export function resolveServerUrl(opts: ServerUrlOptions, env: NodeJS.ProcessEnv): ServerTarget {
  const withCredentials = (target: ServerTarget): ServerTarget => ({
    url: target.url,
    ...((opts.username ?? target.username) !== undefined ? { username: opts.username ?? target.username } : {}),
    ...((opts.password ?? target.password) !== undefined ? { password: opts.password ?? target.password } : {}),
  });
  if (opts.serverUrl !== undefined) return withCredentials({ url: opts.serverUrl });
  const configPath = opts.configPath ?? findConfig(env);
  const fromConfig = configPath === undefined ? undefined : readServerSettings(configPath);
  if (fromConfig) return withCredentials(fromConfig);
  const candidates = defaultSocketPaths(env, process.getuid?.() ?? 0);
  const found = candidates.find((path) => existsSync(path)) ?? candidates[0];
  return withCredentials({ url: `unix://${found}` });
}

// Interim copy of the daemon's lookup order (see `vigil --help`).
function findConfig(env: NodeJS.ProcessEnv): string | undefined {
  const explicit = env['VIGIL_CONFIG'];
  if (explicit) return explicit;
  const candidates = [
    'vigil.conf',
    '/etc/vigil.conf',
    'supervisord.conf',
    'etc/supervisord.conf',
    '/etc/supervisord.conf',
    '/etc/supervisor/supervisord.conf',
  ];
  return candidates.find((path) => existsSync(path));
}

// Interim reader of the three settings ctl needs: [supervisorctl] serverurl,
// username, password, else [unix_http_server] file.
function readServerSettings(path: string): ServerTarget | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s[;#].*$/, '').trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      current = new Map();
      sections.set((header[1] as string).trim(), current);
      continue;
    }
    const eq = line.search(/[=:]/);
    if (current && eq > 0) current.set(line.slice(0, eq).trim().toLowerCase(), line.slice(eq + 1).trim());
  }
  const ctl = sections.get('supervisorctl');
  const file = sections.get('unix_http_server')?.get('file');
  const here = dirname(path);
  const url = ctl?.get('serverurl') ?? (file !== undefined ? `unix://${file.replace(/%\(here\)s/g, here)}` : undefined);
  if (url === undefined) return undefined;
  const username = ctl?.get('username');
  const password = ctl?.get('password');
  return { url, ...(username !== undefined ? { username } : {}), ...(password !== undefined ? { password } : {}) };
}
