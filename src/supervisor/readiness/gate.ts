// Start gating as a pure function: given every process's snapshot and the
// programs waiting to be started (with their dependencies), which may start
// now, and for the others what they wait for. No timers or I/O here; the
// runner (start-gate.ts) calls it on every state or health change and acts
// on the answer.
import { resolveName } from '../../model/index.ts';
import type { Dependency } from '../../config/readiness-types.ts';
import { verdict } from './conditions.ts';
import type { ProcessSnapshot, Verdict } from './conditions.ts';

export interface WaitingProgram {
  readonly fullName: string; // group:name
  readonly priority: number;
  readonly dependencies: readonly Dependency[];
}

export interface Waiting {
  // `waiting for db:running (db is FATAL)`: every dependency that does not hold.
  readonly description: string;
  // Some dependency can never hold by itself (it went FATAL, or completed
  // with an unexpected exit status).
  readonly blocked: boolean;
  // Texts of the dependencies that hold (the runner logs each once).
  readonly met: readonly string[];
}

export interface GateDecision {
  readonly start: readonly string[]; // full names, in start order (priority, then waiting order)
  readonly waiting: ReadonlyMap<string, Waiting>;
}

export function dependencyVerdicts(
  dependencies: readonly Dependency[],
  processes: readonly ProcessSnapshot[],
): Array<{ dependency: Dependency; verdict: Verdict }> {
  return dependencies.map((dependency) => ({ dependency, verdict: verdict(dependency, resolveName(processes, dependency.target)) }));
}

export function decideStarts(waiting: readonly WaitingProgram[], processes: readonly ProcessSnapshot[]): GateDecision {
  const start: WaitingProgram[] = [];
  const still = new Map<string, Waiting>();
  for (const program of waiting) {
    const verdicts = dependencyVerdicts(program.dependencies, processes);
    const unmet = verdicts.filter((entry) => entry.verdict.holds !== 'yes');
    if (unmet.length === 0) {
      start.push(program);
      continue;
    }
    still.set(program.fullName, {
      description: `waiting for ${unmet.map(({ dependency, verdict: v }) => `${dependency.text} (${v.detail})`).join(', ')}`,
      blocked: unmet.some((entry) => entry.verdict.holds === 'never'),
      met: verdicts.filter((entry) => entry.verdict.holds === 'yes').map((entry) => entry.dependency.text),
    });
  }
  // Array.sort is stable: equal priorities keep the order they were admitted in.
  start.sort((a, b) => a.priority - b.priority);
  return { start: start.map((program) => program.fullName), waiting: still };
}
