// The types of the process state machine (machine.ts): its policy (resolved
// config keys), its state (supervisord's Subprocess fields), the events the
// runner feeds in and the effects it must carry out.
import type { FaultName, ProcessStateName } from '../model/index.ts';
import type { LogLevelName } from '../log/logger.ts';
import type { ExitStatus } from '../model/index.ts';
import type { LastOutput } from './messages.ts';

// The resolved config keys the lifecycle depends on.
export interface ProcessPolicy {
  readonly processName: string;
  readonly startsecs: number; // seconds
  readonly startretries: number;
  readonly autorestart: 'true' | 'false' | 'unexpected';
  readonly exitcodes: readonly number[];
  readonly stopsignal: string; // 'TERM'
  readonly stopwaitsecs: number; // seconds
  readonly stopasgroup: boolean;
  readonly killasgroup: boolean;
  // vigil: backoff=exponential doubles the delay (1, 2, 4 ... s) up to backoffMax;
  // absent or linear: supervisord's 1, 2, 3 ... s.
  readonly backoff?: 'linear' | 'exponential';
  readonly backoffMax?: number; // seconds
}

// Seconds to wait before the retry after the `failures`-th failed start.
export function backoffDelaySeconds(policy: ProcessPolicy, failures: number): number {
  if (policy.backoff !== 'exponential') return failures;
  return Math.min(2 ** Math.max(0, failures - 1), policy.backoffMax ?? 60);
}

// Everything supervisord keeps on a Subprocess that decisions depend on.
export interface ProcessMachineState {
  readonly name: ProcessStateName;
  readonly pid: number; // 0 when no child is alive
  readonly backoff: number; // failed starts in a row (supervisord `backoff`)
  readonly startedAt: number; // ms of the last start request, 0 if never (`laststart`)
  readonly stoppedAt: number; // ms of the last exit, 0 if never (`laststop`)
  readonly lastExit: ExitStatus | null;
  readonly exitstatus: number | null; // exitCodeOf(lastExit) once RUNNING ended; null as supervisord's None
  readonly spawnError: string | null; // supervisord `spawnerr`
  // supervisord's `delay`: the ms deadline of the next time-based step
  // (STARTING: startsecs elapsed; BACKOFF: retry; STOPPING: SIGKILL), or null.
  readonly timer: number | null;
  readonly killing: boolean; // a stop/kill signal was sent; the next exit means STOPPED
  readonly administrativeStop: boolean; // the last stop was requested (reset by a spawn)
  readonly shuttingDown: boolean; // supervisor is shutting down: never spawn again
}

export type ProcessEvent =
  | { readonly type: 'start' } // user start or autostart
  | { readonly type: 'stop' } // user stop, or shutdown's stop of this priority level
  | { readonly type: 'shutdown' } // supervisord's mood -> SHUTDOWN; sent to every process first
  | { readonly type: 'spawned'; readonly pid: number }
  | { readonly type: 'spawnFailed'; readonly message: string } // use spawnErrors texts
  // `output`: the child's last lines, when the runner collected them (they go
  // into the exit's log line and the "Exited too quickly" spawnerr).
  | { readonly type: 'exited'; readonly code: number | null; readonly signal: number | null; readonly output?: LastOutput }
  | { readonly type: 'timer' } // now >= state.timer
  | { readonly type: 'signal'; readonly signal: string } // supervisorctl signal
  // kill(2) failed with something other than ESRCH (ESRCH: wait for the exit instead)
  | { readonly type: 'signalFailed'; readonly intent: 'kill' | 'signal'; readonly detail: string };

export type Effect =
  | { readonly type: 'spawn' }
  // toGroup: signal -pid (stopasgroup for the stop signal, killasgroup for SIGKILL)
  | { readonly type: 'kill'; readonly signal: string; readonly toGroup: boolean }
  | { readonly type: 'signal'; readonly signal: string } // to the pid only
  // Everything a PROCESS_STATE_* event payload needs, captured at change time.
  | {
      readonly type: 'stateChange';
      readonly from: ProcessStateName;
      readonly to: ProcessStateName;
      readonly expected: boolean;
      readonly pid: number;
      readonly tries: number;
    }
  | { readonly type: 'log'; readonly level: LogLevelName; readonly message: string };

export type MachineFault = Extract<FaultName, 'ALREADY_STARTED' | 'NOT_RUNNING' | 'FAILED' | 'SHUTDOWN_STATE'>;

// Why an event was refused; the control layer turns it into supervisord's fault.
export interface Rejection {
  readonly fault: MachineFault;
  readonly message: string;
}

export interface TransitionResult {
  readonly state: ProcessMachineState;
  readonly effects: readonly Effect[];
  readonly rejected: Rejection | null;
}

// A never-started process: STOPPED with laststart 0 (autostart applies).
export function initialProcessState(): ProcessMachineState {
  return {
    name: 'STOPPED',
    pid: 0,
    backoff: 0,
    startedAt: 0,
    stoppedAt: 0,
    lastExit: null,
    exitstatus: null,
    spawnError: null,
    timer: null,
    killing: false,
    administrativeStop: false,
    shuttingDown: false,
  };
}
