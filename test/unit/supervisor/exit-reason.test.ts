// Issue 10 §3: an exit's last output lines in its log line and spawnerr, as
// the machine builds them from the runner's `output`, and the pure helpers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lastLines, outputDetail, spawnErrors } from '../../../src/supervisor/messages.ts';
import { logs, policy, state, step, T0 } from './machine-helpers.ts';

describe('exit reasons', () => {
  const boom = { channel: 'stderr', lines: ['starting', 'boom: missing DATABASE_URL'] } as const;

  it('STARTING -> BACKOFF: spawnerr says how it exited and quotes the last line; the log line quotes the last lines', () => {
    const from = state({ name: 'STARTING', pid: 42, startedAt: T0, timer: T0 + 1000 });
    const result = step(from, { type: 'exited', code: 1, signal: null, output: boom }, policy(), T0 + 10);
    assert.equal(result.state.spawnError, 'Exited too quickly (exit status 1; stderr: "boom: missing DATABASE_URL")');
    assert.deepEqual(logs(result.effects), ['warn: exited: web (exit status 1; not expected); stderr: "starting\\nboom: missing DATABASE_URL"']);
  });

  it('the last retry: FATAL, and the gave-up line says why', () => {
    const from = state({ name: 'STARTING', pid: 42, startedAt: T0, timer: T0 + 1000, backoff: 3 });
    const result = step(from, { type: 'exited', code: null, signal: 9, output: { channel: 'stdout', lines: [] } }, policy(), T0 + 10);
    assert.equal(result.state.name, 'FATAL');
    assert.equal(result.state.spawnError, 'Exited too quickly (terminated by SIGKILL)');
    assert.match(logs(result.effects).at(-1) ?? '', /^info: gave up: web entered FATAL state, too many start retries too quickly; last: Exited too quickly \(terminated by SIGKILL\)$/);
  });

  it('RUNNING -> EXITED unexpected quotes the output; expected exits and stops do not', () => {
    const running = state({ name: 'RUNNING', pid: 42, startedAt: T0 });
    const bad = step(running, { type: 'exited', code: 2, signal: null, output: boom }, policy({ autorestart: 'false' }), T0 + 5000);
    assert.deepEqual(logs(bad.effects), ['warn: exited: web (exit status 2; not expected); stderr: "starting\\nboom: missing DATABASE_URL"']);
    const good = step(running, { type: 'exited', code: 0, signal: null, output: boom }, policy({ autorestart: 'false' }), T0 + 5000);
    assert.deepEqual(logs(good.effects), ['info: exited: web (exit status 0; expected)']);
  });

  it('without output from the runner, supervisord\'s own text', () => {
    const from = state({ name: 'STARTING', pid: 42, startedAt: T0, timer: T0 + 1000 });
    const result = step(from, { type: 'exited', code: 1, signal: null }, policy(), T0 + 10);
    assert.equal(result.state.spawnError, spawnErrors.exitedTooQuickly);
  });

  it('lastLines: the last non-empty lines, cut to a bound; outputDetail quotes them as one JSON string', () => {
    assert.deepEqual(lastLines(Buffer.from('a\n\nb\r\nc\nd\n\n')), ['b', 'c', 'd']);
    assert.deepEqual(lastLines(Buffer.from(`${'x'.repeat(300)}\n`), 3, 10), ['xxxxxxxxxx...']);
    assert.deepEqual(lastLines(Buffer.alloc(0)), []);
    assert.equal(outputDetail({ channel: 'stderr', lines: ['say "hi"', 'bye'] }), 'stderr: "say \\"hi\\"\\nbye"');
    assert.equal(outputDetail({ channel: 'stderr', lines: [] }), '');
    assert.equal(outputDetail(undefined), '');
  });
});
