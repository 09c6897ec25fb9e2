// The checks on depends_on / dependent_startup_wait_for that need every
// program: each name must stand for a process, and the graph must have no
// cycle (a cycle would leave its programs waiting forever). Pure over the
// resolved groups; problems and warnings go to `diag` with file:line.
import { makeNamespec, resolveName } from '../model/index.ts';
import type { Diagnostics } from './errors.ts';
import type { Dependency } from './readiness-types.ts';
import type { ProcessConfig, ProcessGroupConfig } from './types.ts';

type Node = ProcessConfig;

const sectionOf = (process: Node): string => `${process.kind}:${process.program_name}`;
const nameOf = (process: Node): string => makeNamespec(process.group, process.name);
export const dependenciesOf = (process: Pick<ProcessConfig, 'depends_on' | 'dependent_startup_wait_for'>): readonly Dependency[] => [
  ...process.depends_on,
  ...process.dependent_startup_wait_for,
];

export function checkDependencies(groups: readonly ProcessGroupConfig[], diag: Diagnostics): void {
  const all = groups.flatMap((group) => group.processes);
  const edges = new Map<Node, Array<{ to: Node; dependency: Dependency }>>();
  for (const process of all) {
    const out: Array<{ to: Node; dependency: Dependency }> = [];
    for (const dependency of dependenciesOf(process)) {
      const targets = resolveName(all, dependency.target);
      if (targets === undefined) {
        diag.error(dependency.source, sectionOf(process), dependency.key, dependency.target,
          `names no process or group '${dependency.target}'; expected a name as vigil ctl takes it: a program, group:name, group:* or a group`);
        continue;
      }
      for (const target of targets) {
        out.push({ to: target, dependency });
        warnAboutTarget(diag, process, dependency, target);
      }
    }
    edges.set(process, out);
  }
  reportCycles(all, edges, diag);
}

function warnAboutTarget(diag: Diagnostics, process: Node, dependency: Dependency, target: Node): void {
  if (dependency.want.kind !== 'condition') return;
  const at = (message: string): void => diag.warn(dependency.source, sectionOf(process), dependency.key, message);
  if (dependency.want.condition === 'healthy' && target.healthcheck === null) {
    at(`${nameOf(target)} has no healthcheck=, so ${dependency.text} waits for it to be RUNNING`);
  }
  if (dependency.want.condition === 'completed') {
    if (target.autorestart === 'true') at(`${nameOf(target)} has autorestart=true, so it never completes; set autorestart=false for a one-shot task`);
    if (target.startsecs > 0) {
      at(`${nameOf(target)} has startsecs=${target.startsecs}: exiting sooner counts as a failed start (supervisord's rule); set startsecs=0 for a one-shot task`);
    }
  }
}

// Depth-first search; a back edge closes a cycle, reported once per set of sections.
function reportCycles(all: readonly Node[], edges: ReadonlyMap<Node, ReadonlyArray<{ to: Node; dependency: Dependency }>>, diag: Diagnostics): void {
  const done = new Set<Node>();
  const reported = new Set<string>();
  const path: Array<{ node: Node; via: Dependency | null }> = [];
  const onPath = new Map<Node, number>();
  const visit = (node: Node, via: Dependency | null): void => {
    onPath.set(node, path.length);
    path.push({ node, via });
    for (const edge of edges.get(node) ?? []) {
      const start = onPath.get(edge.to);
      if (start !== undefined) {
        report([...path.slice(start), { node: edge.to, via: edge.dependency }]);
      } else if (!done.has(edge.to)) {
        visit(edge.to, edge.dependency);
      }
    }
    path.pop();
    onPath.delete(node);
    done.add(node);
  };
  const report = (cycle: Array<{ node: Node; via: Dependency | null }>): void => {
    const key = [...new Set(cycle.map((step) => sectionOf(step.node)))].sort().join('\0');
    if (reported.has(key)) return;
    reported.add(key);
    const first = cycle[1]?.via as Dependency;
    const names = cycle.map((step) => nameOf(step.node)).join(' -> ');
    const hops = cycle
      .slice(2)
      .map((step) => `${nameOf(cycle[cycle.indexOf(step) - 1]?.node as Node)}'s ${step.via?.key} at ${step.via?.source.file}:${step.via?.source.line}`);
    const also = hops.length > 0 ? ` (${hops.join(', ')})` : '';
    diag.error(first.source, sectionOf(cycle[0]?.node as Node), first.key, first.target,
      `dependency cycle: ${names}${also}; the programs of a cycle would wait for each other forever`);
  };
  for (const node of all) if (!done.has(node)) visit(node, null);
}
