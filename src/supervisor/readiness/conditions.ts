// Whether one dependency holds, given the current snapshot of the process(es)
// it names. Pure: the gate (gate.ts) combines these for every waiting program.
import type { ProcessStateName } from '../../model/index.ts';
import type { HealthStatus } from '../../model/index.ts';
import { makeNamespec } from '../../model/index.ts';
import type { Dependency } from '../../config/readiness-types.ts';

// What the gate knows about one process at one moment.
export interface ProcessSnapshot {
  readonly group: string;
  readonly name: string;
  readonly state: ProcessStateName;
  readonly pid: number;
  // The last exit was one of its exitcodes (null: it never exited).
  readonly exitExpected: boolean | null;
  readonly exitstatus: number | null;
  readonly hasHealthcheck: boolean;
  readonly health: HealthStatus | null;
}

// `yes`: holds now. `no`: may hold later by itself. `never`: cannot hold
// unless someone starts the dependency again (it is FATAL, or ended for good).
export type Holds = 'yes' | 'no' | 'never';

export interface Verdict {
  readonly holds: Holds;
  readonly detail: string; // `db is FATAL`, for the waiting description
}

export function displayName(snapshot: Pick<ProcessSnapshot, 'group' | 'name'>): string {
  return makeNamespec(snapshot.group, snapshot.name);
}

// One process against one dependency.
export function holdsFor(dependency: Dependency, process: ProcessSnapshot): Holds {
  const { state } = process;
  const want = dependency.want;
  if (want.kind === 'states') {
    if ((want.states as readonly string[]).includes(state)) return 'yes';
    return state === 'FATAL' ? 'never' : 'no';
  }
  const ended = state === 'FATAL' || state === 'EXITED'; // EXITED: will not be restarted
  switch (want.condition) {
    case 'started':
      if ((state === 'STARTING' && process.pid !== 0) || state === 'RUNNING' || state === 'STOPPING' || state === 'EXITED') return 'yes';
      return state === 'FATAL' ? 'never' : 'no';
    case 'running':
      if (state === 'RUNNING') return 'yes';
      return ended ? 'never' : 'no';
    case 'healthy':
      if (state === 'RUNNING' && (!process.hasHealthcheck || process.health === 'healthy')) return 'yes';
      return ended ? 'never' : 'no';
    case 'completed':
      if (state === 'EXITED') return process.exitExpected === true ? 'yes' : 'never';
      return state === 'FATAL' ? 'never' : 'no';
  }
}

function detailFor(dependency: Dependency, process: ProcessSnapshot): string {
  const name = displayName(process);
  const want = dependency.want;
  if (want.kind === 'condition' && want.condition === 'completed' && process.state === 'EXITED' && process.exitExpected === false) {
    return `${name} is EXITED with unexpected exit status ${process.exitstatus ?? '?'}`;
  }
  if (want.kind === 'condition' && want.condition === 'healthy' && process.state === 'RUNNING' && process.health !== null) {
    return `${name} is RUNNING, health ${process.health}`;
  }
  return `${name} is ${process.state}`;
}

// A dependency on every process its name stands for: holds when it holds for
// each; `never` as soon as one can never; the detail names the first laggard.
export function verdict(dependency: Dependency, targets: readonly ProcessSnapshot[] | undefined): Verdict {
  if (targets === undefined || targets.length === 0) return { holds: 'no', detail: 'no such process' };
  let worst: Verdict = { holds: 'yes', detail: '' };
  for (const target of targets) {
    const holds = holdsFor(dependency, target);
    if (holds === 'yes') continue;
    if (worst.holds === 'yes' || (holds === 'never' && worst.holds === 'no')) worst = { holds, detail: detailFor(dependency, target) };
  }
  return worst;
}
