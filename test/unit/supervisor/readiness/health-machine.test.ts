// The health machine, table-driven: events in, status and effects out.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HealthCheckConfig } from '../../../../src/config/readiness-types.ts';
import { INITIAL_HEALTH, healthStep, nextCheckTime } from '../../../../src/supervisor/readiness/health-machine.ts';
import type { HealthEvent, HealthState } from '../../../../src/supervisor/readiness/health-machine.ts';

const policy: HealthCheckConfig = { probe: { kind: 'tcp', host: '127.0.0.1', port: 1 }, interval: 5, timeout: 2, retries: 3, start_period: 0, restart: false };

// Runs events at the given ms; returns the final state and every effect type.
function run(events: Array<[number, HealthEvent]>, p: HealthCheckConfig = policy): { state: HealthState; effects: string[] } {
  let state = INITIAL_HEALTH;
  const effects: string[] = [];
  for (const [now, event] of events) {
    const result = healthStep(state, event, p, now);
    state = result.state;
    for (const effect of result.effects) effects.push(effect.type === 'changed' ? `changed:${effect.to}` : effect.type);
  }
  return { state, effects };
}

const ok: HealthEvent = { type: 'result', ok: true, detail: 'HTTP 200' };
const fail: HealthEvent = { type: 'result', ok: false, detail: 'ECONNREFUSED' };
const due: HealthEvent = { type: 'due' };

describe('health machine', () => {
  it('up: starting, first check at once; a pass makes it healthy, next check an interval later', () => {
    const { state, effects } = run([[0, { type: 'up' }], [0, due], [10, ok]]);
    assert.deepEqual(effects, ['changed:starting', 'check', 'changed:healthy']);
    assert.equal(state.status, 'healthy');
    assert.equal(state.nextCheckAt, 5250); // 5010 on the 250 ms grid
  });

  it('next check: an interval later, on a grid of a tenth of it (at most 250 ms)', () => {
    assert.equal(nextCheckTime(1_000_010, 1000), 1_001_100); // 100 ms grid
    assert.equal(nextCheckTime(1_000_000, 1000), 1_001_000); // already on it
    assert.equal(nextCheckTime(1_000_001, 60_000), 1_060_250); // capped at 250 ms
    assert.equal(nextCheckTime(1_000_003, 5), 1_000_008); // grid under 1 ms: none
    for (const now of [0, 7, 999, 123_456_789]) {
      const next = nextCheckTime(now, 2000);
      assert.ok(next >= now + 2000 && next < now + 2200, `${now} -> ${next}`);
    }
  });

  it('at most one check in flight: a due while one runs does nothing', () => {
    const { effects } = run([[0, { type: 'up' }], [0, due], [1, due]]);
    assert.deepEqual(effects, ['changed:starting', 'check']);
  });

  it('retries: unhealthy only after that many failures in a row', () => {
    const events: Array<[number, HealthEvent]> = [[0, { type: 'up' }]];
    for (let i = 0; i < 3; i++) events.push([i * 5000, due], [i * 5000 + 1, fail]);
    const { state, effects } = run(events);
    assert.equal(state.status, 'unhealthy');
    assert.deepEqual(effects.filter((e) => e.startsWith('changed')), ['changed:starting', 'changed:unhealthy']);
  });

  it('a pass resets the failure count', () => {
    const { state } = run([[0, { type: 'up' }], [0, due], [1, fail], [5001, due], [5002, fail], [10002, due], [10003, ok], [15003, due], [15004, fail]]);
    assert.equal(state.status, 'healthy');
    assert.equal(state.failures, 1);
  });

  it('start period: failures do not count until it ends', () => {
    const p = { ...policy, retries: 1, start_period: 10 };
    assert.equal(run([[0, { type: 'up' }], [0, due], [1, fail]], p).state.status, 'starting');
    assert.equal(run([[0, { type: 'up' }], [0, due], [10_001, fail]], p).state.status, 'unhealthy');
  });

  it('healthcheck_restart: a restart effect when it turns unhealthy, once', () => {
    const p = { ...policy, retries: 1, restart: true };
    const { effects } = run([[0, { type: 'up' }], [0, due], [1, fail], [5001, due], [5002, fail]], p);
    assert.deepEqual(effects.filter((e) => e === 'restart'), ['restart']);
  });

  it('down: status null, no more checks; a late result is dropped', () => {
    const { state, effects } = run([[0, { type: 'up' }], [0, due], [1, { type: 'down' }], [2, ok], [3, due]]);
    assert.equal(state.status, null);
    assert.equal(state.inFlight, false);
    assert.deepEqual(effects, ['changed:starting', 'check', 'changed:null']);
  });
});
