// The contract between the control server (HTTP on a unix socket) and the
// supervisor. The server resolves names (`web`, `web:web_00`, `web:*`, `all`)
// against `processes()` and calls one method per process; the supervisor
// implements this interface. Field names follow supervisord's getProcessInfo so
// supervisorctl users recognise them. The vocabulary (states, faults) comes
// from the process model (src/model), which imports nothing of this layer.
import type { ConfigChanges, FaultName, HealthStatus, ProcessMetrics, ProcessStateName, ReadinessReport } from '../model/index.ts';

export type { ConfigChanges, FaultName, HealthStatus, ProcessMetrics, ProcessStateName, ReadinessReport } from '../model/index.ts';
export { PROCESS_STATE_CODES } from '../model/index.ts';


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
  stdout_logfile: string; // a path; '/dev/stdout' or '/dev/stderr' when sent to vigil's own; '' for NONE
  stderr_logfile: string;
  // vigil: the healthcheck's verdict while the program is up; null without a
  // healthcheck or while it is not running.
  health: HealthStatus | null;
}

// `waited`: a start that had to wait out startsecs, which supervisord answers
// later (a deferred result) than the ones it decides at once; supervisorctl
// lists a group's results in that order.
export type ActionResult =
  | { name: string; ok: true; waited?: boolean }
  | { name: string; ok: false; fault: FaultName; message: string };


export interface AvailableProcess {
  name: string; // group:name
  inUse: boolean; // false when removed from the config but not yet updated
  autostart: boolean;
  priority: number;
  autorestart: 'true' | 'false' | 'unexpected';
}

export type OutputChannel = 'stdout' | 'stderr';

// supervisord's SupervisorStates as getState reports them (FATAL is never
// reached by vigil: a config that does not load stops it before it serves).
export type SupervisorStateName = 'RUNNING' | 'RESTARTING' | 'SHUTDOWN';

// Random access to a log: a file, or a ring buffer when output goes to
// vigil's stdout. `size` counts every byte ever written (a ring's offsets keep
// counting after older bytes are overwritten); `read` returns what is still
// held of [offset, offset + length), length 0 meaning "to the end".
export interface LogReader {
  size(): number;
  read(offset: number, length: number): Buffer;
}

// supervisord's getAllConfigInfo struct (rpcinterface.py), one per process.
export type ConfigInfo = Record<string, string | number | boolean | number[]>;

export interface WaitOption {
  // false: answer once the start/stop is under way (supervisord's wait=False).
  wait?: boolean;
}

export interface ControlApi {
  version(): string;
  // Every process, in start order. Full name is `${group}:${name}`.
  processes(): ProcessInfo[];
  // Starts one process and resolves once it is RUNNING (after startsecs) or has
  // failed (BACKOFF/FATAL -> SPAWN_ERROR), like supervisorctl start.
  start(fullName: string, options?: WaitOption): Promise<ActionResult>;
  // Stops one process and resolves once it is STOPPED.
  // `restarting`: a start of the same name follows (restart), so stopping
  // `main` does not end the container.
  stop(fullName: string, options?: WaitOption & { restarting?: boolean }): Promise<ActionResult>;
  signal(fullName: string, signal: string): ActionResult;
  // The last `bytes` bytes of a process's recent output (ring buffer or log file).
  tail(fullName: string, channel: OutputChannel, bytes: number): Buffer | ActionResult;
  // Calls onData with each new chunk of output; returns the unsubscribe function.
  follow(fullName: string, channel: OutputChannel, onData: (chunk: Buffer) => void): (() => void) | ActionResult;
  clear(fullName: string): ActionResult;
  // Re-reads the config; throws a ConfigError (with every problem) when it does not parse.
  reread(): ConfigChanges;
  // Applies the differences (start added, stop removed, restart changed groups).
  // Rejects with ConfigError (nothing changed) or ShuttingDownError.
  update(groups?: string[]): Promise<ConfigChanges>;
  // supervisorctl reload: reads and validates the config now (throws
  // ConfigError or ShuttingDownError, nothing changed) and returns the
  // restart itself, which the caller runs once it has answered.
  reload(): () => void;
  // Graceful shutdown of the whole supervisor.
  shutdown(): void;
  // True once shutdown has begun (SIGTERM, a critical exit, ctl shutdown):
  // the one place every face asks.
  isShuttingDown(): boolean;
  avail(): AvailableProcess[];
  // vigil's readiness faces (GET /readyz, /metrics); absent: not supported.
  readiness?(): ReadinessReport;
  metrics?(): ProcessMetrics[];
  // supervisord addProcessGroup: activates a group of the config as last read
  // (startup, reread or update); its autostart programs then start.
  // Faults: BAD_NAME (not in that config), ALREADY_ADDED, SHUTDOWN_STATE.
  addGroup(name: string): ActionResult;
  // supervisord removeProcessGroup: drops a group whose processes are all
  // stopped. Faults: BAD_NAME, STILL_RUNNING.
  removeGroup(name: string): ActionResult;
  // supervisord sendProcessStdin: writes to a running process's stdin.
  // Faults: BAD_NAME, NOT_RUNNING (or stopping), NO_FILE (stdin closed).
  sendStdin(fullName: string, data: Buffer): ActionResult;
  // The last `bytes` bytes of vigil's own log (supervisord readLog / maintail).
  mainLogTail(bytes: number): Buffer;
  // Calls onData with each new chunk of vigil's own log; returns the unsubscribe function.
  followMainLog(onData: (chunk: Buffer) => void): () => void;
  // Calls `listener` after any process changed state or processes were added
  // or removed (the web page's event stream); returns the unsubscribe function.
  watch(listener: () => void): () => void;

  // --- supervisord's XML-RPC interface needs these too (src/control/xmlrpc/) ---
  supervisorState(): SupervisorStateName;
  // [supervisord] identifier (getIdentification).
  identification(): string;
  // A process's log: its log file when it has one (NO_FILE when that does not
  // exist yet), else the ring buffer of its output.
  logReader(fullName: string, channel: OutputChannel): LogReader | ActionResult;
  // vigil's own log (the ring mainLogTail reads), by offsets: readLog.
  mainLogReader(): LogReader;
  clearMainLog(): ActionResult;
  // getAllConfigInfo: every process of the config as last read.
  configInfo(): ConfigInfo[];
  // Sends a REMOTE_COMMUNICATION event to the event listeners subscribed to it.
  remoteCommunication(type: string, data: string): void;
}
