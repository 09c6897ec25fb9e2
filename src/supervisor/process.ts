// One supervised process: feeds events to the pure state machine and carries
// out the effects it returns (spawn, kill, timers, logging, notifications).
import { Socket } from 'node:net';
import { logAt } from '../log/logger.ts';
import type { Logger } from '../log/logger.ts';
import type { NativeAddon, SpawnedChild } from '../native/addon.ts';
import { attachPipe } from '../output/index.ts';
import type { OutputSinks, ProgramOutput } from '../output/index.ts';
import { RingBuffer } from '../output/ring-buffer.ts';
import type { Reaper } from '../process/reaper.ts';
import { initialProcessState, transition } from './machine.ts';
import type { Effect, ProcessEvent, ProcessMachineState, Rejection } from './machine.ts';
import { isAllowedTransition, parseSignal } from '../model/index.ts';
import type { ExitStatus } from '../model/index.ts';
import { lastOutput, outputsEnded, processLogFields } from './process-report.ts';
import { spawnProcess } from './spawn-process.ts';
import type { ProcessSpec } from './spec.ts';
import { DeadlineTimer } from './deadline-timer.ts';

export type StateChange = Extract<Effect, { type: 'stateChange' }>;

export interface ProcessDeps {
  native: NativeAddon;
  reaper: Reaper;
  sinks: OutputSinks;
  logger: Logger;
  baseEnv: NodeJS.ProcessEnv;
  nameWidth: number;
  colorIndex: number;
  // kill(2); process.kill unless a test drives the process without real children.
  sendSignal?: (target: number, signal: number) => void;
}

export class SupervisedProcess {
  readonly spec: ProcessSpec;
  state: ProcessMachineState = initialProcessState();
  readonly rings = { stdout: new RingBuffer(), stderr: new RingBuffer() };
  // The child's stdin (our end); event listeners get events written to it.
  stdin: Socket | null = null;
  // The child's stdout pipe, for event listeners (their protocol channel).
  stdoutPipe: Socket | null = null;
  // The output routes of the live child's pipes; closed when the process is removed.
  private readonly outputs = new Set<ProgramOutput>();
  private readonly deps: ProcessDeps;
  private readonly changeListeners = new Set<(change: StateChange, process: SupervisedProcess) => void>();
  private readonly spawnListeners = new Set<(process: SupervisedProcess) => void>();
  private readonly outputListeners = new Set<(channel: 'stdout' | 'stderr', data: Buffer, process: SupervisedProcess) => void>();
  private readonly settleListeners = new Set<(changes: readonly StateChange[], process: SupervisedProcess) => void>();
  // State changes of the dispatch in progress, handed to settle listeners.
  private dispatchChanges: StateChange[] = [];
  private queue: ProcessEvent[] = [];
  private dispatching = false;
  private readonly timer = new DeadlineTimer();
  private spawning = false;
  private stopAfterSpawn = false;
  private readonly settleWaiters: (() => void)[] = [];
  // Where this run's output starts in the rings (so an exit's last lines are
  // this run's, not the previous run's).
  private ringStart = { stdout: 0, stderr: 0 };

  constructor(spec: ProcessSpec, deps: ProcessDeps) {
    this.spec = spec;
    this.deps = deps;
  }

  get fullName(): string {
    return `${this.spec.group}:${this.spec.name}`;
  }

  onChange(listener: (change: StateChange, process: SupervisedProcess) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  // Called after each successful spawn, once the new pipes exist.
  onSpawn(listener: (process: SupervisedProcess) => void): () => void {
    this.spawnListeners.add(listener);
    return () => this.spawnListeners.delete(listener);
  }

  // Called once a dispatch has settled (its queue is empty), with the state
  // changes it made: a listener sees the final state, e.g. whether EXITED
  // was followed by a restart in the same dispatch.
  onSettled(listener: (changes: readonly StateChange[], process: SupervisedProcess) => void): () => void {
    this.settleListeners.add(listener);
    return () => this.settleListeners.delete(listener);
  }

  // Every read of a channel whose *_events_enabled is set (a copy of the bytes).
  onOutput(listener: (channel: 'stdout' | 'stderr', data: Buffer, process: SupervisedProcess) => void): () => void {
    this.outputListeners.add(listener);
    return () => this.outputListeners.delete(listener);
  }

  // Feeds one event; events caused while handling it are queued, not nested.
  // Returns the machine's rejection of this event, if any.
  send(event: ProcessEvent): Rejection | null {
    // The machine is STARTING without a pid while the spawn is on a worker;
    // a stop then waits for the pid (supervisord has no such window).
    if (event.type === 'stop' && this.spawning) {
      this.stopAfterSpawn = true;
      return null;
    }
    this.queue.push(event);
    if (this.dispatching) return null;
    this.dispatching = true;
    let firstRejection: Rejection | null = null;
    let first = true;
    try {
      while (this.queue.length > 0) {
        const next = this.queue.shift() as ProcessEvent;
        const before = this.state;
        const result = transition(this.state, next, this.spec.policy, Date.now());
        this.state = result.state;
        if (first) firstRejection = result.rejected;
        first = false;
        for (const effect of result.effects) this.perform(effect, () => processLogFields(this.spec, next, before, result.state));
      }
    } finally {
      this.dispatching = false;
      this.armTimer();
    }
    this.notifySettled();
    return firstRejection;
  }

  private notifySettled(): void {
    if (this.dispatchChanges.length === 0) return;
    const changes = this.dispatchChanges;
    this.dispatchChanges = [];
    for (const listener of this.settleListeners) {
      try {
        listener(changes, this);
      } catch (error) {
        this.deps.logger.error({ err: error }, `settle handler failed for ${this.fullName}`);
      }
    }
  }

  private perform(effect: Effect, fields: () => Record<string, unknown>): void {
    switch (effect.type) {
      case 'spawn':
        this.spawn();
        return;
      case 'kill':
        this.kill(effect.toGroup ? -this.state.pid : this.state.pid, effect.signal, 'kill');
        return;
      case 'signal':
        this.kill(this.state.pid, effect.signal, 'signal');
        return;
      case 'log':
        logAt(this.deps.logger, effect.level, effect.message, fields());
        return;
      case 'stateChange':
        // supervisord asserts each transition (_assertInState); vigil checks
        // the same table on every change and logs a violation as a bug: PID 1
        // must not die of one.
        if (!isAllowedTransition(effect.from, effect.to)) {
          this.deps.logger.error(`bug: ${this.fullName}: transition ${effect.from} -> ${effect.to} is not one of supervisord's`);
        }
        this.dispatchChanges.push(effect);
        for (const listener of this.changeListeners) {
          try {
            listener(effect, this);
          } catch (error) {
            this.deps.logger.error({ err: error }, `state change handler failed for ${this.fullName}`);
          }
        }
        return;
    }
  }

  private kill(target: number, signal: string, intent: 'kill' | 'signal'): void {
    if (target === 0) return;
    const number = parseSignal(signal);
    if (number === null) {
      // The machine only emits names from the signal table; say so if not.
      this.deps.logger.error(`bug: ${this.fullName}: cannot send unknown signal ${signal}`);
      return;
    }
    try {
      (this.deps.sendSignal ?? process.kill)(target, number);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // ESRCH: it exited and the reaper will tell us; nothing else to do.
      if (code === 'ESRCH') return;
      this.send({ type: 'signalFailed', intent, detail: String(code ?? error) });
    }
  }

  // Resolves once no spawn is in flight (the pid is known, or it failed).
  spawnSettled(): Promise<void> {
    if (!this.spawning) return Promise.resolve();
    return new Promise((resolve) => this.settleWaiters.push(resolve));
  }

  private spawn(): void {
    const { deps, spec } = this;
    this.spawning = true;
    deps.reaper.beginSpawn();
    spawnProcess(deps.native, spec, deps.baseEnv, (error, child) => {
      this.spawning = false;
      try {
        if (error || !child) {
          this.send({ type: 'spawnFailed', message: error?.message ?? 'spawn error' });
        } else {
          this.started(child);
        }
      } finally {
        deps.reaper.endSpawn();
      }
      // A stop that came while the spawn was in flight applies now.
      if (this.stopAfterSpawn) {
        this.stopAfterSpawn = false;
        this.send({ type: 'stop' });
      }
      for (const resolve of this.settleWaiters.splice(0)) resolve();
    });
  }

  private started(child: SpawnedChild): void {
    const { deps } = this;
    const pid = child.pid;
    this.ringStart = { stdout: this.rings.stdout.totalBytes, stderr: this.rings.stderr.totalBytes };
    if (child.stdin !== undefined) this.stdin = new Socket({ fd: child.stdin, readable: false, writable: true });
    // A listener that dies leaves EPIPE behind; the exit event handles it.
    this.stdin?.on('error', () => undefined);
    if (child.stdout !== undefined) this.attach(child.stdout, 'stdout');
    if (child.stderr !== undefined) this.attach(child.stderr, 'stderr');
    deps.reaper.watch(pid, (status: ExitStatus) => this.onExit(status));
    for (const listener of this.spawnListeners) {
      // Contained like change listeners: a throw here must not leave the
      // machine STARTING without a pid while the child runs unsupervised.
      try {
        listener(this);
      } catch (error) {
        deps.logger.error({ err: error }, `spawn handler failed for ${this.fullName}`);
      }
    }
    this.send({ type: 'spawned', pid });
  }

  private attach(fd: number, channel: 'stdout' | 'stderr'): void {
    const { deps, spec } = this;
    if (spec.kind === 'eventlistener' && channel === 'stdout') {
      // The listener protocol owns stdout (see listeners.ts); it is not output.
      this.stdoutPipe = new Socket({ fd, readable: true, writable: false });
      this.stdoutPipe.on('error', (error) => deps.logger.debug({ err: error }, `${this.fullName} stdout pipe error`));
      return;
    }
    const destination = channel === 'stdout' ? spec.stdout : spec.stderr;
    const output = attachPipe(fd, {
      sinks: deps.sinks,
      channel,
      processName: spec.name,
      nameWidth: deps.nameWidth,
      colorIndex: deps.colorIndex,
      destination,
      decorate: spec.decorate,
      ring: this.rings[channel],
      logger: deps.logger,
      stripAnsi: spec.stripAnsi,
      ...(spec.logEvents[channel] ? { onChunk: (chunk: Buffer) => this.emitOutput(channel, chunk) } : {}),
    });
    this.outputs.add(output);
    void output.closed.then(() => this.outputs.delete(output));
  }

  private emitOutput(channel: 'stdout' | 'stderr', chunk: Buffer): void {
    if (this.outputListeners.size === 0 || chunk.length === 0) return;
    const data = Buffer.from(chunk); // the read buffer is reused after this call
    for (const listener of this.outputListeners) listener(channel, data, this);
  }

  private onExit(status: ExitStatus): void {
    if (this.stdin) {
      this.stdin.destroy();
      this.stdin = null;
    }
    const exited = { type: 'exited' as const, code: status.code, signal: status.signal };
    if (this.state.killing) {
      this.send(exited); // a requested stop: its output explains nothing
      return;
    }
    // The exit can be reaped before the last bytes of its pipes are read:
    // wait (bounded) for their end so the exit's messages can quote them.
    void outputsEnded([...this.outputs]).then(() => {
      this.send({ ...exited, output: lastOutput(this.rings, this.ringStart, this.spec.redirectStderr) });
    });
  }

  private armTimer(): void {
    this.timer.arm(this.state.timer, () => this.send({ type: 'timer' }));
  }


  // Releases timers and output routes (the process is being removed from the
  // supervisor, stopped first): a pipe still held open by a grandchild that
  // outlived it stops feeding a program that no longer exists.
  dispose(): void {
    this.timer.cancel();
    for (const output of this.outputs) output.close();
    this.outputs.clear();
    this.stdin?.destroy();
    this.stdin = null;
    this.stdoutPipe?.destroy();
    this.stdoutPipe = null;
  }
}
