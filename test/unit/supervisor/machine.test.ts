// Table-driven tests of the process state machine against supervisord 4.x
// process.py semantics: one table per event, one row per branch.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProcessStateName } from '../../../src/control/api.ts';
import type { MachineFault, ProcessMachineState } from '../../../src/supervisor/machine.ts';
import { initialProcessState } from '../../../src/supervisor/machine.ts';
import { actions, changes, logs, policy, running, state, step, T0 } from './machine-helpers.ts';

describe('start', () => {
  const rejected: { name: string; from: ProcessMachineState; fault: MachineFault; message: string; log?: string }[] = [
    { name: 'STARTING', from: state({ name: 'STARTING', pid: 42 }), fault: 'ALREADY_STARTED', message: 'web' },
    { name: 'RUNNING', from: running(), fault: 'ALREADY_STARTED', message: 'web' },
    { name: 'BACKOFF', from: state({ name: 'BACKOFF', backoff: 1 }), fault: 'ALREADY_STARTED', message: 'web' },
    {
      name: 'STOPPING (old child alive)',
      from: state({ name: 'STOPPING', pid: 42, killing: true }),
      fault: 'ALREADY_STARTED',
      message: 'web',
      log: "warn: process 'web' already running",
    },
    { name: 'UNKNOWN', from: state({ name: 'UNKNOWN', pid: 42 }), fault: 'FAILED', message: 'web is in an unknown process state' },
    { name: 'shutting down', from: state({ shuttingDown: true }), fault: 'SHUTDOWN_STATE', message: 'web' },
  ];
  for (const row of rejected) {
    it(`is rejected in ${row.name} with ${row.fault}`, () => {
      const result = step(row.from, { type: 'start' });
      assert.deepEqual(result.rejected, { fault: row.fault, message: row.message });
      assert.equal(result.state, row.from);
      assert.deepEqual(logs(result.effects), row.log ? [row.log] : []);
    });
  }

  const accepted: { from: ProcessMachineState; tries: number }[] = [
    { from: initialProcessState(), tries: 0 },
    { from: state({ name: 'EXITED', exitstatus: 1, spawnError: 'Bad exit code 1' }), tries: 0 },
    { from: state({ name: 'FATAL', spawnError: "can't find command 'x'" }), tries: 0 },
    // a stop in BACKOFF keeps the failure count, as supervisord's kill() does
    { from: state({ name: 'STOPPED', backoff: 2, administrativeStop: true }), tries: 2 },
  ];
  for (const row of accepted) {
    it(`${row.from.name} -> STARTING with a spawn effect (tries ${row.tries})`, () => {
      const result = step(row.from, { type: 'start' }, policy(), T0 + 5);
      assert.equal(result.rejected, null);
      assert.deepEqual(result.effects, [
        { type: 'stateChange', from: row.from.name, to: 'STARTING', expected: true, pid: 0, tries: row.tries },
        { type: 'spawn' },
      ]);
      assert.equal(result.state.name, 'STARTING');
      assert.equal(result.state.startedAt, T0 + 5);
      assert.equal(result.state.spawnError, null);
      assert.equal(result.state.exitstatus, null);
      assert.equal(result.state.administrativeStop, false);
      assert.equal(result.state.timer, null);
    });
  }
});

describe('spawned / spawnFailed', () => {
  const starting = state({ name: 'STARTING', startedAt: T0 });

  it('records the pid and arms the startsecs timer', () => {
    const result = step(starting, { type: 'spawned', pid: 42 }, policy({ startsecs: 3 }), T0 + 2);
    assert.equal(result.state.pid, 42);
    assert.equal(result.state.timer, T0 + 3000);
    assert.equal(result.state.name, 'STARTING');
    assert.deepEqual(logs(result.effects), ["info: spawned: 'web' with pid 42"]);
  });

  it('startsecs=0: STARTING -> RUNNING at once', () => {
    const result = step(starting, { type: 'spawned', pid: 42 }, policy({ startsecs: 0 }));
    assert.deepEqual(changes(result.effects), ['STARTING->RUNNING']);
    assert.equal(result.state.timer, null);
    assert.deepEqual(logs(result.effects), [
      "info: spawned: 'web' with pid 42",
      'info: success: web entered RUNNING state, process has stayed up for > than 0 seconds (startsecs)',
    ]);
  });

  const failures: { startretries: number; backoff: number; to: string[]; timer: number | null }[] = [
    { startretries: 3, backoff: 0, to: ['STARTING->BACKOFF'], timer: T0 + 1000 },
    { startretries: 3, backoff: 2, to: ['STARTING->BACKOFF'], timer: T0 + 3000 },
    { startretries: 0, backoff: 0, to: ['STARTING->BACKOFF', 'BACKOFF->FATAL'], timer: null },
  ];
  for (const row of failures) {
    it(`spawnFailed with startretries=${row.startretries}, backoff=${row.backoff}: ${row.to.join(', ')}`, () => {
      const from = state({ name: 'STARTING', startedAt: T0, backoff: row.backoff });
      const message = "can't find command 'nope'";
      const result = step(from, { type: 'spawnFailed', message }, policy({ startretries: row.startretries }));
      assert.deepEqual(changes(result.effects), row.to);
      assert.equal(result.state.timer, row.timer);
      assert.equal(result.state.spawnError, message);
      assert.equal(logs(result.effects)[0], "info: spawnerr: can't find command 'nope'");
      assert.deepEqual(actions(result.effects), []);
    });
  }

  it('ignores spawned and spawnFailed outside STARTING', () => {
    for (const event of [{ type: 'spawned', pid: 7 }, { type: 'spawnFailed', message: 'x' }] as const) {
      const result = step(running(), event);
      assert.equal(result.state.name, 'RUNNING');
      assert.equal(result.state.pid, 42);
      assert.deepEqual(changes(result.effects), []);
      assert.equal(result.rejected, null);
    }
  });
});

describe('timer', () => {
  it('STARTING -> RUNNING when startsecs elapsed', () => {
    const from = state({ name: 'STARTING', pid: 42, startedAt: T0, timer: T0 + 1000, backoff: 2 });
    const result = step(from, { type: 'timer' }, policy(), T0 + 1000);
    assert.deepEqual(changes(result.effects), ['STARTING->RUNNING']);
    assert.equal(result.state.backoff, 0);
    assert.equal(result.state.timer, null);
    assert.deepEqual(logs(result.effects), [
      'info: success: web entered RUNNING state, process has stayed up for > than 1 seconds (startsecs)',
    ]);
  });

  it('BACKOFF -> STARTING when the retry delay passed', () => {
    const from = state({ name: 'BACKOFF', backoff: 2, timer: T0 + 2000, startedAt: T0 - 500 });
    const result = step(from, { type: 'timer' }, policy(), T0 + 2000);
    assert.deepEqual(result.effects, [
      { type: 'stateChange', from: 'BACKOFF', to: 'STARTING', expected: true, pid: 0, tries: 2 },
      { type: 'spawn' },
    ]);
  });

  it('BACKOFF while shutting down: no retry', () => {
    const from = state({ name: 'BACKOFF', backoff: 1, timer: T0, shuttingDown: true });
    const result = step(from, { type: 'timer' });
    assert.deepEqual(result.effects, []);
    assert.equal(result.state.name, 'BACKOFF');
    assert.equal(result.state.timer, null);
  });

  const escalations: { killasgroup: boolean; group: string }[] = [
    { killasgroup: false, group: '' },
    { killasgroup: true, group: 'process group ' },
  ];
  for (const row of escalations) {
    it(`STOPPING past stopwaitsecs: SIGKILL (killasgroup=${row.killasgroup}), no state change, re-armed`, () => {
      const from = state({ name: 'STOPPING', pid: 42, killing: true, timer: T0 });
      const result = step(from, { type: 'timer' }, policy({ killasgroup: row.killasgroup, stopasgroup: !row.killasgroup }), T0 + 1);
      assert.deepEqual(changes(result.effects), []);
      assert.deepEqual(actions(result.effects), [{ type: 'kill', signal: 'SIGKILL', toGroup: row.killasgroup }]);
      assert.deepEqual(logs(result.effects), [
        "warn: killing 'web' (42) with SIGKILL",
        `debug: killing web (pid 42) ${row.group}with signal SIGKILL`,
      ]);
      assert.equal(result.state.timer, T0 + 1 + 10_000);
      assert.equal(result.state.name, 'STOPPING');
    });
  }

  const ignored: { name: string; from: ProcessMachineState; now: number }[] = [
    { name: 'early wake-up in STARTING', from: state({ name: 'STARTING', pid: 42, startedAt: T0, timer: T0 + 1000 }), now: T0 + 999 },
    { name: 'early wake-up in BACKOFF', from: state({ name: 'BACKOFF', backoff: 1, timer: T0 + 1000 }), now: T0 },
    { name: 'no timer armed', from: running(), now: T0 + 99_999 },
  ];
  for (const row of ignored) {
    it(`does nothing on ${row.name}`, () => {
      const result = step(row.from, { type: 'timer' }, policy(), row.now);
      assert.equal(result.state, row.from);
      assert.deepEqual(result.effects, []);
    });
  }
});

describe('stop', () => {
  const notRunning: ProcessStateName[] = ['STOPPED', 'EXITED', 'FATAL', 'UNKNOWN', 'STOPPING'];
  for (const name of notRunning) {
    it(`is rejected in ${name} with NOT_RUNNING`, () => {
      const from = state({ name, pid: name === 'STOPPING' || name === 'UNKNOWN' ? 42 : 0 });
      const result = step(from, { type: 'stop' });
      assert.deepEqual(result.rejected, { fault: 'NOT_RUNNING', message: 'web' });
      assert.equal(result.state, from);
    });
  }

  it('is rejected with FAILED in STARTING before the pid is known', () => {
    const result = step(state({ name: 'STARTING', startedAt: T0 }), { type: 'stop' });
    const message = "attempted to kill web with sig SIGTERM but it wasn't running";
    assert.deepEqual(result.rejected, { fault: 'FAILED', message });
    assert.deepEqual(logs(result.effects), [`debug: ${message}`]);
  });

  const kills: { from: ProcessStateName; stopsignal: string; stopasgroup: boolean; log: string; signal: string }[] = [
    { from: 'RUNNING', stopsignal: 'TERM', stopasgroup: false, log: 'killing web (pid 42) with signal SIGTERM', signal: 'SIGTERM' },
    { from: 'RUNNING', stopsignal: 'INT', stopasgroup: true, log: 'killing web (pid 42) process group with signal SIGINT', signal: 'SIGINT' },
    { from: 'STARTING', stopsignal: 'SIGQUIT', stopasgroup: false, log: 'killing web (pid 42) with signal SIGQUIT', signal: 'SIGQUIT' },
  ];
  for (const row of kills) {
    it(`${row.from} -> STOPPING with ${row.signal} (stopasgroup=${row.stopasgroup})`, () => {
      const from = state({ name: row.from, pid: 42, startedAt: T0, timer: row.from === 'STARTING' ? T0 + 1000 : null });
      const result = step(from, { type: 'stop' }, policy({ stopsignal: row.stopsignal, stopasgroup: row.stopasgroup, killasgroup: !row.stopasgroup }), T0 + 7);
      assert.equal(result.rejected, null);
      assert.deepEqual(changes(result.effects), [`${row.from}->STOPPING`]);
      assert.deepEqual(actions(result.effects), [{ type: 'kill', signal: row.signal, toGroup: row.stopasgroup }]);
      assert.deepEqual(logs(result.effects), [`debug: ${row.log}`]);
      assert.equal(result.state.timer, T0 + 7 + 10_000);
      assert.equal(result.state.killing, true);
      assert.equal(result.state.administrativeStop, true);
    });
  }

  it('BACKOFF -> STOPPED without waiting for the retries', () => {
    const result = step(state({ name: 'BACKOFF', backoff: 2, timer: T0 + 2000 }), { type: 'stop' });
    assert.deepEqual(changes(result.effects), ['BACKOFF->STOPPED']);
    assert.deepEqual(logs(result.effects), ['debug: Attempted to kill web, which is in BACKOFF state.']);
    assert.deepEqual(actions(result.effects), []);
    assert.equal(result.state.timer, null);
    assert.equal(result.state.backoff, 2);
  });

  it('BACKOFF -> FATAL when shutting down (stop_all gives up)', () => {
    const from = state({ name: 'BACKOFF', backoff: 2, timer: T0 + 2000, shuttingDown: true });
    const result = step(from, { type: 'stop' });
    assert.deepEqual(changes(result.effects), ['BACKOFF->FATAL']);
    assert.equal(result.state.backoff, 0);
    assert.equal(result.state.timer, null);
  });

  it('shutdown only sets the flag', () => {
    const result = step(running(), { type: 'shutdown' });
    assert.equal(result.state.shuttingDown, true);
    assert.equal(result.state.name, 'RUNNING');
    assert.deepEqual(result.effects, []);
  });
});

describe('signal', () => {
  const rows: { from: ProcessMachineState; ok: boolean }[] = [
    { from: running(), ok: true },
    { from: state({ name: 'STARTING', pid: 42 }), ok: true },
    { from: state({ name: 'STOPPING', pid: 42, killing: true }), ok: true },
    { from: state({ name: 'BACKOFF' }), ok: false },
    { from: state({ name: 'EXITED' }), ok: false },
  ];
  for (const row of rows) {
    it(`${row.from.name}: ${row.ok ? 'sends' : 'NOT_RUNNING'}`, () => {
      const result = step(row.from, { type: 'signal', signal: 'HUP' });
      if (row.ok) {
        assert.deepEqual(actions(result.effects), [{ type: 'signal', signal: 'SIGHUP' }]);
        assert.deepEqual(logs(result.effects), ['debug: sending web (pid 42) sig SIGHUP']);
      } else {
        assert.deepEqual(result.rejected, { fault: 'NOT_RUNNING', message: 'web' });
        assert.deepEqual(logs(result.effects), ["debug: attempted to send web sig SIGHUP but it wasn't running"]);
      }
    });
  }

  it('a failed kill(2) enters UNKNOWN and reports FAILED', () => {
    const from = state({ name: 'STOPPING', pid: 42, killing: true, timer: T0 });
    const result = step(from, { type: 'signalFailed', intent: 'kill', detail: 'EPERM' });
    assert.deepEqual(changes(result.effects), ['STOPPING->UNKNOWN']);
    assert.deepEqual(result.rejected, { fault: 'FAILED', message: 'unknown problem killing web (42):EPERM' });
    assert.equal(result.state.killing, false);
    assert.equal(result.state.timer, null);
  });
});
