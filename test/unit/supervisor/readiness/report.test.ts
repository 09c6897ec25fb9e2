// /readyz's verdict, table-driven.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReadinessItem } from '../../../../src/supervisor/readiness/report.ts';
import { readinessReport } from '../../../../src/supervisor/readiness/report.ts';

function item(name: string, extra: Partial<ReadinessItem>): ReadinessItem {
  return { group: name, name, state: 'RUNNING', pid: 1, exitExpected: null, exitstatus: null, hasHealthcheck: false, health: null, shouldBeUp: true, waiting: null, ...extra };
}

describe('readinessReport', () => {
  const cases: Array<[string, ReadinessItem, string | null]> = [
    ['running, no healthcheck', item('a', {}), null],
    ['running and healthy', item('a', { hasHealthcheck: true, health: 'healthy' }), null],
    ['running, health starting', item('a', { hasHealthcheck: true, health: 'starting' }), 'health starting'],
    ['running, unhealthy', item('a', { hasHealthcheck: true, health: 'unhealthy' }), 'health unhealthy'],
    ['one-shot completed', item('a', { state: 'EXITED', exitExpected: true }), null],
    ['one-shot failed', item('a', { state: 'EXITED', exitExpected: false, exitstatus: 2 }), 'exited with unexpected exit status 2'],
    ['waiting', item('a', { state: 'STOPPED', waiting: 'waiting for db:running (db is FATAL)' }), 'waiting for db:running (db is FATAL)'],
    ['FATAL', item('a', { state: 'FATAL' }), 'is FATAL'],
    ['stopped on request: not expected up', item('a', { state: 'STOPPED', shouldBeUp: false }), null],
  ];
  for (const [title, entry, reason] of cases) {
    it(title, () => {
      const report = readinessReport([entry], false);
      assert.equal(report.ready, reason === null);
      assert.deepEqual(report.notReady.map((n) => n.reason), reason === null ? [] : [reason]);
    });
  }
  it('shutting down is never ready', () => {
    assert.equal(readinessReport([item('a', {})], true).ready, false);
  });
});
