// The listener pool: buffering, dispatch to READY listeners, re-send on FAIL
// or death, overflow dropping the oldest event, pool serials.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ListenerPoolConfig, ListenerPoolState, PoolEffect, PoolStep } from '../../../src/supervisor/listener-pool.ts';
import {
  createListenerPool,
  poolListenerGone,
  poolListenerOutput,
  poolListenerSpawned,
  poolListenerState,
  poolNotify,
} from '../../../src/supervisor/listener-pool.ts';

const config: ListenerPoolConfig = { name: 'crashmail', bufferSize: 3, events: ['PROCESS_STATE'], server: 'supervisor' };

function sends(effects: readonly PoolEffect[]): string[] {
  return effects.flatMap((effect) => (effect.type === 'send' ? [`${effect.listener}#${effect.serial}`] : []));
}

function errors(effects: readonly PoolEffect[]): string[] {
  return effects.flatMap((effect) => (effect.type === 'log' && effect.level === 'error' ? [effect.message] : []));
}

// A pool whose listeners are RUNNING and have said READY.
function readyPool(names: string[]): ListenerPoolState {
  let pool = createListenerPool(names);
  for (const name of names) {
    pool = poolListenerSpawned(pool, config, name).pool;
    pool = poolListenerState(pool, config, name, 'RUNNING').pool;
    pool = poolListenerOutput(pool, config, name, Buffer.from('READY\n')).pool;
  }
  return pool;
}

const event = (serial: number) => ({ serial, name: 'PROCESS_STATE_RUNNING', payload: `p${serial}` }) as const;

describe('listener pool', () => {
  it('sends an event to a READY listener with the full envelope', () => {
    const step = poolNotify(readyPool(['a']), config, event(7));
    const send = step.effects.find((effect) => effect.type === 'send');
    assert.deepEqual(send, {
      type: 'send',
      listener: 'a',
      serial: 7,
      data: 'ver:3.0 server:supervisor serial:7 pool:crashmail poolserial:0 eventname:PROCESS_STATE_RUNNING len:2\np7',
    });
    assert.equal(step.pool.listeners['a']?.parser.state, 'BUSY');
    assert.equal(step.pool.buffer.length, 0);
  });

  it('ignores events it did not subscribe to', () => {
    const step = poolNotify(readyPool(['a']), config, { serial: 1, name: 'TICK_5', payload: 'when:5' });
    assert.deepEqual(step.effects, []);
    assert.equal(step.pool.serial, -1);
  });

  it('buffers until a listener is RUNNING and READY, in order', () => {
    let pool = poolListenerSpawned(createListenerPool(['a']), config, 'a').pool;
    pool = poolNotify(pool, config, event(1)).pool;
    pool = poolNotify(pool, config, event(2)).pool;
    let step: PoolStep = poolListenerOutput(pool, config, 'a', Buffer.from('READY\n'));
    assert.deepEqual(sends(step.effects), [], 'STARTING listeners get nothing');
    step = poolListenerState(step.pool, config, 'a', 'RUNNING');
    assert.deepEqual(sends(step.effects), ['a#1']);
    step = poolListenerOutput(step.pool, config, 'a', Buffer.from('RESULT 2\nOKREADY\n'));
    assert.deepEqual(sends(step.effects), ['a#2']);
    assert.deepEqual(step.pool.buffer, []);
  });

  it('spreads events over READY listeners, first listener first', () => {
    let pool = readyPool(['a', 'b']);
    const sent: string[] = [];
    for (const serial of [1, 2, 3]) {
      const step = poolNotify(pool, config, event(serial));
      pool = step.pool;
      sent.push(...sends(step.effects));
    }
    assert.deepEqual(sent, ['a#1', 'b#2']);
    assert.deepEqual(pool.buffer.map((queued) => queued.serial), [3]);
    assert.deepEqual(pool.buffer.map((queued) => queued.poolSerial), [2]);
  });

  it('re-sends an event answered with FAIL, same serials', () => {
    let step = poolNotify(readyPool(['a']), config, event(5));
    step = poolListenerOutput(step.pool, config, 'a', Buffer.from('RESULT 4\nFAILREADY\n'));
    const send = step.effects.find((effect) => effect.type === 'send');
    assert.ok(send?.type === 'send');
    assert.match(send.data, /^ver:3\.0 server:supervisor serial:5 pool:crashmail poolserial:0 /);
    assert.ok(step.effects.some((effect) => effect.type === 'log' && effect.message === 'a: event was rejected'));
  });

  it('re-buffers at the head when a busy listener dies, and sends it to another', () => {
    let pool = readyPool(['a', 'b']);
    pool = poolNotify(pool, config, event(1)).pool; // to a
    pool = poolNotify(pool, config, event(2)).pool; // to b
    pool = poolNotify(pool, config, event(3)).pool; // buffered
    let step = poolListenerGone(pool, config, 'a');
    assert.deepEqual(step.pool.buffer.map((queued) => queued.serial), [1, 3]);
    step = poolListenerOutput(step.pool, config, 'b', Buffer.from('RESULT 2\nOKREADY\n'));
    assert.deepEqual(sends(step.effects), ['b#1']);
  });

  it('drops the OLDEST event when the buffer overflows', () => {
    let pool = createListenerPool(['a']);
    const logged: string[] = [];
    for (const serial of [1, 2, 3, 4, 5]) {
      const step = poolNotify(pool, config, event(serial));
      pool = step.pool;
      logged.push(...errors(step.effects));
    }
    assert.deepEqual(pool.buffer.map((queued) => queued.serial), [3, 4, 5]);
    assert.deepEqual(logged, [
      'pool crashmail event buffer overflowed, discarding event 1',
      'pool crashmail event buffer overflowed, discarding event 2',
    ]);
    assert.equal(pool.serial, 4);
  });

  it('a protocol violation by a busy listener re-buffers its event', () => {
    let step = poolNotify(readyPool(['a']), config, event(9));
    step = poolListenerOutput(step.pool, config, 'a', Buffer.from('garbage\n'));
    assert.equal(step.pool.listeners['a']?.parser.state, 'UNKNOWN');
    assert.deepEqual(step.pool.buffer.map((queued) => queued.serial), [9]);
  });
});
