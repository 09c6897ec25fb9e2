// The program lifecycle of supervisord 4.x (supervisor/process.py Subprocess)
// as a pure function: (state, event, policy, now) -> (next state, effects).
// No timers, I/O or clocks here: the runner performs the effects, arms one
// timer at `state.timer`, and feeds back what happened. Two deliberate
// differences from supervisord, both about latency, not semantics:
// - a RUNNING program that exits and must be restarted goes EXITED -> STARTING
//   in the same call (supervisord waits for its next 1-second tick);
// - time-based steps (startsecs, backoff delay, stopwaitsecs) happen when the
//   runner sends `timer` at the deadline instead of being polled.
import type { ProcessStateName } from '../model/index.ts';
import type { LogLevelName } from '../log/logger.ts';
import type { Effect, MachineFault, ProcessEvent, ProcessMachineState, ProcessPolicy } from './machine-types.ts';
import type { Rejection, TransitionResult } from './machine-types.ts';
import { backoffDelaySeconds } from './machine-types.ts';
import { outputDetail, processMessages as say, spawnErrors } from './messages.ts';
import type { LastOutput } from './messages.ts';
import {
  exitCodeOf,
  exitDescription,
  isExpectedExit,
  normalSignalName,
  supervisordExitStatus,
} from '../model/index.ts';
import type { ExitStatus } from '../model/index.ts';
import { isRunningState, isSignallableState } from '../model/index.ts';

export type { Effect, MachineFault, ProcessEvent, ProcessMachineState, ProcessPolicy } from './machine-types.ts';
export type { Rejection, TransitionResult } from './machine-types.ts';
export { initialProcessState } from './machine-types.ts';

// Mutable scratch for one call; callers only see the returned result.
interface Step {
  state: ProcessMachineState;
  effects: Effect[];
  readonly policy: ProcessPolicy;
  readonly now: number;
}

// One step of the lifecycle; an event that does not apply is rejected or
// logged at debug, never thrown; a rejection leaves the state as it was
// (except signalFailed, which also enters UNKNOWN like supervisord).
export function transition(
  state: ProcessMachineState,
  event: ProcessEvent,
  policy: ProcessPolicy,
  now: number,
): TransitionResult {
  const step: Step = { state, effects: [], policy, now };
  const rejected = apply(step, event);
  return { state: step.state, effects: step.effects, rejected };
}

function apply(step: Step, event: ProcessEvent): Rejection | null {
  switch (event.type) {
    case 'start':
      return onStart(step);
    case 'stop':
      return onStop(step);
    case 'shutdown':
      step.state = { ...step.state, shuttingDown: true };
      return null;
    case 'spawned':
      return onSpawned(step, event.pid);
    case 'spawnFailed':
      return onSpawnFailed(step, event.message);
    case 'exited':
      return onExited(step, { code: event.code, signal: event.signal }, event.output);
    case 'timer':
      return onTimer(step);
    case 'signal':
      return onSignal(step, event.signal);
    case 'signalFailed':
      return onSignalFailed(step, event.intent, event.detail);
  }
}

function log(step: Step, level: LogLevelName, message: string): void {
  step.effects.push({ type: 'log', level, message });
}

function reject(fault: MachineFault, message: string): Rejection {
  return { fault, message };
}

// process.py change_state(): entering BACKOFF counts a failure and sets the
// retry delay to `backoff` seconds; the event payload sees the new count.
function changeState(step: Step, to: ProcessStateName, expected = true): void {
  const from = step.state.name;
  if (from === to) return; // STOPPING -> STOPPING (SIGKILL): no event, as supervisord
  let next: ProcessMachineState = { ...step.state, name: to };
  if (to === 'BACKOFF') {
    const backoff = next.backoff + 1;
    next = { ...next, backoff, timer: step.now + backoffDelaySeconds(step.policy, backoff) * 1000 };
  }
  step.state = next;
  step.effects.push({ type: 'stateChange', from, to, expected, pid: next.pid, tries: next.backoff });
}

// process.py spawn(), up to the fork: the runner does the rest and answers
// with `spawned` or `spawnFailed`.
function spawn(step: Step): void {
  step.state = {
    ...step.state,
    killing: false,
    spawnError: null,
    exitstatus: null,
    administrativeStop: false,
    startedAt: step.now,
    timer: null,
  };
  changeState(step, 'STARTING');
  step.effects.push({ type: 'spawn' });
}

// rpcinterface.startProcess(): faults first, then spawn.
function onStart(step: Step): Rejection | null {
  const { state, policy } = step;
  if (state.shuttingDown) return reject('SHUTDOWN_STATE', policy.processName);
  if (isRunningState(state.name)) return reject('ALREADY_STARTED', policy.processName);
  if (state.name === 'UNKNOWN') return reject('FAILED', say.unknownState(policy.processName));
  if (state.pid !== 0) {
    // STOPPING: spawn() refuses while the old child lives
    log(step, 'warn', say.alreadyRunning(policy.processName));
    return reject('ALREADY_STARTED', policy.processName);
  }
  // STOPPED/EXITED/FATAL -> STARTING
  spawn(step);
  return null;
}

// rpcinterface.stopProcess() + process.py stop()/kill(); during shutdown a
// BACKOFF process gives up instead, as ProcessGroupBase.stop_all() does.
function onStop(step: Step): Rejection | null {
  const { state, policy } = step;
  if (state.shuttingDown && state.name === 'BACKOFF') {
    // BACKOFF -> FATAL (stop_all's give_up(); it logs nothing)
    giveUp(step);
    return null;
  }
  if (!isRunningState(state.name)) return reject('NOT_RUNNING', policy.processName);
  step.state = { ...state, administrativeStop: true };
  return kill(step, normalSignalName(policy.stopsignal) ?? policy.stopsignal);
}

// process.py kill(): the stop signal, or SIGKILL once stopwaitsecs ran out.
function kill(step: Step, signal: string): Rejection | null {
  const { state, policy, now } = step;
  if (state.name === 'BACKOFF') {
    // BACKOFF -> STOPPED: don't make a stop wait for the remaining retries
    log(step, 'debug', say.killInBackoff(policy.processName));
    step.state = { ...state, timer: null };
    changeState(step, 'STOPPED');
    return null;
  }
  if (state.pid === 0) {
    // STARTING before the runner reported the pid
    const message = say.killNotRunning(policy.processName, signal);
    log(step, 'debug', message);
    return reject('FAILED', message);
  }
  // Already STOPPING means the stop signal went out: this is the SIGKILL.
  const toGroup = state.name === 'STOPPING' ? policy.killasgroup : policy.stopasgroup;
  log(step, 'debug', say.killing(policy.processName, state.pid, toGroup, signal));
  // RUNNING/STARTING/STOPPING -> STOPPING
  step.state = { ...state, killing: true, timer: now + policy.stopwaitsecs * 1000 };
  changeState(step, 'STOPPING');
  step.effects.push({ type: 'kill', signal, toGroup });
  return null;
}

// process.py give_up(): BACKOFF -> FATAL, counters cleared.
function giveUp(step: Step): void {
  step.state = { ...step.state, timer: null, backoff: 0 };
  changeState(step, 'FATAL');
}

// process.py _spawn_as_parent(), then transition()'s STARTING -> RUNNING
// right away when startsecs is 0.
function onSpawned(step: Step, pid: number): Rejection | null {
  const { state, policy } = step;
  if (state.name !== 'STARTING' || state.pid !== 0) {
    log(step, 'warn', `${policy.processName}: ignoring spawned pid ${pid} in state ${state.name}`);
    return null;
  }
  log(step, 'info', say.spawned(policy.processName, pid));
  const deadline = state.startedAt + policy.startsecs * 1000;
  step.state = { ...state, pid, spawnError: null, timer: deadline };
  if (policy.startsecs <= 0) enterRunning(step);
  return null;
}

// STARTING -> RUNNING: the process stayed up for startsecs.
function enterRunning(step: Step): void {
  step.state = { ...step.state, timer: null, backoff: 0 };
  changeState(step, 'RUNNING');
  log(step, 'info', say.success(step.policy.processName, step.policy.startsecs));
}

// process.py spawn() failing before the child runs (command not found, fork
// error): STARTING -> BACKOFF with spawnerr, maybe straight on to FATAL.
function onSpawnFailed(step: Step, message: string): Rejection | null {
  const { state, policy } = step;
  if (state.name !== 'STARTING' || state.pid !== 0) {
    log(step, 'debug', `${policy.processName}: ignoring spawn failure in state ${state.name}: ${message}`);
    return null;
  }
  step.state = { ...state, spawnError: message };
  log(step, 'info', say.spawnerr(message));
  // STARTING -> BACKOFF
  changeState(step, 'BACKOFF');
  giveUpWhenSpent(step);
  return null;
}

// BACKOFF -> FATAL at once when the retries are spent (supervisord does this
// on its next tick; listeners still see both the BACKOFF and the FATAL event).
function giveUpWhenSpent(step: Step, why?: string): void {
  if (step.state.backoff > step.policy.startretries) {
    giveUp(step);
    log(step, 'info', why === undefined ? say.gaveUp(step.policy.processName) : `${say.gaveUp(step.policy.processName)}; last: ${why}`);
  } else if (step.state.shuttingDown) {
    step.state = { ...step.state, timer: null }; // no retries once shutting down
  }
}

// supervisord's line, then the child's last output when there is any (after
// the closing parenthesis, so patterns written for supervisord still match).
function withDetail(message: string, output: LastOutput | undefined): string {
  const detail = outputDetail(output);
  return detail === '' ? message : `${message}; ${detail}`;
}

// process.py finish(): the child was reaped.
function onExited(step: Step, exit: ExitStatus, output?: LastOutput): Rejection | null {
  const { state, policy, now } = step;
  if (state.pid !== 0 && state.name === 'UNKNOWN') {
    // after a failed kill(2) supervisord would trip an assertion here; keep
    // UNKNOWN (nothing leads out of it) but forget the dead pid
    step.state = { ...state, pid: 0, stoppedAt: now, lastExit: exit, exitstatus: exitCodeOf(exit) };
    log(step, 'warn', say.exited(policy.processName, exit, isExpectedExit(exit, policy.exitcodes)));
    return null;
  }
  if (state.pid === 0 || !isSignallableState(state.name)) {
    log(step, 'debug', `${policy.processName}: ignoring exit (${exitDescription(exit)}) in state ${state.name}`);
    return null;
  }
  const tooQuickly = now - state.startedAt < policy.startsecs * 1000;
  const expected = isExpectedExit(exit, policy.exitcodes);
  step.state = { ...state, stoppedAt: now, lastExit: exit };

  if (state.killing) {
    // STOPPING -> STOPPED: the result of a stop request
    step.state = { ...step.state, killing: false, timer: null, exitstatus: exitCodeOf(exit) };
    changeState(step, 'STOPPED');
    log(step, expected ? 'info' : 'warn', say.stopped(policy.processName, exit));
  } else if (tooQuickly && state.name === 'STARTING') {
    // STARTING -> BACKOFF: died before startsecs, whatever the exit code
    const spawnError = output === undefined ? spawnErrors.exitedTooQuickly : spawnErrors.exitedTooQuicklyWith(exit, output);
    step.state = { ...step.state, exitstatus: null, spawnError };
    changeState(step, 'BACKOFF');
    log(step, 'warn', withDetail(say.exited(policy.processName, exit, false), output));
    giveUpWhenSpent(step, output === undefined ? undefined : spawnError);
  } else {
    // RUNNING -> EXITED; a late startsecs timer means STARTING -> RUNNING first
    step.state = { ...step.state, timer: null, backoff: 0, exitstatus: exitCodeOf(exit) };
    if (step.state.name === 'STARTING') changeState(step, 'RUNNING');
    if (!expected) {
      step.state = { ...step.state, spawnError: spawnErrors.badExitCode(supervisordExitStatus(exit)) };
    }
    changeState(step, 'EXITED', expected);
    const message = say.exited(policy.processName, exit, expected);
    log(step, expected ? 'info' : 'warn', expected ? message : withDetail(message, output));
  }
  step.state = { ...step.state, pid: 0 };

  if (step.state.name === 'EXITED' && shouldRestart(step.state, policy, expected)) {
    // EXITED -> STARTING, immediately (supervisord: on its next tick)
    spawn(step);
  }
  return null;
}

// process.py transition()'s EXITED branch: autorestart true, or unexpected
// and the code is not in exitcodes; never while shutting down.
function shouldRestart(state: ProcessMachineState, policy: ProcessPolicy, expected: boolean): boolean {
  if (state.shuttingDown) return false;
  if (policy.autorestart === 'true') return true;
  return policy.autorestart === 'unexpected' && !expected;
}

// process.py transition()'s time-based branches.
function onTimer(step: Step): Rejection | null {
  const { state, policy, now } = step;
  if (state.timer === null || now < state.timer) return null; // early or stale wake-up
  switch (state.name) {
    case 'STARTING':
      // STARTING -> RUNNING (startsecs elapsed)
      if (state.pid !== 0) enterRunning(step);
      return null;
    case 'BACKOFF':
      if (state.shuttingDown) {
        step.state = { ...state, timer: null };
      } else {
        // BACKOFF -> STARTING (retry after `backoff` seconds)
        spawn(step);
      }
      return null;
    case 'STOPPING':
      // STOPPING -> STOPPING: stopwaitsecs ran out, SIGKILL (again every stopwaitsecs)
      log(step, 'warn', say.killingWithSigkill(policy.processName, state.pid));
      return kill(step, 'SIGKILL');
    default:
      step.state = { ...state, timer: null }; // no deadline belongs to this state
      return null;
  }
}

// process.py signal(): a signal that is not meant to stop the process.
function onSignal(step: Step, signal: string): Rejection | null {
  const { state, policy } = step;
  const name = normalSignalName(signal) ?? signal;
  if (state.pid === 0 || !isSignallableState(state.name)) {
    log(step, 'debug', say.signalNotRunning(policy.processName, name));
    return reject('NOT_RUNNING', policy.processName);
  }
  log(step, 'debug', say.sending(policy.processName, state.pid, name));
  step.effects.push({ type: 'signal', signal: name });
  return null;
}

// process.py kill()/signal() `except:` branch: RUNNING/STARTING/STOPPING -> UNKNOWN.
function onSignalFailed(step: Step, intent: 'kill' | 'signal', detail: string): Rejection | null {
  const { state, policy } = step;
  if (!isSignallableState(state.name)) return null;
  const message =
    intent === 'kill'
      ? say.killProblem(policy.processName, state.pid, detail)
      : say.signalProblem(policy.processName, state.pid, detail);
  log(step, 'critical', message);
  if (intent === 'kill') step.state = { ...state, killing: false, timer: null };
  changeState(step, 'UNKNOWN');
  return reject('FAILED', message);
}
