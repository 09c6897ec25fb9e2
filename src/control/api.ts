// The contract between the control server (HTTP on a unix socket) and the
// supervisor. The server resolves names (`web`, `web:web_00`, `web:*`, `all`)
// against `processes()` and calls one method per process; the supervisor
// implements this interface. Field names follow supervisord's getProcessInfo so
// supervisorctl users recognise them.

export type ProcessStateName =
  | 'STOPPED'
  | 'STARTING'
  | 'RUNNING'
  | 'BACKOFF'
  | 'STOPPING'
  | 'EXITED'
  | 'FATAL'
  | 'UNKNOWN';

// supervisord's numeric state codes (supervisor/states.py ProcessStates).
export const PROCESS_STATE_CODES: Readonly<Record<ProcessStateName, number>> = {
  STOPPED: 0,
  STARTING: 10,
  RUNNING: 20,
  BACKOFF: 30,
  STOPPING: 40,
  EXITED: 100,
  FATAL: 200,
  UNKNOWN: 1000,
};

export interface ProcessInfo {
  name: string; // process name, e.g. web_00
  group: string; // group name, e.g. web
  statename: ProcessStateName;
  state: number; // PROCESS_STATE_CODES[statename]
  pid: number; // 0 when not running
  start: number; // epoch seconds of the last start, 0 if never
  stop: number; // epoch seconds of the last stop, 0 if never
  now: number; // epoch seconds when this was produced
  exitstatus: number; // last exit code (128+N for a signal)
  spawnerr: string; // last spawn error, '' if none
  description: string; // supervisorctl's description column, e.g. 'pid 42, uptime 0:01:02'
  stdout_logfile: string; // path, '' for none/stdout
  stderr_logfile: string;
  // vigil: the healthcheck's verdict while the program is up; null without a
  // healthcheck or while it is not running.
  health: HealthStatus | null;
}

export type HealthStatus = 'healthy' | 'unhealthy' | 'starting';

// GET /readyz: what is not up that should be (see supervisor/readiness/report.ts).
export interface ReadinessReport {
  ready: boolean;
  notReady: Array<{ name: string; state: ProcessStateName; reason: string }>;
}

// GET /metrics: one process's figures.
export interface ProcessMetrics {
  group: string;
  name: string;
  state: ProcessStateName;
  startTime: number; // epoch seconds of the last start, 0 if never
  exitStatus: number;
  restarts: number; // starts after the first
  healthy: boolean | null; // null: no healthcheck
}

// supervisord's xmlrpc fault names, as supervisorctl prints them.
export type FaultName =
  | 'BAD_NAME'
  | 'BAD_ARGUMENTS'
  | 'BAD_SIGNAL'
  | 'NOT_RUNNING'
  | 'ALREADY_STARTED'
  | 'SPAWN_ERROR'
  | 'ABNORMAL_TERMINATION'
  | 'NO_FILE'
  | 'FAILED'
  | 'SHUTDOWN_STATE'
  | 'STILL_RUNNING'
  | 'CANT_REREAD';

export type ActionResult =
  | { name: string; ok: true }
  | { name: string; ok: false; fault: FaultName; message: string };

export interface ConfigChanges {
  added: string[]; // group names
  changed: string[];
  removed: string[];
}

export interface AvailableProcess {
  name: string; // group:name
  inUse: boolean; // false when removed from the config but not yet updated
  autostart: boolean;
  priority: number;
  autorestart: 'true' | 'false' | 'unexpected';
}

export type OutputChannel = 'stdout' | 'stderr';

export interface ControlApi {
  version(): string;
  // Every process, in start order. Full name is `${group}:${name}`.
  processes(): ProcessInfo[];
  // Starts one process and resolves once it is RUNNING (after startsecs) or has
  // failed (BACKOFF/FATAL -> SPAWN_ERROR), like supervisorctl start.
  start(fullName: string): Promise<ActionResult>;
  // Stops one process and resolves once it is STOPPED.
  stop(fullName: string): Promise<ActionResult>;
  signal(fullName: string, signal: string): ActionResult;
  // The last `bytes` bytes of a process's recent output (ring buffer or log file).
  tail(fullName: string, channel: OutputChannel, bytes: number): Buffer | ActionResult;
  // Calls onData with each new chunk of output; returns the unsubscribe function.
  follow(fullName: string, channel: OutputChannel, onData: (chunk: Buffer) => void): (() => void) | ActionResult;
  clear(fullName: string): ActionResult;
  // Re-reads the config; throws a ConfigError (with every problem) when it does not parse.
  reread(): ConfigChanges;
  // Applies the differences (start added, stop removed, restart changed groups).
  update(groups?: string[]): Promise<ConfigChanges>;
  // Stops everything, re-reads the config and starts again (supervisorctl reload).
  reload(): void;
  // Graceful shutdown of the whole supervisor.
  shutdown(): void;
  avail(): AvailableProcess[];
  // vigil's readiness faces (GET /readyz, /metrics); absent: not supported.
  readiness?(): ReadinessReport;
  metrics?(): ProcessMetrics[];
}
