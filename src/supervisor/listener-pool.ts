// One [eventlistener:x] pool, as supervisord's EventListenerPool
// (supervisor/process.py): a bounded buffer of events, each sent to the first
// RUNNING listener that said READY, re-sent when a listener answers FAIL or
// dies while busy. Pure: every call returns the next pool and what to write.
import type { ProcessStateName } from '../model/index.ts';
import type { EventTypeName } from './events.ts';
import { eventEnvelope, eventMatches, nextSerial } from './events.ts';
import type { ListenerParser } from './listener-protocol.ts';
import { feedListenerOutput, initialListenerParser, markBusy } from './listener-protocol.ts';

export interface ListenerPoolConfig {
  readonly name: string; // pool name: [eventlistener:NAME]
  readonly bufferSize: number; // buffer_size, >= 1
  readonly events: readonly string[]; // events= names
  readonly server: string; // [supervisord] identifier, the header's server:
}

// An event as every pool sees it; `serial` comes from one global counter.
export interface SupervisorEvent {
  readonly serial: number;
  readonly name: EventTypeName;
  readonly payload: string;
}

export interface PooledEvent extends SupervisorEvent {
  readonly poolSerial: number;
}

export interface ListenerSlot {
  readonly parser: ListenerParser;
  readonly running: boolean; // process state is RUNNING: only then may it get events
  readonly event: PooledEvent | null; // sent and not yet answered
}

export interface ListenerPoolState {
  readonly serial: number; // last pool serial handed out, -1 before the first
  readonly buffer: readonly PooledEvent[]; // oldest first
  readonly listeners: Readonly<Record<string, ListenerSlot>>; // in process order
}

export type PoolEffect =
  | { readonly type: 'send'; readonly listener: string; readonly data: string; readonly serial: number }
  | { readonly type: 'log'; readonly level: 'debug' | 'warn' | 'error'; readonly message: string };

export interface PoolStep {
  readonly pool: ListenerPoolState;
  readonly effects: readonly PoolEffect[];
}

interface Scratch {
  pool: ListenerPoolState;
  effects: PoolEffect[];
  readonly config: ListenerPoolConfig;
}

export function createListenerPool(listenerNames: readonly string[]): ListenerPoolState {
  const listeners: Record<string, ListenerSlot> = {};
  for (const name of listenerNames) listeners[name] = { parser: initialListenerParser(), running: false, event: null };
  return { serial: -1, buffer: [], listeners };
}

// events.notify() for this pool: buffer the event when subscribed, then dispatch.
export function poolNotify(pool: ListenerPoolState, config: ListenerPoolConfig, event: SupervisorEvent): PoolStep {
  if (!eventMatches(config.events, event.name)) return { pool, effects: [] };
  const scratch: Scratch = { pool, effects: [], config };
  const poolSerial = nextSerial(pool.serial);
  scratch.pool = { ...pool, serial: poolSerial };
  acceptEvent(scratch, { ...event, poolSerial }, false);
  dispatch(scratch);
  return { pool: scratch.pool, effects: scratch.effects };
}

// Bytes from a listener's stdout: READY makes it dispatchable, RESULT OK
// completes the event, FAIL or a protocol error re-buffers it at the head.
export function poolListenerOutput(
  pool: ListenerPoolState,
  config: ListenerPoolConfig,
  listener: string,
  chunk: Buffer,
): PoolStep {
  const slot = pool.listeners[listener];
  if (slot === undefined) return { pool, effects: [] };
  const scratch: Scratch = { pool, effects: [], config };
  const fed = feedListenerOutput(slot.parser, chunk, listener);
  let event = slot.event;
  for (const output of fed.outputs) {
    if (output.type === 'log') {
      scratch.effects.push(output);
    } else if (output.type === 'result') {
      if (!output.ok && event !== null) acceptEvent(scratch, event, true); // RESULT FAIL: re-send
      event = null;
    } else if (output.type === 'unknown') {
      if (output.rejectsEvent && event !== null) acceptEvent(scratch, event, true);
      event = null;
    }
  }
  setSlot(scratch, listener, { ...slot, parser: fed.parser, event });
  dispatch(scratch);
  return { pool: scratch.pool, effects: scratch.effects };
}

// A listener process was spawned: a new pipe, so a new ACKNOWLEDGED parser.
export function poolListenerSpawned(pool: ListenerPoolState, config: ListenerPoolConfig, listener: string): PoolStep {
  const scratch: Scratch = { pool, effects: [], config };
  setSlot(scratch, listener, { parser: initialListenerParser(), running: false, event: null });
  return { pool: scratch.pool, effects: scratch.effects };
}

// The listener's process state changed: only RUNNING listeners get events.
export function poolListenerState(
  pool: ListenerPoolState,
  config: ListenerPoolConfig,
  listener: string,
  state: ProcessStateName,
): PoolStep {
  const slot = pool.listeners[listener];
  if (slot === undefined) return { pool, effects: [] };
  const scratch: Scratch = { pool, effects: [], config };
  setSlot(scratch, listener, { ...slot, running: state === 'RUNNING' });
  dispatch(scratch);
  return { pool: scratch.pool, effects: scratch.effects };
}

// The listener process exited (finish()), or writing to its stdin failed
// (EPIPE): an unanswered event goes back to the head of the buffer
// (EventRejectedEvent) and on to another listener.
export function poolListenerGone(pool: ListenerPoolState, config: ListenerPoolConfig, listener: string): PoolStep {
  const slot = pool.listeners[listener];
  if (slot === undefined) return { pool, effects: [] };
  const scratch: Scratch = { pool, effects: [], config };
  if (slot.event !== null) acceptEvent(scratch, slot.event, true);
  setSlot(scratch, listener, { ...slot, running: false, event: null });
  dispatch(scratch);
  return { pool: scratch.pool, effects: scratch.effects };
}

function setSlot(scratch: Scratch, listener: string, slot: ListenerSlot): void {
  scratch.pool = { ...scratch.pool, listeners: { ...scratch.pool.listeners, [listener]: slot } };
}

// _acceptEvent(): a full buffer drops its OLDEST event, even when the new
// one is a re-buffered event going to the head (supervisord does the same).
function acceptEvent(scratch: Scratch, event: PooledEvent, head: boolean): void {
  const { config } = scratch;
  let buffer = [...scratch.pool.buffer];
  if (head) {
    scratch.effects.push({
      type: 'log',
      level: 'debug',
      message: `rebuffering event ${event.serial} for pool ${config.name} (buf size=${buffer.length}, max=${config.bufferSize})`,
    });
  }
  if (buffer.length >= config.bufferSize && buffer.length > 0) {
    const discarded = buffer[0] as PooledEvent;
    buffer = buffer.slice(1);
    scratch.effects.push({
      type: 'log',
      level: 'error',
      message: `pool ${config.name} event buffer overflowed, discarding event ${discarded.serial}`,
    });
  }
  buffer = head ? [event, ...buffer] : [...buffer, event];
  scratch.pool = { ...scratch.pool, buffer };
}

// dispatch(): oldest first, each to the first RUNNING + READY listener; stop
// at the first event no listener can take.
function dispatch(scratch: Scratch): void {
  const { config } = scratch;
  while (scratch.pool.buffer.length > 0) {
    const event = scratch.pool.buffer[0] as PooledEvent;
    const entry = Object.entries(scratch.pool.listeners).find(
      ([, slot]) => slot.running && slot.parser.state === 'READY',
    );
    if (entry === undefined) return;
    const [listener, slot] = entry;
    const busy = markBusy(slot.parser, listener);
    scratch.pool = { ...scratch.pool, buffer: scratch.pool.buffer.slice(1) };
    setSlot(scratch, listener, { ...slot, parser: busy.parser, event });
    const data = eventEnvelope({
      server: config.server,
      serial: event.serial,
      pool: config.name,
      poolSerial: event.poolSerial,
      eventName: event.name,
      payload: event.payload,
    });
    scratch.effects.push({ type: 'send', listener, data, serial: event.serial });
    if (busy.log.type === 'log') scratch.effects.push(busy.log);
    scratch.effects.push({ type: 'log', level: 'debug', message: `event ${event.serial} sent to listener ${listener}` });
  }
}
