// Runs supervisord's event notification: PROCESS_STATE_*, SUPERVISOR_STATE_CHANGE_*
// and TICK_* events go to the [eventlistener:x] pools over the listeners'
// stdin/stdout, with the pure pool logic of listener-pool.ts.
import type { Logger } from '../log/logger.ts';
import type { EventTypeName } from './events.ts';
import { nextSerial, nextTickAt, processLogPayload, processStateEventName, processStatePayload, supervisorStateChangePayload, tickPayload, ticksDue } from './events.ts';
import type { TickMemory } from './events.ts';
import {
  createListenerPool,
  poolListenerGone,
  poolListenerOutput,
  poolListenerSpawned,
  poolListenerState,
  poolNotify,
} from './listener-pool.ts';
import type { ListenerPoolConfig, ListenerPoolState, PoolStep } from './listener-pool.ts';
import type { StateChange, SupervisedProcess } from './process.ts';
import type { Supervisor } from './supervisor.ts';

interface Pool {
  config: ListenerPoolConfig;
  state: ListenerPoolState;
  members: Map<string, SupervisedProcess>;
}

export class EventDispatcher {
  private readonly logger: Logger;
  private readonly server: string;
  private readonly pools = new Map<string, Pool>();
  private serial = -1;
  private ticks: TickMemory = {};
  private tickTimer: NodeJS.Timeout | undefined;
  private readonly watched = new WeakSet<SupervisedProcess>();

  constructor(supervisor: Supervisor, logger: Logger, server = 'supervisor') {
    this.logger = logger;
    this.server = server;
    supervisor.onChange((change, process) => this.onStateChange(change, process));
    this.ticks = ticksDue({}, Date.now()).memory;
    this.scheduleTick();
  }

  supervisorRunning(): void {
    this.notify('SUPERVISOR_STATE_CHANGE_RUNNING', supervisorStateChangePayload());
  }

  supervisorStopping(): void {
    this.notify('SUPERVISOR_STATE_CHANGE_STOPPING', supervisorStateChangePayload());
  }

  stop(): void {
    if (this.tickTimer) clearTimeout(this.tickTimer);
  }

  private scheduleTick(): void {
    const now = Date.now();
    this.tickTimer = setTimeout(() => {
      const { memory, due } = ticksDue(this.ticks, Date.now());
      this.ticks = memory;
      for (const tick of due) this.notify(tick.name, tickPayload(tick.when));
      this.scheduleTick();
    }, nextTickAt(now) - now + 1);
    this.tickTimer.unref();
  }

  // The pool of a listener process, created on first sight (also after a reload).
  private poolOf(process: SupervisedProcess): Pool | undefined {
    const { spec } = process;
    if (spec.kind !== 'eventlistener' || !spec.listener) return undefined;
    let pool = this.pools.get(spec.group);
    if (!pool) {
      pool = {
        config: { name: spec.group, bufferSize: spec.listener.bufferSize, events: spec.listener.events, server: this.server },
        state: createListenerPool([]),
        members: new Map(),
      };
      this.pools.set(spec.group, pool);
    }
    if (pool.members.get(spec.name) !== process) {
      pool.members.set(spec.name, process);
      this.apply(pool, poolListenerSpawned(pool.state, pool.config, spec.name));
      process.onSpawn((p) => this.attach(pool as Pool, p));
    }
    return pool;
  }

  private attach(pool: Pool, process: SupervisedProcess): void {
    const name = process.spec.name;
    this.apply(pool, poolListenerSpawned(pool.state, pool.config, name));
    process.stdoutPipe?.on('data', (chunk: Buffer) => {
      this.apply(pool, poolListenerOutput(pool.state, pool.config, name, chunk));
    });
  }

  private onStateChange(change: StateChange, process: SupervisedProcess): void {
    // A process's first change (-> STARTING) comes before its first output.
    if (!this.watched.has(process)) {
      this.watched.add(process);
      process.onOutput((channel, data, p) => this.onOutput(channel, data, p));
    }
    const pool = this.poolOf(process);
    if (pool) {
      const name = process.spec.name;
      if (change.from === 'RUNNING' || change.from === 'STARTING' || change.from === 'STOPPING') {
        if (change.to !== 'RUNNING' && change.to !== 'STOPPING') this.apply(pool, poolListenerGone(pool.state, pool.config, name));
      }
      this.apply(pool, poolListenerState(pool.state, pool.config, name, change.to));
    }
    this.notify(
      processStateEventName(change.to),
      processStatePayload(process.spec.name, process.spec.group, change),
    );
  }

  // dispatchers.py _log(): one PROCESS_LOG_STDOUT/STDERR event per read, when
  // the channel's *_events_enabled is set (bounded by each pool's buffer_size).
  private onOutput(channel: 'stdout' | 'stderr', data: Buffer, process: SupervisedProcess): void {
    const name = channel === 'stdout' ? 'PROCESS_LOG_STDOUT' : 'PROCESS_LOG_STDERR';
    this.notify(name, processLogPayload(process.spec.name, process.spec.group, process.state.pid, channel, data.toString('utf8')));
  }

  private notify(name: EventTypeName, payload: string): void {
    this.serial = nextSerial(this.serial);
    const event = { serial: this.serial, name, payload };
    for (const pool of this.pools.values()) this.apply(pool, poolNotify(pool.state, pool.config, event));
  }

  private apply(pool: Pool, step: PoolStep): void {
    pool.state = step.pool;
    for (const effect of step.effects) {
      if (effect.type === 'log') {
        this.logger[effect.level](effect.message);
        continue;
      }
      const listener = pool.members.get(effect.listener);
      if (!listener?.stdin) {
        this.apply(pool, poolListenerGone(pool.state, pool.config, effect.listener));
        continue;
      }
      listener.stdin.write(effect.data);
    }
  }
}
