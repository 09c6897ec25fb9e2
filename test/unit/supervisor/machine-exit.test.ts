// Exits: supervisord's finish() branches (stopped, too quickly, exited
// expected/unexpected), autorestart x exit code, and the startretries
// progression to FATAL driven the way the runner drives it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProcessMachineState, ProcessPolicy } from '../../../src/supervisor/machine.ts';
import { initialProcessState, transition } from '../../../src/supervisor/machine.ts';
import { actions, changes, logs, policy, running, state, step, T0 } from './machine-helpers.ts';

const SIGKILL = { code: null, signal: 9 } as const;
const code = (value: number) => ({ code: value, signal: null }) as const;

describe('exited while RUNNING: autorestart x exit status', () => {
  const rows: {
    autorestart: ProcessPolicy['autorestart'];
    exit: { code: number | null; signal: number | null };
    expected: boolean;
    restart: boolean;
    log: string;
  }[] = [
    { autorestart: 'false', exit: code(0), expected: true, restart: false, log: 'info: exited: web (exit status 0; expected)' },
    { autorestart: 'false', exit: code(1), expected: false, restart: false, log: 'warn: exited: web (exit status 1; not expected)' },
    { autorestart: 'unexpected', exit: code(0), expected: true, restart: false, log: 'info: exited: web (exit status 0; expected)' },
    { autorestart: 'unexpected', exit: code(1), expected: false, restart: true, log: 'warn: exited: web (exit status 1; not expected)' },
    { autorestart: 'unexpected', exit: SIGKILL, expected: false, restart: true, log: 'warn: exited: web (terminated by SIGKILL; not expected)' },
    { autorestart: 'true', exit: code(0), expected: true, restart: true, log: 'info: exited: web (exit status 0; expected)' },
    { autorestart: 'true', exit: code(1), expected: false, restart: true, log: 'warn: exited: web (exit status 1; not expected)' },
  ];
  for (const row of rows) {
    const what = row.exit.code ?? row.exit.signal;
    it(`autorestart=${row.autorestart}, ${what}: ${row.restart ? 'restarts at once' : 'stays EXITED'}`, () => {
      const result = step(running(), { type: 'exited', ...row.exit }, policy({ autorestart: row.autorestart }), T0 + 5000);
      const exitedChange = result.effects.find((effect) => effect.type === 'stateChange');
      assert.deepEqual(exitedChange, { type: 'stateChange', from: 'RUNNING', to: 'EXITED', expected: row.expected, pid: 42, tries: 0 });
      assert.deepEqual(logs(result.effects), [row.log]);
      assert.equal(result.state.pid, 0);
      assert.equal(result.state.stoppedAt, T0 + 5000);
      assert.deepEqual(result.state.lastExit, row.exit);
      if (row.restart) {
        assert.deepEqual(changes(result.effects), ['RUNNING->EXITED', 'EXITED->STARTING']);
        assert.deepEqual(actions(result.effects), [{ type: 'spawn' }]);
        assert.equal(result.state.startedAt, T0 + 5000);
        assert.equal(result.state.exitstatus, null); // spawn() clears it, as supervisord
      } else {
        assert.deepEqual(changes(result.effects), ['RUNNING->EXITED']);
        assert.deepEqual(actions(result.effects), []);
        assert.equal(result.state.exitstatus, row.exit.code ?? 137);
        assert.equal(result.state.spawnError, row.expected ? null : `Bad exit code ${row.exit.code ?? -1}`);
      }
    });
  }

  it('exitcodes decides what is expected', () => {
    const result = step(running(), { type: 'exited', ...code(3) }, policy({ exitcodes: [0, 3] }));
    assert.deepEqual(changes(result.effects), ['RUNNING->EXITED']);
  });

  it('never restarts while shutting down', () => {
    const result = step(running({ shuttingDown: true }), { type: 'exited', ...code(1) }, policy({ autorestart: 'true' }));
    assert.deepEqual(changes(result.effects), ['RUNNING->EXITED']);
    assert.deepEqual(actions(result.effects), []);
  });
});

describe('exited while STARTING', () => {
  const rows: { exit: { code: number | null; signal: number | null }; log: string }[] = [
    { exit: code(0), log: 'warn: exited: web (exit status 0; not expected)' },
    { exit: code(1), log: 'warn: exited: web (exit status 1; not expected)' },
    { exit: SIGKILL, log: 'warn: exited: web (terminated by SIGKILL; not expected)' },
  ];
  for (const row of rows) {
    it(`before startsecs, ${row.exit.code ?? row.exit.signal}: STARTING -> BACKOFF whatever the code`, () => {
      const from = state({ name: 'STARTING', pid: 42, startedAt: T0, timer: T0 + 1000 });
      const result = step(from, { type: 'exited', ...row.exit }, policy(), T0 + 999);
      assert.deepEqual(result.effects, [
        { type: 'stateChange', from: 'STARTING', to: 'BACKOFF', expected: true, pid: 42, tries: 1 },
        { type: 'log', level: 'warn', message: row.log.slice('warn: '.length) },
      ]);
      assert.equal(result.state.backoff, 1);
      assert.equal(result.state.timer, T0 + 999 + 1000);
      assert.equal(result.state.pid, 0);
      assert.equal(result.state.exitstatus, null);
      assert.equal(result.state.spawnError, 'Exited too quickly (process log may have details)');
    });
  }

  it('after startsecs but before the timer ran: STARTING -> RUNNING -> EXITED', () => {
    const from = state({ name: 'STARTING', pid: 42, startedAt: T0, timer: T0 + 1000, backoff: 1 });
    const result = step(from, { type: 'exited', ...code(0) }, policy({ autorestart: 'false' }), T0 + 1000);
    assert.deepEqual(changes(result.effects), ['STARTING->RUNNING', 'RUNNING->EXITED']);
    assert.equal(result.state.backoff, 0);
    assert.equal(result.state.timer, null);
  });
});

describe('exited while STOPPING', () => {
  const rows: { exit: { code: number | null; signal: number | null }; log: string; exitstatus: number }[] = [
    { exit: { code: null, signal: 15 }, log: 'warn: stopped: web (terminated by SIGTERM)', exitstatus: 143 },
    { exit: SIGKILL, log: 'warn: stopped: web (terminated by SIGKILL)', exitstatus: 137 },
    { exit: code(0), log: 'info: stopped: web (exit status 0)', exitstatus: 0 },
    { exit: code(2), log: 'warn: stopped: web (exit status 2)', exitstatus: 2 },
  ];
  for (const row of rows) {
    it(`STOPPING -> STOPPED (${row.log})`, () => {
      const from = state({ name: 'STOPPING', pid: 42, killing: true, startedAt: T0, timer: T0 + 10_000 });
      const result = step(from, { type: 'exited', ...row.exit }, policy({ autorestart: 'true' }), T0 + 100);
      assert.deepEqual(changes(result.effects), ['STOPPING->STOPPED']);
      assert.deepEqual(logs(result.effects), [row.log]);
      assert.deepEqual(actions(result.effects), []);
      assert.equal(result.state.killing, false);
      assert.equal(result.state.timer, null);
      assert.equal(result.state.exitstatus, row.exitstatus);
      assert.equal(result.state.pid, 0);
    });
  }

  const stale: ProcessMachineState[] = [initialProcessState(), state({ name: 'EXITED' }), state({ name: 'BACKOFF', backoff: 1 })];
  for (const from of stale) {
    it(`is ignored in ${from.name} (no child)`, () => {
      const result = step(from, { type: 'exited', ...code(1) });
      assert.equal(result.state, from);
      assert.deepEqual(changes(result.effects), []);
      assert.equal(result.rejected, null);
    });
  }
});

describe('startretries=3: backoff 1 s, 2 s, 3 s, then FATAL', () => {
  it('follows supervisord step by step', () => {
    const p = policy({ startretries: 3 });
    let now = T0;
    let current = initialProcessState();
    const seen: string[] = [];
    const delays: number[] = [];
    let spawns = 0;
    const run = (event: Parameters<typeof transition>[1]) => {
      const result = step(current, event, p, now);
      current = result.state;
      for (const effect of result.effects) {
        if (effect.type === 'stateChange') seen.push(`${effect.to}(${effect.tries})`);
        if (effect.type === 'spawn') spawns += 1;
        if (effect.type === 'log' && effect.message.startsWith('gave up')) seen.push(effect.message);
      }
    };
    run({ type: 'start' });
    for (let attempt = 0; attempt < 10 && current.name !== 'FATAL'; attempt += 1) {
      run({ type: 'spawned', pid: 100 + attempt });
      now += 200; // dies well before startsecs
      run({ type: 'exited', code: 1, signal: null });
      if (current.name === 'BACKOFF') {
        assert.ok(current.timer !== null);
        delays.push(current.timer - now);
        now = current.timer;
        run({ type: 'timer' });
      }
    }
    assert.deepEqual(delays, [1000, 2000, 3000]);
    assert.equal(spawns, 4);
    assert.deepEqual(seen, [
      'STARTING(0)',
      'BACKOFF(1)',
      'STARTING(1)',
      'BACKOFF(2)',
      'STARTING(2)',
      'BACKOFF(3)',
      'STARTING(3)',
      'BACKOFF(4)',
      'FATAL(0)',
      'gave up: web entered FATAL state, too many start retries too quickly',
    ]);
    assert.equal(current.name, 'FATAL');
    assert.equal(current.backoff, 0);
    assert.equal(current.timer, null);
    assert.equal(current.spawnError, 'Exited too quickly (process log may have details)');
    assert.deepEqual(step(current, { type: 'stop' }, p, now).rejected, { fault: 'NOT_RUNNING', message: 'web' });
  });

  it('a success resets the count', () => {
    const from = state({ name: 'STARTING', pid: 42, startedAt: T0, timer: T0 + 1000, backoff: 3 });
    const up = step(from, { type: 'timer' }, policy(), T0 + 1000).state;
    assert.equal(up.backoff, 0);
    const died = step(up, { type: 'exited', ...code(1) }, policy(), T0 + 5000);
    assert.deepEqual(changes(died.effects), ['RUNNING->EXITED', 'EXITED->STARTING']);
    assert.equal(died.state.backoff, 0);
  });
});
