// The set of supervised processes and the orchestration across them: start by
// priority, graceful shutdown by reverse priority, critical programs, reload.
import type { Logger } from '../log/logger.ts';
import { exitCodeOf } from '../model/index.ts';
import type { ProcessStateName } from '../model/index.ts';
import type { ProcessDeps, StateChange } from './process.ts';
import { SupervisedProcess } from './process.ts';
import type { ProcessSpec } from './spec.ts';
import type { ReadinessHooks } from './readiness/coordinator.ts';
import { nextStopWave } from './readiness/stop-order.ts';
import { isStoppedState } from '../model/index.ts';

export type SupervisorMood = 'RUNNING' | 'SHUTDOWN';

export interface SupervisorOptions {
  logger: Logger;
  deps: Omit<ProcessDeps, 'colorIndex' | 'nameWidth'>;
  // Called once when a critical program ended for good: shut down, exit with code.
  onCritical: (process: SupervisedProcess, exitCode: number) => void;
}

export class Supervisor {
  readonly processes = new Map<string, SupervisedProcess>(); // by group:name
  mood: SupervisorMood = 'RUNNING';
  private readonly options: SupervisorOptions;
  private readonly changeListeners = new Set<(change: StateChange, process: SupervisedProcess) => void>();
  // Start gating and health checks (readiness/coordinator.ts), when wired.
  readiness: ReadinessHooks | null = null;
  private readonly membershipListeners = new Set<() => void>();
  private nameWidth = 0;
  private colorCounter = 0;

  constructor(options: SupervisorOptions) {
    this.options = options;
  }

  // Every state change of every process (event listeners, waiting clients).
  onChange(listener: (change: StateChange, process: SupervisedProcess) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  // Processes added or removed (update, reload): the web page's rows.
  onMembershipChange(listener: () => void): () => void {
    this.membershipListeners.add(listener);
    return () => this.membershipListeners.delete(listener);
  }

  private membershipChanged(): void {
    for (const listener of this.membershipListeners) {
      try {
        listener();
      } catch (error) {
        this.options.logger.error({ err: error }, 'membership listener failed');
      }
    }
  }

  // Processes in start order: priority, then config order.
  ordered(): SupervisedProcess[] {
    return [...this.processes.values()].sort((a, b) => a.spec.priority - b.spec.priority);
  }

  // Adds processes (not started). The prefix width covers every name so far.
  add(specs: readonly ProcessSpec[]): SupervisedProcess[] {
    for (const spec of specs) this.nameWidth = Math.max(this.nameWidth, spec.name.length);
    const added: SupervisedProcess[] = [];
    for (const spec of specs) {
      const process = new SupervisedProcess(spec, {
        ...this.options.deps,
        nameWidth: this.nameWidth,
        colorIndex: this.colorCounter++,
      });
      process.onChange((change, p) => this.handleChange(change, p));
      process.onSettled((changes, p) => this.handleSettled(changes, p));
      this.processes.set(process.fullName, process);
      added.push(process);
    }
    this.readiness?.added(added);
    if (added.length > 0) this.membershipChanged();
    return added;
  }

  remove(process: SupervisedProcess): void {
    process.dispose();
    this.processes.delete(process.fullName);
    this.readiness?.removed(process);
    this.membershipChanged();
  }

  // Starts the autostart processes: one priority level after another, all of a
  // level at once, without waiting for them to reach RUNNING (supervisord
  // does the same over several 1-second ticks; vigil does it in one go). A
  // level's spawns run in parallel on libuv workers; the next level waits only
  // until they have their pids, so the start order holds.
  // Programs with dependencies wait for them instead (readiness/gate.ts).
  async startAutostart(processes: readonly SupervisedProcess[] = this.ordered()): Promise<void> {
    const gated = processes.filter((p) => this.readiness?.isGated(p) ?? false);
    this.readiness?.admit(gated);
    for (const level of byPriority(processes.filter((p) => p.spec.autostart && !gated.includes(p)))) {
      if (this.mood === 'SHUTDOWN') return;
      for (const process of level) process.send({ type: 'start' });
      await Promise.all(level.map((process) => process.spawnSettled()));
    }
  }

  // Stops processes in reverse priority order, a whole level at a time, each
  // level after the previous one has fully stopped (supervisord semantics,
  // without its one-group-per-tick pacing); a program stops before the
  // programs it depends on (readiness/stop-order.ts).
  async stopAll(processes: readonly SupervisedProcess[] = this.ordered()): Promise<void> {
    const remaining = [...processes];
    const dependsOn = (p: SupervisedProcess): SupervisedProcess[] => this.readiness?.dependencyTargets(p) ?? [];
    while (remaining.length > 0) {
      const wave = nextStopWave(remaining, (p) => p.spec.priority, dependsOn);
      await Promise.all(wave.map((process) => this.stopOne(process)));
      for (const process of wave) remaining.splice(remaining.indexOf(process), 1);
    }
  }

  // Stops one process and resolves once it is in a stopped state.
  stopOne(process: SupervisedProcess): Promise<void> {
    const done = this.waitFor(process, isStoppedState);
    process.send({ type: 'stop' });
    return done;
  }

  // Graceful shutdown: no process may start again, then stop them all.
  async shutdown(): Promise<void> {
    if (this.mood === 'SHUTDOWN') return;
    this.mood = 'SHUTDOWN';
    for (const process of this.processes.values()) process.send({ type: 'shutdown' });
    await this.stopAll();
  }

  // Resolves when the process's state satisfies `predicate` (now or later).
  waitFor(process: SupervisedProcess, predicate: (state: ProcessStateName) => boolean): Promise<void> {
    if (predicate(process.state.name)) return Promise.resolve();
    return new Promise((resolve) => {
      const off = process.onChange(() => {
        if (predicate(process.state.name)) {
          off();
          resolve();
        }
      });
    });
  }

  private handleChange(change: StateChange, process: SupervisedProcess): void {
    for (const listener of this.changeListeners) {
      try {
        listener(change, process);
      } catch (error) {
        this.options.logger.error({ err: error }, 'state change listener failed');
      }
    }
  }

  // A critical program that ended for good: FATAL, or EXITED and not
  // restarted in the same dispatch. EXITED: its exit code (128+N for signal
  // N). FATAL is a failure whatever the last code was: the last real exit
  // status when it is not 0 (kept through BACKOFF, where supervisord's
  // exitstatus is None), else 1 (spawn errors only, or quick exits with 0).
  private handleSettled(changes: readonly StateChange[], process: SupervisedProcess): void {
    if (!process.spec.critical || this.mood === 'SHUTDOWN') return;
    const { name, lastExit } = process.state;
    if ((name !== 'FATAL' && name !== 'EXITED') || !changes.some((change) => change.to === name)) return;
    const code = lastExit ? exitCodeOf(lastExit) : 1;
    this.options.onCritical(process, name === 'FATAL' && code === 0 ? 1 : code);
  }
}

// Groups processes by priority, ascending.
export function byPriority(processes: readonly SupervisedProcess[]): SupervisedProcess[][] {
  const levels = new Map<number, SupervisedProcess[]>();
  for (const process of processes) {
    const level = levels.get(process.spec.priority) ?? [];
    level.push(process);
    levels.set(process.spec.priority, level);
  }
  return [...levels.entries()].sort(([a], [b]) => a - b).map(([, level]) => level);
}
