// supervisord's event types and payloads (supervisor/events.py), byte for byte,
// so listeners written against supervisor's docs and childutils work
// unchanged. Pure: the supervisor decides when an event happens, this module
// says what it is called, who subscribed to it and what the listener reads.
import type { ProcessStateName } from '../model/index.ts';

// events.py EventTypes, each with its parent class. A listener subscribed to a
// parent (PROCESS_STATE, TICK, EVENT) receives every descendant, as
// supervisord's isinstance() check does. STARTING and BACKOFF share the
// unnamed ProcessStateStartingOrBackoffEvent, which only adds `tries`.
export const EVENT_PARENT = {
  EVENT: null,
  PROCESS_STATE: 'EVENT',
  PROCESS_STATE_STOPPED: 'PROCESS_STATE',
  PROCESS_STATE_EXITED: 'PROCESS_STATE',
  PROCESS_STATE_STARTING: 'PROCESS_STATE',
  PROCESS_STATE_STOPPING: 'PROCESS_STATE',
  PROCESS_STATE_BACKOFF: 'PROCESS_STATE',
  PROCESS_STATE_FATAL: 'PROCESS_STATE',
  PROCESS_STATE_RUNNING: 'PROCESS_STATE',
  PROCESS_STATE_UNKNOWN: 'PROCESS_STATE',
  PROCESS_COMMUNICATION: 'EVENT',
  PROCESS_COMMUNICATION_STDOUT: 'PROCESS_COMMUNICATION',
  PROCESS_COMMUNICATION_STDERR: 'PROCESS_COMMUNICATION',
  PROCESS_LOG: 'EVENT',
  PROCESS_LOG_STDOUT: 'PROCESS_LOG',
  PROCESS_LOG_STDERR: 'PROCESS_LOG',
  REMOTE_COMMUNICATION: 'EVENT',
  SUPERVISOR_STATE_CHANGE: 'EVENT',
  SUPERVISOR_STATE_CHANGE_RUNNING: 'SUPERVISOR_STATE_CHANGE',
  SUPERVISOR_STATE_CHANGE_STOPPING: 'SUPERVISOR_STATE_CHANGE',
  TICK: 'EVENT',
  TICK_5: 'TICK',
  TICK_60: 'TICK',
  TICK_3600: 'TICK',
  PROCESS_GROUP: 'EVENT',
  PROCESS_GROUP_ADDED: 'PROCESS_GROUP',
  PROCESS_GROUP_REMOVED: 'PROCESS_GROUP',
} as const satisfies Record<string, string | null>;

export type EventTypeName = keyof typeof EVENT_PARENT;

// Every name an `events=` line may list (options.py upper-cases them first).
export const EVENT_TYPE_NAMES: readonly EventTypeName[] = Object.keys(EVENT_PARENT) as EventTypeName[];

export function isEventTypeName(name: string): name is EventTypeName {
  return Object.hasOwn(EVENT_PARENT, name);
}

// Abstract types are never sent themselves, only subscribed to.
export const ABSTRACT_EVENT_TYPES: readonly EventTypeName[] = [
  'EVENT',
  'PROCESS_STATE',
  'PROCESS_COMMUNICATION',
  'PROCESS_LOG',
  'SUPERVISOR_STATE_CHANGE',
  'TICK',
  'PROCESS_GROUP',
];

// True when a pool subscribed to `subscribed` receives `eventName`: the name
// itself or one of its ancestors is listed (case-insensitive, like options.py).
export function eventMatches(subscribed: readonly string[], eventName: EventTypeName): boolean {
  const wanted = new Set(subscribed.map((name) => name.toUpperCase()));
  for (let name: EventTypeName | null = eventName; name !== null; name = EVENT_PARENT[name]) {
    if (wanted.has(name)) return true;
  }
  return false;
}

// The event sent when a process enters `state` (process.py event_map).
export function processStateEventName(state: ProcessStateName): EventTypeName {
  return `PROCESS_STATE_${state}`;
}

// What a PROCESS_STATE_* payload needs; the machine's `stateChange` effect
// carries exactly these, captured when the state changed.
export interface ProcessStateChange {
  readonly from: ProcessStateName;
  readonly to: ProcessStateName;
  readonly expected: boolean;
  readonly pid: number;
  readonly tries: number;
}

// ProcessStateEvent.payload(): `processname:cat groupname:cat from_state:STOPPED tries:0`.
// Extra values by target state follow get_extra_values() of each class.
export function processStatePayload(processName: string, groupName: string, change: ProcessStateChange): string {
  const pairs: [string, string | number][] = [
    ['processname', processName],
    ['groupname', groupName],
    ['from_state', change.from],
  ];
  switch (change.to) {
    case 'STARTING':
    case 'BACKOFF':
      pairs.push(['tries', change.tries]);
      break;
    case 'EXITED':
      pairs.push(['expected', change.expected ? 1 : 0], ['pid', change.pid]);
      break;
    case 'RUNNING':
    case 'STOPPING':
    case 'STOPPED':
      pairs.push(['pid', change.pid]);
      break;
    case 'FATAL':
    case 'UNKNOWN':
      break;
  }
  return pairs.map(([key, value]) => `${key}:${value}`).join(' ');
}

// ProcessLogEvent.payload(): header line, newline, then the output as is.
export function processLogPayload(
  processName: string,
  groupName: string,
  pid: number,
  channel: 'stdout' | 'stderr',
  data: string,
): string {
  return `processname:${processName} groupname:${groupName} pid:${pid} channel:${channel}\n${data}`;
}

// ProcessCommunicationEvent.payload(): like the log payload without `channel`.
export function processCommunicationPayload(processName: string, groupName: string, pid: number, data: string): string {
  return `processname:${processName} groupname:${groupName} pid:${pid}\n${data}`;
}

// RemoteCommunicationEvent.payload() (supervisor.sendRemoteCommEvent).
export function remoteCommunicationPayload(type: string, data: string): string {
  return `type:${type}\n${data}`;
}

// SupervisorStateChangeEvent.payload(): always empty (len:0).
export function supervisorStateChangePayload(): string {
  return '';
}

// ProcessGroupEvent.payload(): note the trailing newline, as events.py has it.
export function processGroupPayload(groupName: string): string {
  return `groupname:${groupName}\n`;
}

// TickEvent.payload(): `when:` the start of the period, in epoch seconds.
export function tickPayload(when: number): string {
  return `when:${when}`;
}

export type TickEventName = 'TICK_5' | 'TICK_60' | 'TICK_3600';

export const TICK_PERIODS: Readonly<Record<TickEventName, number>> = { TICK_5: 5, TICK_60: 60, TICK_3600: 3600 };

// Last timeslice seen per tick type; empty before the first call.
export type TickMemory = Readonly<Partial<Record<TickEventName, number>>>;

// supervisord.tick(): each tick fires when its period's timeslice rolls over;
// the first call only remembers the current slices (no tick at startup).
export function ticksDue(
  memory: TickMemory,
  nowMs: number,
): { memory: TickMemory; due: { name: TickEventName; when: number }[] } {
  const now = nowMs / 1000;
  const next: Partial<Record<TickEventName, number>> = { ...memory };
  const due: { name: TickEventName; when: number }[] = [];
  for (const name of Object.keys(TICK_PERIODS) as TickEventName[]) {
    const period = TICK_PERIODS[name];
    const slice = Math.trunc(now - (now % period)); // supervisord.timeslice()
    const last = memory[name];
    next[name] = slice;
    if (last !== undefined && last !== slice) due.push({ name, when: slice });
  }
  return { memory: next, due };
}

// The ms time of the next tick roll-over, so the runner needs one timer only.
export function nextTickAt(nowMs: number): number {
  const period = TICK_PERIODS.TICK_5 * 1000;
  return nowMs - (nowMs % period) + period;
}

// What supervisord counts as `len`: Python str length, i.e. code points, not
// bytes. Python listeners read stdin in text mode (childutils:
// stdin.read(len)), so a byte count would make them block on non-ASCII data.
export function payloadLength(payload: string): number {
  return Array.from(payload).length;
}

export interface EnvelopeFields {
  readonly server: string; // [supervisord] identifier, default 'supervisor'
  readonly serial: number; // global event serial
  readonly pool: string;
  readonly poolSerial: number;
  readonly eventName: EventTypeName;
  readonly payload: string;
}

// EventListenerPool._eventEnvelope(): header line, then the payload with no
// terminator. Encode as UTF-8 to write it.
export function eventEnvelope(fields: EnvelopeFields): string {
  return (
    `ver:3.0 server:${fields.server} serial:${fields.serial} pool:${fields.pool} ` +
    `poolserial:${fields.poolSerial} eventname:${fields.eventName} len:${payloadLength(fields.payload)}\n` +
    fields.payload
  );
}

// new_serial(): counters wrap to 0 after Python's maxint (sys.maxsize).
export const MAX_SERIAL = Number.MAX_SAFE_INTEGER;

export function nextSerial(current: number): number {
  return current >= MAX_SERIAL ? 0 : current + 1;
}
