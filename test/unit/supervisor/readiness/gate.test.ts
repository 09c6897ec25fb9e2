// Start gating, table-driven: which waiting programs may start given every
// process's state and health, and what the others wait for.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDependsOn, parseWaitFor } from '../../../../src/config/readiness.ts';
import type { Dependency } from '../../../../src/config/readiness-types.ts';
import type { ProcessStateName } from '../../../../src/control/api.ts';
import type { ProcessSnapshot } from '../../../../src/supervisor/readiness/conditions.ts';
import { holdsFor } from '../../../../src/supervisor/readiness/conditions.ts';
import { decideStarts } from '../../../../src/supervisor/readiness/gate.ts';

const at = { file: 'test.conf', line: 1 };
const dependsOn = (text: string): Dependency[] => parseDependsOn(text).map((d) => ({ ...d, key: 'depends_on', source: at }));
const waitFor = (text: string): Dependency[] =>
  parseWaitFor(text).map((d) => ({ ...d, key: 'dependent_startup_wait_for', source: at }));

function snap(name: string, state: ProcessStateName, extra: Partial<ProcessSnapshot> = {}): ProcessSnapshot {
  const [group, process] = name.includes(':') ? (name.split(':') as [string, string]) : [name, name];
  return {
    group,
    name: process,
    state,
    pid: state === 'RUNNING' || state === 'STARTING' || state === 'STOPPING' ? 42 : 0,
    exitExpected: null,
    exitstatus: null,
    hasHealthcheck: false,
    health: null,
    ...extra,
  };
}

describe('holdsFor: one condition against one process', () => {
  // [dependency, process, expected]
  const cases: Array<[string, ProcessSnapshot, 'yes' | 'no' | 'never']> = [
    ['db', snap('db', 'RUNNING'), 'yes'],
    ['db', snap('db', 'STARTING'), 'no'],
    ['db', snap('db', 'BACKOFF'), 'no'],
    ['db', snap('db', 'STOPPED'), 'no'],
    ['db', snap('db', 'FATAL'), 'never'],
    ['db', snap('db', 'EXITED', { exitExpected: true }), 'never'],
    ['db:started', snap('db', 'STARTING'), 'yes'],
    ['db:started', snap('db', 'STARTING', { pid: 0 }), 'no'],
    ['db:started', snap('db', 'EXITED', { exitExpected: false }), 'yes'],
    ['db:started', snap('db', 'FATAL'), 'never'],
    ['db:healthy', snap('db', 'RUNNING', { hasHealthcheck: true, health: 'starting' }), 'no'],
    ['db:healthy', snap('db', 'RUNNING', { hasHealthcheck: true, health: 'unhealthy' }), 'no'],
    ['db:healthy', snap('db', 'RUNNING', { hasHealthcheck: true, health: 'healthy' }), 'yes'],
    ['db:healthy', snap('db', 'RUNNING'), 'yes'], // no healthcheck: RUNNING is enough
    ['db:healthy', snap('db', 'FATAL', { hasHealthcheck: true }), 'never'],
    ['migrate:completed', snap('migrate', 'RUNNING'), 'no'],
    ['migrate:completed', snap('migrate', 'EXITED', { exitExpected: true }), 'yes'],
    ['migrate:completed', snap('migrate', 'EXITED', { exitExpected: false, exitstatus: 3 }), 'never'],
    ['migrate:completed', snap('migrate', 'BACKOFF'), 'no'],
    ['migrate:completed', snap('migrate', 'FATAL'), 'never'],
    ['MIGRATE:COMPLETED', snap('MIGRATE', 'EXITED', { exitExpected: true }), 'yes'],
  ];
  for (const [text, process, expected] of cases) {
    it(`${text} with ${process.name} ${process.state}${process.health ? ` (${process.health})` : ''} -> ${expected}`, () => {
      assert.equal(holdsFor(dependsOn(text)[0] as Dependency, process), expected);
    });
  }

  const states: Array<[string, ProcessStateName, 'yes' | 'no' | 'never']> = [
    ['start:exited', 'EXITED', 'yes'],
    ['start:EXITED', 'RUNNING', 'no'],
    ['db:running,backoff', 'BACKOFF', 'yes'],
    ['db:running', 'FATAL', 'never'],
    ['db:fatal', 'FATAL', 'yes'],
    ['db:stopping', 'STOPPED', 'no'],
  ];
  for (const [text, state, expected] of states) {
    it(`wait_for ${text} with ${state} -> ${expected}`, () => {
      assert.equal(holdsFor(waitFor(text)[0] as Dependency, snap(text.split(':')[0] as string, state)), expected);
    });
  }
});

describe('decideStarts', () => {
  const program = (fullName: string, deps: Dependency[], priority = 999): { fullName: string; priority: number; dependencies: Dependency[] } => ({
    fullName,
    priority,
    dependencies: deps,
  });

  it('a chain starts one link at a time', () => {
    const waiting = [program('b:b', dependsOn('a')), program('c:c', dependsOn('b'))];
    const first = decideStarts(waiting, [snap('a', 'RUNNING'), snap('b', 'STOPPED'), snap('c', 'STOPPED')]);
    assert.deepEqual(first.start, ['b:b']);
    assert.equal(first.waiting.get('c:c')?.description, 'waiting for b:running (b is STOPPED)');
    const second = decideStarts([waiting[1]!], [snap('a', 'RUNNING'), snap('b', 'RUNNING'), snap('c', 'STOPPED')]);
    assert.deepEqual(second.start, ['c:c']);
  });

  it('a FATAL dependency: waiting, blocked, described as the contract says', () => {
    const decision = decideStarts([program('app:app', waitFor('db:running'))], [snap('db', 'FATAL'), snap('app', 'STOPPED')]);
    assert.deepEqual(decision.start, []);
    assert.equal(decision.waiting.get('app:app')?.description, 'waiting for db:running (db is FATAL)');
    assert.equal(decision.waiting.get('app:app')?.blocked, true);
  });

  it('every dependency must hold; each unmet one is listed, met ones reported', () => {
    const decision = decideStarts(
      [program('web:web', dependsOn('migrate:completed, db:healthy, cache:started'))],
      [
        snap('migrate', 'EXITED', { exitExpected: false, exitstatus: 3 }),
        snap('db', 'RUNNING', { hasHealthcheck: true, health: 'starting' }),
        snap('cache', 'RUNNING'),
      ],
    );
    const waiting = decision.waiting.get('web:web');
    assert.equal(
      waiting?.description,
      'waiting for migrate:completed (migrate is EXITED with unexpected exit status 3), db:healthy (db is RUNNING, health starting)',
    );
    assert.deepEqual(waiting?.met, ['cache:started']);
    assert.equal(waiting?.blocked, true);
  });

  it('a group name means every process of the group', () => {
    const processes = [snap('web:web_00', 'RUNNING'), snap('web:web_01', 'STARTING'), snap('lb', 'STOPPED')];
    const decision = decideStarts([program('lb:lb', dependsOn('web'))], processes);
    assert.equal(decision.waiting.get('lb:lb')?.description, 'waiting for web:running (web:web_01 is STARTING)');
    const later = decideStarts([program('lb:lb', dependsOn('web:*'))], [snap('web:web_00', 'RUNNING'), snap('web:web_01', 'RUNNING')]);
    assert.deepEqual(later.start, ['lb:lb']);
  });

  it('an unknown name waits (it may come with a later update)', () => {
    const decision = decideStarts([program('a:a', dependsOn('ghost'))], [snap('a', 'STOPPED')]);
    assert.equal(decision.waiting.get('a:a')?.description, 'waiting for ghost:running (no such process)');
  });

  it('no dependencies (dependent_startup alone): starts at once; several in priority order', () => {
    const decision = decideStarts([program('x:x', [], 50), program('y:y', [], 10), program('z:z', [], 50)], []);
    assert.deepEqual(decision.start, ['y:y', 'x:x', 'z:z']);
  });
});
