// The resolved config: every value converted, expanded and defaulted exactly as
// supervisord 4.2.5 resolves it, read-only (deep-frozen). Field names are
// supervisord's key names, so one name means one setting in the INI file, in
// `vigil check --json` and in code. Nothing outside src/config reads raw keys.
import type { AutoRestart, LogLevel } from './converters.ts';
import type { EventName } from './events.ts';
import type { ConfigWarning, SourceLocation } from './errors.ts';
import type { LogfileTarget } from './paths.ts';
import type { ReadinessKeys } from './readiness-types.ts';

export type { AutoRestart, LogLevel, EventName, LogfileTarget, SourceLocation };
export type LogFormat = 'text' | 'json';
export type LogColor = 'auto' | 'true' | 'false';

// A `user=` resolved through /etc/passwd (supervisord keeps only the uid; the
// supplementary groups are looked up at spawn time, as supervisord's initgroups does).
export interface ResolvedUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

// vigil's output decoration, set in [supervisord] and overridable per program.
export interface OutputDecoration {
  readonly log_prefix: boolean; // prefix each line with the process name (default true)
  readonly log_color: LogColor; // colour the prefix: auto = when the stream is a TTY
  readonly log_timestamps: boolean; // prefix each line with a timestamp (default false)
}

export interface SupervisordConfig extends OutputDecoration {
  readonly logfile: string; // absolute (options.realize normalises it), or 'syslog'
  readonly logfile_maxbytes: number;
  readonly logfile_backups: number;
  readonly loglevel: LogLevel;
  readonly pidfile: string; // absolute
  readonly nodaemon: boolean;
  readonly minfds: number;
  readonly minprocs: number;
  readonly umask: number;
  readonly user: ResolvedUser | null;
  readonly directory: string | null;
  readonly childlogdir: string;
  readonly identifier: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly nocleanup: boolean;
  readonly silent: boolean;
  readonly strip_ansi: boolean;
  readonly logformat: LogFormat; // vigil: format of vigil's own log
  readonly explicit_keys: readonly string[]; // keys the config sets (vs supervisord defaults)
}

export interface UnixHttpServerConfig {
  readonly section: string;
  readonly file: string; // absolute
  readonly chmod: number; // default 0o700
  readonly chown: { readonly uid: number; readonly gid: number }; // -1 = unchanged
  readonly username: string | null;
  readonly password: string | null;
}

export interface InetHttpServerConfig {
  readonly section: string;
  readonly host: string; // '' = all interfaces
  readonly port: number;
  readonly username: string | null;
  readonly password: string | null;
  // vigil: serve a non-loopback address without credentials (default false:
  // such a listener is bound to loopback only, with a CRIT line saying why).
  readonly allow_unauthenticated: boolean;
}

export interface SupervisorctlConfig {
  readonly serverurl: string | null; // null: not set (supervisorctl defaults to http://localhost:9001)
  readonly username: string | null;
  readonly password: string | null;
  readonly prompt: string;
  readonly history_file: string | null;
}

// [rpcinterface:x] and [ctlplugin:x]: accepted and kept, not loaded (they name Python code).
export interface PluginConfig {
  readonly name: string;
  readonly factory: string;
  readonly extras: Readonly<Record<string, string>>;
}

// One process (supervisord's ProcessConfig); numprocs=N yields N of these.
// ReadinessKeys: vigil's depends_on/healthcheck/env_file/backoff keys and
// supervisord-dependent-startup's (readiness-types.ts).
export interface ProcessConfig extends OutputDecoration, ReadinessKeys {
  readonly kind: 'program' | 'eventlistener';
  readonly name: string; // process_name after expansion
  readonly group: string;
  readonly program_name: string; // the x of [program:x]
  readonly process_num: number;
  readonly command: string; // after expansion
  readonly argv: readonly string[]; // shlex.split(command); PATH lookup happens at spawn
  // Why `command` could not be split (argv is then empty): supervisord accepts
  // the config and fails this program at spawn; so does vigil. null when fine.
  readonly command_error: string | null;
  readonly priority: number;
  readonly autostart: boolean;
  readonly autorestart: AutoRestart;
  readonly startsecs: number;
  readonly startretries: number;
  readonly exitcodes: readonly number[];
  readonly stopsignal: string; // canonical name without SIG, e.g. 'TERM'
  readonly stopwaitsecs: number;
  readonly stopasgroup: boolean;
  readonly killasgroup: boolean;
  readonly user: ResolvedUser | null;
  readonly directory: string | null;
  readonly umask: number | null;
  // [supervisord] environment overlaid with the program's own (as supervisord merges
  // them in read_config); vigil's inherited environment is added at spawn.
  readonly environment: Readonly<Record<string, string>>;
  readonly redirect_stderr: boolean;
  readonly stdout_logfile: LogfileTarget;
  readonly stdout_logfile_maxbytes: number;
  readonly stdout_logfile_backups: number;
  readonly stdout_capture_maxbytes: number;
  readonly stdout_events_enabled: boolean;
  readonly stdout_syslog: boolean;
  readonly stderr_logfile: LogfileTarget; // 'none' whenever redirect_stderr is true
  readonly stderr_logfile_maxbytes: number;
  readonly stderr_logfile_backups: number;
  readonly stderr_capture_maxbytes: number;
  readonly stderr_events_enabled: boolean;
  readonly stderr_syslog: boolean;
  readonly serverurl: string | null; // null = AUTO: ResolvedConfig.serverurl at spawn
  readonly critical: boolean; // vigil: shut down and exit with its code when it ends for good
  // Keys the section sets (with [DEFAULT]'s), sorted: lets the runner tell a
  // supervisord default from an explicit choice (e.g. an unset stdout_logfile).
  readonly explicit_keys: readonly string[];
  readonly source: SourceLocation; // the section header
  readonly locations: Readonly<Record<string, SourceLocation>>; // file:line of each key set
}

export interface EventListenerPoolSettings {
  readonly buffer_size: number;
  readonly events: readonly EventName[];
  readonly result_handler: string;
}

// A process group: [group:x], or the implicit group of a [program:x] /
// [eventlistener:x] (then `eventlistener` holds the pool settings).
export interface ProcessGroupConfig {
  readonly name: string;
  readonly priority: number;
  readonly processes: readonly ProcessConfig[]; // sorted by (priority, name)
  readonly eventlistener: EventListenerPoolSettings | null;
  readonly source: SourceLocation;
}

export interface ResolvedConfig {
  readonly file: string; // absolute path of the main file
  readonly files: readonly string[]; // every file read, main first, then includes
  readonly here: string; // directory of the main file
  readonly supervisord: SupervisordConfig;
  readonly unix_http_server: UnixHttpServerConfig | null;
  readonly inet_http_server: InetHttpServerConfig | null;
  readonly supervisorctl: SupervisorctlConfig;
  // SUPERVISOR_SERVER_URL for programs without serverurl: the unix socket, else
  // the inet server, else null (ServerOptions.realize).
  readonly serverurl: string | null;
  readonly rpcinterfaces: readonly PluginConfig[];
  readonly ctlplugins: readonly PluginConfig[];
  // Sorted by (priority, name) like supervisord's process_group_configs: the
  // order groups start in (and stop in reverse).
  readonly groups: readonly ProcessGroupConfig[];
}

export interface LoadResult {
  readonly config: ResolvedConfig;
  readonly warnings: readonly ConfigWarning[];
  // What vigil does its own way, said once (e.g. the supervisor-stdout listener).
  readonly notices: readonly ConfigWarning[];
}
