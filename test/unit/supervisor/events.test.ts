// Event names, subscription matching and payloads, compared with what
// supervisor 4.2.5's events.py and EventListenerPool._eventEnvelope produce.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventTypeName, ProcessStateChange } from '../../../src/supervisor/events.ts';
import {
  EVENT_TYPE_NAMES,
  eventEnvelope,
  eventMatches,
  isEventTypeName,
  nextSerial,
  nextTickAt,
  processGroupPayload,
  processLogPayload,
  processStateEventName,
  processStatePayload,
  supervisorStateChangePayload,
  ticksDue,
  tickPayload,
} from '../../../src/supervisor/events.ts';

describe('eventMatches', () => {
  const rows: { subscribed: string[]; event: EventTypeName; want: boolean }[] = [
    { subscribed: ['EVENT'], event: 'TICK_5', want: true },
    { subscribed: ['PROCESS_STATE'], event: 'PROCESS_STATE_FATAL', want: true },
    { subscribed: ['PROCESS_STATE'], event: 'PROCESS_STATE_STARTING', want: true },
    { subscribed: ['PROCESS_STATE'], event: 'TICK_60', want: false },
    { subscribed: ['process_state_exited'], event: 'PROCESS_STATE_EXITED', want: true },
    { subscribed: ['PROCESS_STATE_EXITED'], event: 'PROCESS_STATE_FATAL', want: false },
    { subscribed: ['TICK'], event: 'TICK_3600', want: true },
    { subscribed: ['TICK_5'], event: 'TICK_60', want: false },
    { subscribed: ['SUPERVISOR_STATE_CHANGE'], event: 'SUPERVISOR_STATE_CHANGE_STOPPING', want: true },
    { subscribed: ['PROCESS_LOG'], event: 'PROCESS_LOG_STDERR', want: true },
    { subscribed: ['PROCESS_COMMUNICATION'], event: 'PROCESS_LOG_STDOUT', want: false },
    { subscribed: ['PROCESS_GROUP'], event: 'PROCESS_GROUP_ADDED', want: true },
    { subscribed: [], event: 'TICK_5', want: false },
  ];
  for (const row of rows) {
    it(`[${row.subscribed.join(',')}] ${row.want ? 'gets' : 'does not get'} ${row.event}`, () => {
      assert.equal(eventMatches(row.subscribed, row.event), row.want);
    });
  }

  it('knows the 27 names of events.py EventTypes', () => {
    assert.equal(EVENT_TYPE_NAMES.length, 27);
    assert.equal(isEventTypeName('PROCESS_STATE_RUNNING'), true);
    assert.equal(isEventTypeName('PROCESS_STATE_RUN'), false);
    assert.equal(isEventTypeName('toString'), false);
    assert.equal(processStateEventName('BACKOFF'), 'PROCESS_STATE_BACKOFF');
  });
});

describe('payloads (as printed by supervisor 4.2.5)', () => {
  const change = (from: ProcessStateChange['from'], to: ProcessStateChange['to'], expected = true): ProcessStateChange => ({
    from,
    to,
    expected,
    pid: 42,
    tries: 2,
  });
  const rows: { change: ProcessStateChange; want: string }[] = [
    { change: { ...change('STOPPED', 'STARTING'), tries: 0 }, want: 'processname:cat groupname:cat from_state:STOPPED tries:0' },
    { change: change('STARTING', 'BACKOFF'), want: 'processname:cat groupname:cat from_state:STARTING tries:2' },
    { change: change('STARTING', 'RUNNING'), want: 'processname:cat groupname:cat from_state:STARTING pid:42' },
    { change: change('RUNNING', 'EXITED', false), want: 'processname:cat groupname:cat from_state:RUNNING expected:0 pid:42' },
    { change: change('RUNNING', 'EXITED', true), want: 'processname:cat groupname:cat from_state:RUNNING expected:1 pid:42' },
    { change: change('RUNNING', 'STOPPING'), want: 'processname:cat groupname:cat from_state:RUNNING pid:42' },
    { change: change('STOPPING', 'STOPPED'), want: 'processname:cat groupname:cat from_state:STOPPING pid:42' },
    { change: change('BACKOFF', 'FATAL'), want: 'processname:cat groupname:cat from_state:BACKOFF' },
    { change: change('RUNNING', 'UNKNOWN'), want: 'processname:cat groupname:cat from_state:RUNNING' },
  ];
  for (const row of rows) {
    it(`PROCESS_STATE_${row.change.to} from ${row.change.from}`, () => {
      assert.equal(processStatePayload('cat', 'cat', row.change), row.want);
    });
  }

  it('PROCESS_LOG, TICK, PROCESS_GROUP and SUPERVISOR_STATE_CHANGE', () => {
    assert.equal(processLogPayload('cat', 'cat', 42, 'stdout', 'hi\n'), 'processname:cat groupname:cat pid:42 channel:stdout\nhi\n');
    assert.equal(tickPayload(1700000000), 'when:1700000000');
    assert.equal(processGroupPayload('g'), 'groupname:g\n');
    assert.equal(supervisorStateChangePayload(), '');
  });
});

describe('eventEnvelope', () => {
  const rows: { eventName: EventTypeName; serial: number; poolSerial: number; payload: string; want: string }[] = [
    {
      eventName: 'PROCESS_STATE_RUNNING',
      serial: 7,
      poolSerial: 3,
      payload: 'processname:cat groupname:cat from_state:STARTING pid:42',
      want:
        'ver:3.0 server:supervisor serial:7 pool:listener poolserial:3 eventname:PROCESS_STATE_RUNNING len:56\n' +
        'processname:cat groupname:cat from_state:STARTING pid:42',
    },
    {
      eventName: 'SUPERVISOR_STATE_CHANGE_RUNNING',
      serial: 0,
      poolSerial: 0,
      payload: '',
      want: 'ver:3.0 server:supervisor serial:0 pool:listener poolserial:0 eventname:SUPERVISOR_STATE_CHANGE_RUNNING len:0\n',
    },
    {
      // len counts code points like Python's len(str), not UTF-8 bytes
      eventName: 'PROCESS_LOG_STDOUT',
      serial: 0,
      poolSerial: 0,
      payload: 'é€x😀',
      want: 'ver:3.0 server:supervisor serial:0 pool:listener poolserial:0 eventname:PROCESS_LOG_STDOUT len:4\né€x😀',
    },
  ];
  for (const row of rows) {
    it(`${row.eventName} len:${row.want.match(/len:(\d+)/)?.[1]}`, () => {
      assert.equal(eventEnvelope({ server: 'supervisor', pool: 'listener', ...row }), row.want);
    });
  }
});

describe('ticks', () => {
  it('remembers slices on the first call, then fires on each roll-over', () => {
    const first = ticksDue({}, 1_700_000_001_000);
    assert.deepEqual(first.due, []);
    const same = ticksDue(first.memory, 1_700_000_004_999);
    assert.deepEqual(same.due, []);
    const next = ticksDue(same.memory, 1_700_000_005_000);
    assert.deepEqual(next.due, [{ name: 'TICK_5', when: 1_700_000_005 }]);
    const minute = ticksDue(next.memory, 1_700_000_040_500);
    assert.deepEqual(minute.due, [
      { name: 'TICK_5', when: 1_700_000_040 },
      { name: 'TICK_60', when: 1_700_000_040 },
    ]);
  });

  it('nextTickAt is the next 5 s boundary', () => {
    assert.equal(nextTickAt(1_700_000_001_234), 1_700_000_005_000);
    assert.equal(nextTickAt(1_700_000_005_000), 1_700_000_010_000);
  });

  it('serials count up and wrap to 0', () => {
    assert.equal(nextSerial(-1), 0);
    assert.equal(nextSerial(41), 42);
    assert.equal(nextSerial(Number.MAX_SAFE_INTEGER), 0);
  });
});
