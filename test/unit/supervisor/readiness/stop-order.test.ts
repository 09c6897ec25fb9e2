// Shutdown waves: dependents before their dependencies, then priority.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextStopWave } from '../../../../src/supervisor/readiness/stop-order.ts';

type P = { name: string; priority: number; deps: string[] };

function waves(processes: P[]): string[][] {
  const byName = new Map(processes.map((p) => [p.name, p]));
  const remaining = [...processes];
  const result: string[][] = [];
  while (remaining.length > 0) {
    const wave = nextStopWave(remaining, (p) => p.priority, (p) => p.deps.map((d) => byName.get(d) as P));
    result.push(wave.map((p) => p.name).sort());
    for (const p of wave) remaining.splice(remaining.indexOf(p), 1);
  }
  return result;
}

describe('nextStopWave', () => {
  const cases: Array<[string, P[], string[][]]> = [
    ['no dependencies: reverse priority, a level at once', [{ name: 'a', priority: 1, deps: [] }, { name: 'b', priority: 2, deps: [] }, { name: 'c', priority: 2, deps: [] }], [['b', 'c'], ['a']]],
    ['a dependent stops first even with a lower priority', [{ name: 'db', priority: 900, deps: [] }, { name: 'web', priority: 1, deps: ['db'] }], [['web'], ['db']]],
    ['a chain: c, b, a', [{ name: 'a', priority: 1, deps: [] }, { name: 'b', priority: 1, deps: ['a'] }, { name: 'c', priority: 1, deps: ['b'] }], [['c'], ['b'], ['a']]],
    ['a cycle falls back to priority', [{ name: 'x', priority: 1, deps: ['y'] }, { name: 'y', priority: 2, deps: ['x'] }], [['y'], ['x']]],
  ];
  for (const [title, processes, expected] of cases) {
    it(title, () => assert.deepEqual(waves(processes), expected));
  }
});
