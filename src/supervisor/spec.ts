// What the supervisor needs to run one process: resolved once from the config
// (see from-config.ts), read-only afterwards.
import type { Destination } from '../output/index.ts';
import type { Decorate } from '../output/prefix.ts';
import type { Dependency, HealthCheckConfig } from '../config/readiness-types.ts';
import type { ProcessPolicy } from './machine.ts';

export interface ProcessSpec {
  readonly name: string; // process name, e.g. web_00
  readonly group: string;
  readonly kind: 'program' | 'eventlistener' | 'main';
  readonly command: string; // as written, after expansion (for messages)
  readonly argv: readonly string[]; // shlex-split command
  readonly priority: number;
  readonly autostart: boolean;
  readonly policy: ProcessPolicy;
  readonly user: string | null; // the program's user=, else [supervisord] user=
  // supervisord's spawn error when this process can never be spawned (a
  // command that cannot be split, a user= that [supervisord] user= forbids).
  readonly spawnRefusal: string | null;
  readonly stripAnsi: boolean; // [supervisord] strip_ansi
  // stdout_events_enabled / stderr_events_enabled: PROCESS_LOG_* events per read.
  readonly logEvents: { readonly stdout: boolean; readonly stderr: boolean };
  readonly directory: string | null;
  readonly umask: number | null;
  readonly environment: Readonly<Record<string, string>>; // the program's own variables
  readonly redirectStderr: boolean;
  readonly stdout: Destination;
  readonly stderr: Destination;
  readonly stdoutLogfile: string; // for ctl status/tail: a path or ''
  readonly stderrLogfile: string;
  readonly decorate: Decorate;
  readonly critical: boolean;
  readonly serverUrl: string | null; // SUPERVISOR_SERVER_URL
  readonly listener: { readonly events: readonly string[]; readonly bufferSize: number } | null;
  readonly readiness: ReadinessSpec;
  // Compared on reload: two specs with the same fingerprint are the same program.
  readonly fingerprint: string;
}

// What start gating and health checking need (supervisor/readiness/).
export interface ReadinessSpec {
  readonly dependencies: readonly Dependency[]; // depends_on + dependent_startup_wait_for
  readonly dependentStartup: boolean; // started by vigil once its dependencies hold
  readonly healthcheck: HealthCheckConfig | null;
}

export const NO_READINESS: ReadinessSpec = { dependencies: [], dependentStartup: false, healthcheck: null };

export function fullName(spec: Pick<ProcessSpec, 'group' | 'name'>): string {
  return `${spec.group}:${spec.name}`;
}
