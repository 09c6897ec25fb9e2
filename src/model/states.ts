// Process states, their codes, the state sets and the allowed transitions, as
// data. Mirrors supervisord 4.x supervisor/states.py and the _assertInState
// calls in process.py, so the runner checks every state change against one
// table. Like states.py, this module depends on nothing.

export type ProcessStateName =
  | 'STOPPED'
  | 'STARTING'
  | 'RUNNING'
  | 'BACKOFF'
  | 'STOPPING'
  | 'EXITED'
  | 'FATAL'
  | 'UNKNOWN';

// supervisord's numeric state codes (states.py ProcessStates).
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

// supervisord's own states (states.py SupervisorStates), for getState().
export type SupervisorStateName = 'FATAL' | 'RUNNING' | 'RESTARTING' | 'SHUTDOWN';

export const SUPERVISOR_STATE_CODES: Readonly<Record<SupervisorStateName, number>> = {
  FATAL: 2,
  RUNNING: 1,
  RESTARTING: 0,
  SHUTDOWN: -1,
};

// supervisord's STOPPED_STATES: a process here has no pid and may be started.
export const STOPPED_STATES: readonly ProcessStateName[] = ['STOPPED', 'EXITED', 'FATAL', 'UNKNOWN'];

// supervisord's RUNNING_STATES: `start` answers ALREADY_STARTED, `stop` is allowed.
// BACKOFF counts as running: the process is between retries.
export const RUNNING_STATES: readonly ProcessStateName[] = ['RUNNING', 'BACKOFF', 'STARTING'];

// supervisord's SIGNALLABLE_STATES: states with a live pid (supervisorctl signal).
export const SIGNALLABLE_STATES: readonly ProcessStateName[] = ['RUNNING', 'STARTING', 'STOPPING'];

// For each state, the states it is reachable from. Each entry cites the
// process.py call that asserts it; a STOPPING -> STOPPING self-transition (the
// SIGKILL after stopwaitsecs) changes nothing visible and emits no event.
export const REACHABLE_FROM: Readonly<Record<ProcessStateName, readonly ProcessStateName[]>> = {
  // spawn(): _assertInState(EXITED, FATAL, BACKOFF, STOPPED)
  STARTING: ['EXITED', 'FATAL', 'BACKOFF', 'STOPPED'],
  // transition(): STARTING -> RUNNING once up for startsecs
  RUNNING: ['STARTING'],
  // spawn() failure or finish() too quickly: _assertInState(STARTING)
  BACKOFF: ['STARTING'],
  // kill(): _assertInState(RUNNING, STARTING, STOPPING)
  STOPPING: ['RUNNING', 'STARTING', 'STOPPING'],
  // finish() while killing: _assertInState(STOPPING); kill() in BACKOFF -> STOPPED
  STOPPED: ['STOPPING', 'BACKOFF'],
  // finish() after RUNNING: _assertInState(RUNNING)
  EXITED: ['RUNNING'],
  // give_up(): _assertInState(BACKOFF)
  FATAL: ['BACKOFF'],
  // kill()/signal() failing with something other than ESRCH
  UNKNOWN: ['RUNNING', 'STARTING', 'STOPPING'],
};

// True when `from -> to` is one of supervisord's transitions.
export function isAllowedTransition(from: ProcessStateName, to: ProcessStateName): boolean {
  return REACHABLE_FROM[to].includes(from);
}

// supervisord's `state in RUNNING_STATES`.
export function isRunningState(state: ProcessStateName): boolean {
  return RUNNING_STATES.includes(state);
}

// supervisord's `state in STOPPED_STATES`.
export function isStoppedState(state: ProcessStateName): boolean {
  return STOPPED_STATES.includes(state);
}

// supervisord's `state in SIGNALLABLE_STATES`.
export function isSignallableState(state: ProcessStateName): boolean {
  return SIGNALLABLE_STATES.includes(state);
}
