// How `vigil ctl` finds the server when given no -s.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigNotFoundError } from '../config/errors.ts';
import { findConfigPath } from '../config/lookup.ts';
import { defaultSocketPaths } from '../control/socket-paths.ts';
import { readCtlConfig } from './ctl-config.ts';
import type { CtlConfig } from './ctl-config.ts';

export interface ServerTarget {
  url: string; // unix:///path or http://host:port, as supervisorctl prints it
  username?: string;
  password?: string;
  // Where the URL came from, for the messages that say why it did not answer:
  // e.g. '-s', '[unix_http_server] file in /etc/vigil.conf'.
  source?: string;
  prompt?: string; // [supervisorctl] prompt, for the interactive shell
}

export interface ServerUrlOptions {
  serverUrl?: string; // -s
  configPath?: string; // -c
  username?: string; // -u
  password?: string; // -p
}

// The one place ctl depends on the config: the server URL and credentials
// from -s, else from the config file (-c, or the daemon's lookup via
// findConfigPath), else the first default socket that exists. The config is
// read with the config module's own reader (ctl-config.ts), so %(here)s,
// %(ENV_X)s and includes resolve exactly as they do for the daemon. Throws ConfigError /
// ConfigNotFoundError when -c or $VIGIL_CONFIG names a file that is missing or
// invalid (supervisorctl also refuses a bad -c); when nothing names a config
// and none is found on the search path, falls back to the default sockets.
export function resolveServerUrl(
  opts: ServerUrlOptions,
  env: NodeJS.ProcessEnv,
  cwd: string = process.cwd(),
): ServerTarget {
  const withCredentials = (target: ServerTarget): ServerTarget => ({
    ...target,
    ...((opts.username ?? target.username) !== undefined ? { username: opts.username ?? target.username } : {}),
    ...((opts.password ?? target.password) !== undefined ? { password: opts.password ?? target.password } : {}),
  });
  if (opts.serverUrl !== undefined) return withCredentials({ url: opts.serverUrl, source: 'given with -s' });
  const named = opts.configPath !== undefined || (env['VIGIL_CONFIG'] ?? '') !== '';
  const configPath = opts.configPath !== undefined ? resolve(cwd, opts.configPath) : lookupConfig(env, cwd);
  const fromConfig = configPath === undefined ? {} : serverSettings(readCtlConfig(configPath, env), configPath);
  const candidates = defaultSocketPaths(env, process.getuid?.() ?? 0);
  const existing = candidates.find((path) => existsSync(path));
  if (fromConfig.url !== undefined) {
    // A config found on the search path (Debian's /etc/supervisor/supervisord.conf
    // on a host or in an image with supervisor installed) may name a socket
    // nobody listens on while vigil runs on its default one: take vigil's
    // when the named socket does not exist and vigil's does.
    const path = fromConfig.url.startsWith('unix://') ? fromConfig.url.slice('unix://'.length) : undefined;
    if (!named && path !== undefined && existing !== undefined && !existsSync(path)) {
      return withCredentials({ ...fromConfig, url: `unix://${existing}`, source: `vigil's default socket (${fromConfig.source} names ${path}, which does not exist)` });
    }
    return withCredentials({ ...fromConfig, url: fromConfig.url });
  }
  const why = configPath === undefined ? 'no config file found' : `${configPath} names none`;
  return withCredentials({ ...fromConfig, url: `unix://${existing ?? candidates[0]}`, source: `vigil's default socket (${why})` });
}

// The daemon's lookup; undefined when no config exists on the search path.
// $VIGIL_CONFIG naming a missing file still throws, as it does for the daemon.
function lookupConfig(env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  try {
    return findConfigPath(env, cwd);
  } catch (error) {
    const named = env['VIGIL_CONFIG'] !== undefined && env['VIGIL_CONFIG'] !== '';
    if (error instanceof ConfigNotFoundError && !named) return undefined;
    throw error;
  }
}

// supervisorctl's ClientOptions: [supervisorctl] serverurl and credentials;
// without serverurl, the unix socket the daemon listens on. A config without
// [unix_http_server] leaves the daemon on its default socket (src/daemon/
// start-control.ts), so then there is nothing to take from the config but credentials.
function serverSettings(config: CtlConfig, path: string): Partial<ServerTarget> {
  const ctl = config.supervisorctl;
  const credentials = {
    prompt: ctl.prompt,
    ...(ctl.username !== null ? { username: ctl.username } : {}),
    ...(ctl.password !== null ? { password: ctl.password } : {}),
  };
  if (ctl.serverurl !== null) return { url: ctl.serverurl, source: `[supervisorctl] serverurl in ${path}`, ...credentials };
  if (config.unix_http_server !== null) return { url: `unix://${config.unix_http_server.file}`, source: `[unix_http_server] file in ${path}`, ...credentials };
  return credentials;
}
