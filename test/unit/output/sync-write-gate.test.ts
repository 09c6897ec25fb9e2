import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ASYNC_BACKOFF_MS, SLOW_SYNC_WRITE_MS, SyncWriteGate, locallyBacked } from '../../../src/output/sync-write-gate.ts';
import { tempDir } from './helpers.ts';

// A gate on a hand-moved clock; `write(ms)` is a synchronous write taking ms.
function gate(allowed = true) {
  let now = 1_000_000;
  const g = new SyncWriteGate(allowed, () => now);
  return {
    g,
    advance: (ms: number) => (now += ms),
    write: (ms: number) =>
      g.timed(() => {
        now += ms;
        return ms;
      }),
  };
}

describe('SyncWriteGate', () => {
  it('stays open while writes are fast', () => {
    const { g, write } = gate();
    for (let i = 0; i < 100; i++) write(SLOW_SYNC_WRITE_MS);
    assert.equal(g.open, true);
  });

  it('closes for ASYNC_BACKOFF_MS after one slow write, then opens again', () => {
    const { g, write, advance } = gate();
    assert.equal(write(SLOW_SYNC_WRITE_MS + 1), SLOW_SYNC_WRITE_MS + 1);
    assert.equal(g.open, false);
    advance(ASYNC_BACKOFF_MS - 1);
    assert.equal(g.open, false);
    advance(1);
    assert.equal(g.open, true);
  });

  it('closes after a failed write and rethrows its error', () => {
    const { g } = gate();
    const error = Object.assign(new Error('no space'), { code: 'ENOSPC' });
    assert.throws(
      () =>
        g.timed(() => {
          throw error;
        }),
      error,
    );
    assert.equal(g.open, false);
  });

  it('never opens for a destination that does not qualify, until reset says it does', () => {
    const { g } = gate(false);
    assert.equal(g.open, false);
    g.reset(true);
    assert.equal(g.open, true);
  });
});

describe('locallyBacked', () => {
  it('is true for a regular file on a local filesystem, false for a FIFO, a directory and an fd that is not open', async (t) => {
    const dir = tempDir(t);
    const file = openSync(join(dir, 'log'), 'w');
    t.after(() => closeSync(file));
    assert.equal(await locallyBacked(file), true);

    execFileSync('mkfifo', [join(dir, 'fifo')]);
    const fifo = openSync(join(dir, 'fifo'), constants.O_RDONLY | constants.O_NONBLOCK);
    t.after(() => closeSync(fifo));
    assert.equal(await locallyBacked(fifo), false);

    const directory = openSync(dir, 'r');
    t.after(() => closeSync(directory));
    assert.equal(await locallyBacked(directory), false);

    // Not open (a closed fd's number could be reused meanwhile).
    assert.equal(await locallyBacked(999_999), false);
  });
});
