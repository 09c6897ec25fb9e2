// Resolves [supervisord] as ServerOptions.read_config + realize do. Its values may
// use only %(here)s and %(ENV_X)s (supervisord passes no other names here).
import {
  boolean, byteSize, integer, loggingLevel, octal, oneOf,
} from './converters.ts';
import type { Expansions } from './expand.ts';
import { existingDirectory, existingDirpath, normalizePath, tempDirectory } from './paths.ts';
import type { LogColor, LogFormat, OutputDecoration, ResolvedUser, SupervisordConfig } from './types.ts';
import { lookupUser } from './users.ts';
import type { SectionReader } from './values.ts';

export const logColor = oneOf<LogColor>(['auto', 'true', 'false']);
const logFormat = oneOf<LogFormat>(['text', 'json']);

// Reads log_prefix, log_color and log_timestamps, defaulting to `inherited`.
export function readDecoration(
  reader: SectionReader,
  names: Expansions,
  inherited: OutputDecoration,
): OutputDecoration {
  return {
    log_prefix: reader.get('log_prefix', inherited.log_prefix, boolean, { names }) ?? inherited.log_prefix,
    log_color: reader.get('log_color', inherited.log_color, logColor, { names }) ?? inherited.log_color,
    log_timestamps:
      reader.get('log_timestamps', inherited.log_timestamps, boolean, { names }) ?? inherited.log_timestamps,
  };
}

const DEFAULT_DECORATION: OutputDecoration = { log_prefix: true, log_color: 'auto', log_timestamps: false };

export function resolveUser(reader: SectionReader, key: string, text: string | null | undefined): ResolvedUser | null {
  if (text === null || text === undefined) return null;
  const entry = reader.convert(key, text, (value) => lookupUser(value));
  return entry === undefined ? null : { name: entry.name, uid: entry.uid, gid: entry.gid };
}

// `names` holds here and the ENV_ names of vigil's environment.
export function resolveSupervisord(
  reader: SectionReader,
  names: Expansions,
  hostNodeName: string,
  env: NodeJS.ProcessEnv,
): SupervisordConfig {
  const options = { names };
  const get = <T>(key: string, fallback: T, convert: (text: string) => T): T =>
    reader.get(key, fallback, convert, options) ?? fallback;
  const directoryText = reader.text('directory', null, options);
  const logfile = get('logfile', 'supervisord.log', existingDirpath(env));
  // environment is expanded twice: once by saneget, once more in read_config,
  // which adds host_node_name to the names on the second pass.
  const environmentText = reader.text('environment', '', { names, again: { ...names, host_node_name: hostNodeName } });
  const environment =
    typeof environmentText === 'string' ? (reader.environment('environment', environmentText) ?? {}) : {};
  return {
    minfds: get('minfds', 1024, integer),
    minprocs: get('minprocs', 200, integer),
    directory: directoryText === null || directoryText === undefined
      ? null
      : (reader.convert('directory', directoryText, existingDirectory(env)) ?? null),
    user: resolveUser(reader, 'user', reader.text('user', null, options)),
    umask: get('umask', 0o022, octal),
    logfile: logfile === 'syslog' ? logfile : normalizePath(logfile, env),
    logfile_maxbytes: get('logfile_maxbytes', 50 * 1024 * 1024, byteSize),
    logfile_backups: get('logfile_backups', 10, integer),
    loglevel: get('loglevel', 'info', loggingLevel),
    pidfile: normalizePath(get('pidfile', 'supervisord.pid', existingDirpath(env)), env),
    identifier: get('identifier', 'supervisor', String),
    nodaemon: get('nodaemon', false, boolean),
    silent: get('silent', false, boolean),
    childlogdir: get('childlogdir', tempDirectory(env), existingDirectory(env)),
    nocleanup: get('nocleanup', false, boolean),
    strip_ansi: get('strip_ansi', false, boolean),
    environment,
    logformat: get('logformat', 'text', logFormat),
    ...readDecoration(reader, names, DEFAULT_DECORATION),
    explicit_keys: reader.explicitKeys(),
  };
}
