// Shared fixtures for the state-machine tests: a policy, states built from a
// few fields, and a `step` that checks every state change against the
// REACHABLE_FROM table before returning.
import assert from 'node:assert/strict';
import type { Effect, ProcessEvent, ProcessMachineState, ProcessPolicy, TransitionResult } from '../../../src/supervisor/machine.ts';
import { initialProcessState, transition } from '../../../src/supervisor/machine.ts';
import { isAllowedTransition } from '../../../src/model/index.ts';

export const T0 = 1_000_000; // an arbitrary `now` in ms

export function policy(overrides: Partial<ProcessPolicy> = {}): ProcessPolicy {
  return {
    processName: 'web',
    startsecs: 1,
    startretries: 3,
    autorestart: 'unexpected',
    exitcodes: [0],
    stopsignal: 'TERM',
    stopwaitsecs: 10,
    stopasgroup: false,
    killasgroup: false,
    ...overrides,
  };
}

export function state(overrides: Partial<ProcessMachineState> = {}): ProcessMachineState {
  return { ...initialProcessState(), ...overrides };
}

// A process that has been RUNNING since T0 with pid 42.
export function running(overrides: Partial<ProcessMachineState> = {}): ProcessMachineState {
  return state({ name: 'RUNNING', pid: 42, startedAt: T0, ...overrides });
}

export function step(
  from: ProcessMachineState,
  event: ProcessEvent,
  processPolicy: ProcessPolicy = policy(),
  now: number = T0,
): TransitionResult {
  const result = transition(from, event, processPolicy, now);
  for (const effect of result.effects) {
    if (effect.type === 'stateChange') {
      assert.ok(isAllowedTransition(effect.from, effect.to), `${effect.from} -> ${effect.to} is not a supervisord transition`);
      assert.notEqual(effect.from, effect.to, 'a self-transition must not emit a stateChange');
    }
  }
  return result;
}

export function changes(effects: readonly Effect[]): string[] {
  return effects.flatMap((effect) => (effect.type === 'stateChange' ? [`${effect.from}->${effect.to}`] : []));
}

export function logs(effects: readonly Effect[]): string[] {
  return effects.flatMap((effect) => (effect.type === 'log' ? [`${effect.level}: ${effect.message}`] : []));
}

// Effects other than logs and state changes: what the runner must do.
export function actions(effects: readonly Effect[]): Effect[] {
  return effects.filter((effect) => effect.type !== 'log' && effect.type !== 'stateChange');
}
