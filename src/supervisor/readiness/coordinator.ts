// The readiness runner: holds the programs waiting to be started, re-runs the
// pure gate (gate.ts) after every state or health change and starts what it
// allows; runs one HealthMonitor per program with a healthcheck; counts
// restarts; answers /status's health and waiting descriptions, /readyz and
// /metrics. The supervisor calls it through ReadinessHooks.
import type { HealthStatus, ProcessMetrics, ReadinessReport } from '../../model/index.ts';
import { resolveName } from '../../model/index.ts';
import type { Dependency } from '../../config/readiness-types.ts';
import type { Logger } from '../../log/logger.ts';
import type { SupervisedProcess } from '../process.ts';
import type { ProcessSpec } from '../spec.ts';
import { isExpectedExit } from '../../model/index.ts';
import type { Supervisor } from '../supervisor.ts';
import type { ProcessSnapshot } from './conditions.ts';
import { decideStarts } from './gate.ts';
import type { Waiting, WaitingProgram } from './gate.ts';
import { HealthMonitor } from './health-monitor.ts';
import type { ProbeDeps } from './probes.ts';
import { readinessReport } from './report.ts';

// What the supervisor asks of the readiness runner.
export interface ReadinessHooks {
  added(processes: readonly SupervisedProcess[]): void;
  removed(process: SupervisedProcess): void;
  // Started by the gate rather than by priority (depends_on or dependent_startup).
  isGated(process: SupervisedProcess): boolean;
  // Autostart time: these wait for their dependencies.
  admit(processes: readonly SupervisedProcess[]): void;
  // The processes `process` depends on (shutdown order).
  dependencyTargets(process: SupervisedProcess): SupervisedProcess[];
  // After an update: the dependencies of the programs that stay.
  refreshDependencies(specs: Iterable<ProcessSpec>): void;
}

export function isGatedSpec(spec: ProcessSpec): boolean {
  return spec.readiness.dependentStartup || (spec.autostart && spec.readiness.dependencies.length > 0);
}

export class Readiness implements ReadinessHooks {
  private readonly waiting = new Map<string, SupervisedProcess>(); // admitted, not started yet
  private readonly dependencies = new Map<string, readonly Dependency[]>();
  private readonly monitors = new Map<string, HealthMonitor>();
  private readonly starts = new Map<string, number>();
  private readonly shouldBeUp = new Set<string>();
  private verdicts = new Map<string, Waiting>();
  private readonly announced = new Map<string, Set<string>>(); // met dependencies already logged
  private readonly blockedLogged = new Set<string>();
  private scheduled = false;

  constructor(
    private readonly supervisor: Supervisor,
    private readonly logger: Logger,
    private readonly probeDeps: Omit<ProbeDeps, 'captureOutput'>,
  ) {
    supervisor.onChange((change, process) => {
      const name = process.fullName;
      if (change.to === 'STARTING') this.starts.set(name, (this.starts.get(name) ?? 0) + 1);
      // Started by someone else (ctl start): no longer the gate's to start.
      if (this.waiting.has(name) && change.to !== 'STOPPED' && change.to !== 'EXITED' && change.to !== 'FATAL') {
        this.forget(name);
      }
      if (change.to === 'STARTING' || change.to === 'RUNNING') this.shouldBeUp.add(name);
      if (change.to === 'STOPPED' && process.state.administrativeStop) this.shouldBeUp.delete(name);
      this.schedule();
    });
  }

  added(processes: readonly SupervisedProcess[]): void {
    for (const process of processes) {
      this.dependencies.set(process.fullName, process.spec.readiness.dependencies);
      if (process.spec.autostart || isGatedSpec(process.spec)) this.shouldBeUp.add(process.fullName);
      const check = process.spec.readiness.healthcheck;
      if (check === null) continue;
      const monitor = new HealthMonitor(process, check, {
        ...this.probeDeps,
        captureOutput: () => this.logger.isLevelEnabled('debug'),
        logger: this.logger,
        onChange: () => this.schedule(),
        restart: (p) => void this.restart(p),
      });
      this.monitors.set(process.fullName, monitor);
    }
  }

  removed(process: SupervisedProcess): void {
    const name = process.fullName;
    this.monitors.get(name)?.dispose();
    this.monitors.delete(name);
    this.forget(name);
    this.dependencies.delete(name);
    this.starts.delete(name);
    this.shouldBeUp.delete(name);
    this.schedule();
  }

  isGated(process: SupervisedProcess): boolean {
    return isGatedSpec(process.spec);
  }

  admit(processes: readonly SupervisedProcess[]): void {
    for (const process of processes) {
      this.waiting.set(process.fullName, process);
      this.shouldBeUp.add(process.fullName);
    }
    this.schedule();
  }

  // After `update`: programs that stay get their new dependencies (they only
  // gate starts and order stops, so nothing is restarted for them).
  refreshDependencies(specs: Iterable<ProcessSpec>): void {
    for (const spec of specs) {
      const name = `${spec.group}:${spec.name}`;
      if (this.dependencies.has(name)) this.dependencies.set(name, spec.readiness.dependencies);
    }
    this.schedule();
  }

  dependencyTargets(process: SupervisedProcess): SupervisedProcess[] {
    const all = [...this.supervisor.processes.values()].map((p) => ({ group: p.spec.group, name: p.spec.name, process: p }));
    const dependencies = this.dependencies.get(process.fullName) ?? [];
    return dependencies.flatMap((dependency) => (resolveName(all, dependency.target) ?? []).map((target) => target.process));
  }

  health(fullName: string): HealthStatus | null {
    return this.monitors.get(fullName)?.status ?? null;
  }

  // `waiting for db:running (db is FATAL)` while the gate holds it back.
  waitingDescription(fullName: string): string | null {
    return this.verdicts.get(fullName)?.description ?? null;
  }

  report(): ReadinessReport {
    const items = this.snapshots().map((snapshot) => {
      const name = `${snapshot.group}:${snapshot.name}`;
      return { ...snapshot, shouldBeUp: this.shouldBeUp.has(name), waiting: this.waitingDescription(name) };
    });
    return readinessReport(items, this.supervisor.mood === 'SHUTDOWN');
  }

  metrics(): ProcessMetrics[] {
    return this.supervisor.ordered().map((process) => {
      const { state, spec } = process;
      const health = this.health(process.fullName);
      return {
        group: spec.group,
        name: spec.name,
        state: state.name,
        startTime: state.startedAt / 1000,
        exitStatus: state.exitstatus ?? 0,
        restarts: Math.max(0, (this.starts.get(process.fullName) ?? 0) - 1),
        healthy: spec.readiness.healthcheck === null ? null : health === 'healthy',
      };
    });
  }

  private forget(name: string): void {
    this.waiting.delete(name);
    this.verdicts.delete(name);
    this.announced.delete(name);
    this.blockedLogged.delete(name);
  }

  private snapshots(): ProcessSnapshot[] {
    return this.supervisor.ordered().map((process) => info(process, this.health(process.fullName)));
  }

  // Coalesces a burst of changes into one evaluation, on the next turn.
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.evaluate();
    });
  }

  private evaluate(): void {
    if (this.supervisor.mood === 'SHUTDOWN') {
      for (const name of [...this.waiting.keys()]) this.forget(name);
      return;
    }
    const programs: WaitingProgram[] = [...this.waiting.values()].map((process) => ({
      fullName: process.fullName,
      priority: process.spec.priority,
      dependencies: this.dependencies.get(process.fullName) ?? [],
    }));
    const decision = decideStarts(programs, this.snapshots());
    this.verdicts = new Map(decision.waiting);
    for (const [name, waiting] of decision.waiting) this.announce(name, waiting);
    for (const name of decision.start) {
      const process = this.waiting.get(name);
      if (process === undefined) continue;
      const deps = this.dependencies.get(name) ?? [];
      this.logger.info(deps.length > 0 ? `starting ${process.spec.name}: ${deps.map((d) => d.text).join(', ')} hold` : `starting ${process.spec.name} (dependent_startup)`);
      this.forget(name);
      process.send({ type: 'start' });
    }
  }

  // The log says when each condition is met, and once when one cannot be.
  private announce(name: string, waiting: Waiting): void {
    const seen = this.announced.get(name) ?? new Set<string>();
    this.announced.set(name, seen);
    const short = name.slice(name.indexOf(':') + 1);
    for (const text of waiting.met) {
      if (seen.has(text)) continue;
      seen.add(text);
      this.logger.info(`${short}: ${text} holds`);
    }
    if (waiting.blocked && !this.blockedLogged.has(name)) {
      this.blockedLogged.add(name);
      this.logger.warn(`${short} stays STOPPED: ${waiting.description}`);
    } else if (!waiting.blocked) this.blockedLogged.delete(name);
  }

  private async restart(process: SupervisedProcess): Promise<void> {
    if (this.supervisor.mood === 'SHUTDOWN') return;
    await this.supervisor.stopOne(process);
    // The await may have seen a shutdown begin or an update remove it.
    const mood = this.supervisor.mood as string;
    if (mood === 'SHUTDOWN' || !this.supervisor.processes.has(process.fullName)) return;
    process.send({ type: 'start' });
  }

  dispose(): void {
    for (const monitor of this.monitors.values()) monitor.dispose();
    this.monitors.clear();
  }
}

function info(process: SupervisedProcess, health: HealthStatus | null): ProcessSnapshot {
  const { state, spec } = process;
  return {
    group: spec.group,
    name: spec.name,
    state: state.name,
    pid: state.pid,
    exitExpected: state.lastExit ? isExpectedExit(state.lastExit, spec.policy.exitcodes) : null,
    exitstatus: state.exitstatus,
    hasHealthcheck: spec.readiness.healthcheck !== null,
    health,
  };
}
