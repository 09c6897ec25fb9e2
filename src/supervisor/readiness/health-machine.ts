// A program's health as a pure function: (state, event, policy, now) ->
// (state, effects), like the lifecycle machine. The runner (health-monitor.ts)
// performs the checks, arms one timer at `nextCheckAt` and feeds back the
// results; at most one check is in flight.
import type { HealthStatus } from '../../model/index.ts';
import type { HealthCheckConfig } from '../../config/readiness-types.ts';

export interface HealthState {
  readonly status: HealthStatus | null; // null: the program is not up, nothing is checked
  readonly failures: number; // consecutive failed checks that counted
  readonly upSince: number; // ms: when the program became RUNNING
  readonly nextCheckAt: number | null; // ms deadline of the next check
  readonly inFlight: boolean;
  readonly lastDetail: string; // what the last check said
}

export type HealthEvent =
  | { readonly type: 'up' } // the program entered RUNNING
  | { readonly type: 'down' } // it left RUNNING
  | { readonly type: 'due' } // now >= nextCheckAt
  | { readonly type: 'result'; readonly ok: boolean; readonly detail: string };

export type HealthEffect =
  | { readonly type: 'check' }
  | { readonly type: 'changed'; readonly from: HealthStatus | null; readonly to: HealthStatus | null; readonly detail: string }
  | { readonly type: 'restart' }; // healthcheck_restart: it just turned unhealthy

export const INITIAL_HEALTH: HealthState = { status: null, failures: 0, upSince: 0, nextCheckAt: null, inFlight: false, lastDetail: '' };

export function healthStep(
  state: HealthState,
  event: HealthEvent,
  policy: HealthCheckConfig,
  now: number,
): { state: HealthState; effects: HealthEffect[] } {
  const effects: HealthEffect[] = [];
  const become = (next: HealthState, detail: string): HealthState => {
    if (next.status !== state.status) effects.push({ type: 'changed', from: state.status, to: next.status, detail });
    return next;
  };
  switch (event.type) {
    case 'up':
      // The first check runs at once: a dependent waiting for `healthy`
      // should not wait a whole interval.
      return { state: become({ ...state, status: 'starting', failures: 0, upSince: now, nextCheckAt: now }, ''), effects };
    case 'down':
      return { state: become({ ...state, status: null, failures: 0, nextCheckAt: null }, 'not running'), effects };
    case 'due':
      if (state.status === null) return { state: { ...state, nextCheckAt: null }, effects };
      if (state.inFlight || state.nextCheckAt === null || now < state.nextCheckAt) return { state, effects };
      effects.push({ type: 'check' });
      return { state: { ...state, inFlight: true, nextCheckAt: null }, effects };
    case 'result': {
      // A result for a run that ended meanwhile (status null) is dropped.
      if (state.status === null) return { state: { ...state, inFlight: false }, effects };
      const nextCheckAt = nextCheckTime(now, policy.interval * 1000);
      const base = { ...state, inFlight: false, nextCheckAt, lastDetail: event.detail };
      if (event.ok) return { state: become({ ...base, status: 'healthy', failures: 0 }, event.detail), effects };
      // Failures in the start period do not count, until the first success.
      if (state.status === 'starting' && now - state.upSince < policy.start_period * 1000) return { state: base, effects };
      const failures = state.failures + 1;
      if (failures < policy.retries || state.status === 'unhealthy') return { state: { ...base, failures }, effects };
      const next = become({ ...base, status: 'unhealthy', failures }, event.detail);
      if (policy.restart) effects.push({ type: 'restart' });
      return { state: next, effects };
    }
  }
}

// When the next check starts: an interval after this result, rounded up to a
// grid of a tenth of the interval (at most 250 ms) on the wall clock. The
// checks of many programs then start in the same event-loop wake-up, and
// their spawns and exits arrive together: with 50 `cmd:` checks a second this
// halved vigil's CPU time (BENCHMARKS.md, issue 13). A check is late by less
// than a tenth of its interval.
export function nextCheckTime(now: number, intervalMs: number): number {
  const grid = Math.min(250, intervalMs / 10);
  return grid >= 1 ? Math.ceil((now + intervalMs) / grid) * grid : now + intervalMs;
}
