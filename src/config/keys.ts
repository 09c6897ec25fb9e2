// The keys each section type knows: supervisord's own (including those vigil
// accepts but does not act on, which are therefore not warnings) plus vigil's
// extensions. Anything else earns a warning with file:line.

import { READINESS_KEYS } from './readiness.ts';

// vigil's output decoration keys: set in [supervisord], overridable per program.
export const DECORATION_KEYS = ['log_prefix', 'log_color', 'log_timestamps'] as const;

const SUPERVISORD = [
  'logfile', 'logfile_maxbytes', 'logfile_backups', 'loglevel', 'pidfile', 'umask', 'nodaemon',
  'silent', 'minfds', 'minprocs', 'nocleanup', 'childlogdir', 'user', 'directory', 'strip_ansi',
  'environment', 'identifier',
  // vigil
  'logformat', ...DECORATION_KEYS,
];

const PROGRAM = [
  'command', 'process_name', 'numprocs', 'numprocs_start', 'priority', 'autostart', 'startsecs',
  'startretries', 'autorestart', 'exitcodes', 'stopsignal', 'stopwaitsecs', 'stopasgroup',
  'killasgroup', 'user', 'redirect_stderr', 'stdout_logfile', 'stdout_logfile_maxbytes',
  'stdout_logfile_backups', 'stdout_capture_maxbytes', 'stdout_events_enabled', 'stdout_syslog',
  'stderr_logfile', 'stderr_logfile_maxbytes', 'stderr_logfile_backups', 'stderr_capture_maxbytes',
  'stderr_events_enabled', 'stderr_syslog', 'environment', 'directory', 'umask', 'serverurl',
  // vigil
  'critical', ...DECORATION_KEYS, ...READINESS_KEYS,
];

const EVENTLISTENER = [...PROGRAM, 'buffer_size', 'events', 'result_handler'];

const KNOWN: Readonly<Record<string, readonly string[]>> = {
  supervisord: SUPERVISORD,
  program: PROGRAM,
  eventlistener: EVENTLISTENER,
  group: ['programs', 'priority'],
  include: ['files'],
  unix_http_server: ['file', 'chmod', 'chown', 'username', 'password'],
  // allow_unauthenticated (vigil): serve a non-loopback port without credentials.
  inet_http_server: ['port', 'username', 'password', 'allow_unauthenticated'],
  supervisorctl: ['serverurl', 'username', 'password', 'prompt', 'history_file'],
};

export type SectionKind =
  | 'supervisord' | 'program' | 'eventlistener' | 'group' | 'include' | 'unix_http_server'
  | 'inet_http_server' | 'supervisorctl' | 'rpcinterface' | 'ctlplugin' | 'fcgi-program';

// Which kind a section name is, by supervisord's own prefix tests (which use
// startswith, so [inet_http_server_x] is an inet server too), or undefined.
export function sectionKind(name: string): SectionKind | undefined {
  if (name === 'supervisord' || name === 'include' || name === 'supervisorctl') return name;
  for (const prefix of ['program:', 'eventlistener:', 'group:', 'rpcinterface:', 'ctlplugin:', 'fcgi-program:']) {
    if (name.startsWith(prefix)) return prefix.slice(0, -1) as SectionKind;
  }
  if (name.startsWith('unix_http_server')) return 'unix_http_server';
  if (name.startsWith('inet_http_server')) return 'inet_http_server';
  return undefined;
}

// The keys a section kind knows, or undefined when it takes any key (plugins' extras).
export function knownKeys(kind: SectionKind): readonly string[] | undefined {
  return KNOWN[kind];
}

// Every key any section knows ([DEFAULT] values apply to all sections).
export function anyKnownKey(key: string): boolean {
  return Object.values(KNOWN).some((keys) => keys.includes(key));
}

// Levenshtein distance, for "did you mean" (keys are short: the quadratic table is fine).
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] as number;
}

// The known key closest to `key` (a typo: at most 2 edits, or 1 for short keys),
// or undefined when none is close enough to be a likely meaning.
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const limit = key.length <= 4 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
