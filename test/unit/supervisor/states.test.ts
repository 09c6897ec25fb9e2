// The state sets and transition table against supervisor/states.py and the
// _assertInState calls of process.py.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProcessStateName } from '../../../src/control/api.ts';
import { PROCESS_STATE_CODES } from '../../../src/control/api.ts';
import {
  isAllowedTransition,
  isRunningState,
  isSignallableState,
  isStoppedState,
  REACHABLE_FROM,
} from '../../../src/model/index.ts';

const ALL = Object.keys(PROCESS_STATE_CODES) as ProcessStateName[];

describe('state sets', () => {
  const rows: { state: ProcessStateName; running: boolean; stopped: boolean; signallable: boolean }[] = [
    { state: 'STOPPED', running: false, stopped: true, signallable: false },
    { state: 'STARTING', running: true, stopped: false, signallable: true },
    { state: 'RUNNING', running: true, stopped: false, signallable: true },
    { state: 'BACKOFF', running: true, stopped: false, signallable: false },
    { state: 'STOPPING', running: false, stopped: false, signallable: true },
    { state: 'EXITED', running: false, stopped: true, signallable: false },
    { state: 'FATAL', running: false, stopped: true, signallable: false },
    { state: 'UNKNOWN', running: false, stopped: true, signallable: false },
  ];
  for (const row of rows) {
    it(`${row.state}: running=${row.running} stopped=${row.stopped} signallable=${row.signallable}`, () => {
      assert.equal(isRunningState(row.state), row.running);
      assert.equal(isStoppedState(row.state), row.stopped);
      assert.equal(isSignallableState(row.state), row.signallable);
    });
  }
  it('covers every state', () => {
    assert.deepEqual(rows.map((row) => row.state).sort(), [...ALL].sort());
  });
});

describe('REACHABLE_FROM', () => {
  const rows: { to: ProcessStateName; from: ProcessStateName[] }[] = [
    { to: 'STARTING', from: ['BACKOFF', 'EXITED', 'FATAL', 'STOPPED'] },
    { to: 'RUNNING', from: ['STARTING'] },
    { to: 'BACKOFF', from: ['STARTING'] },
    { to: 'STOPPING', from: ['RUNNING', 'STARTING', 'STOPPING'] },
    { to: 'STOPPED', from: ['BACKOFF', 'STOPPING'] },
    { to: 'EXITED', from: ['RUNNING'] },
    { to: 'FATAL', from: ['BACKOFF'] },
    { to: 'UNKNOWN', from: ['RUNNING', 'STARTING', 'STOPPING'] },
  ];
  for (const row of rows) {
    it(`${row.to} is reachable from ${row.from.join(', ')} only`, () => {
      assert.deepEqual([...REACHABLE_FROM[row.to]].sort(), row.from);
      for (const from of ALL) assert.equal(isAllowedTransition(from, row.to), row.from.includes(from), `${from} -> ${row.to}`);
    });
  }
});
