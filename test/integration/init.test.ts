// Init mode (`vigil -- CMD`) as real PID 1: exit codes, exec failures, signal
// forwarding, process groups, and reaping (tini's semantics).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { descendants, zombiesUnder } from '../helpers/procfs.ts';
import { FIXTURES, startVigil } from '../helpers/vigil.ts';
import { waitFor } from '../helpers/wait.ts';

const REPORTER = join(FIXTURES, 'signal-reporter.py');

describe('init mode: exit codes', () => {
  for (const code of [0, 1, 42, 255]) {
    it(`passes exit code ${code} through`, async () => {
      const run = startVigil(['--', 'sh', '-c', `exit ${code}`]);
      assert.equal((await run.waitExit()).code, code, run.stderr());
    });
  }
  for (const [signal, number] of [['KILL', 9], ['TERM', 15], ['SEGV', 11]] as const) {
    it(`exits 128+${number} when CMD dies of SIG${signal}`, async () => {
      const run = startVigil(['--', 'sh', '-c', `kill -${signal} $$`]);
      assert.equal((await run.waitExit()).code, 128 + number, run.stderr());
    });
  }
  it('-e maps an exit code to 0, others pass', async () => {
    const mapped = startVigil(['-e', '143', '--', 'sh', '-c', 'kill -TERM $$']);
    assert.equal((await mapped.waitExit()).code, 0, mapped.stderr());
    const other = startVigil(['-e', '143', '--', 'sh', '-c', 'exit 3']);
    assert.equal((await other.waitExit()).code, 3);
  });
});

describe('init mode: exec failures', () => {
  it('exits 127 with a one-line message when CMD is not found', async () => {
    const run = startVigil(['--', 'no-such-command-xyz']);
    assert.equal((await run.waitExit()).code, 127);
    assert.match(run.stderr(), /cannot run 'no-such-command-xyz': not found in PATH/);
    assert.equal(run.stderr().trim().split('\n').length, 1, run.stderr());
  });
  it('exits 127 for a missing absolute path', async () => {
    const run = startVigil(['--', '/nonexistent/bin/x']);
    assert.equal((await run.waitExit()).code, 127);
    assert.match(run.stderr(), /cannot run '\/nonexistent\/bin\/x': no such file or directory/);
  });
  it('exits 126 when CMD is not executable', async () => {
    const run = startVigil(['--', '/etc/passwd']);
    assert.equal((await run.waitExit()).code, 126);
    assert.match(run.stderr(), /cannot run '\/etc\/passwd': permission denied/);
  });
  it('exits 126 when CMD is a directory', async () => {
    const run = startVigil(['--', '/tmp']);
    assert.equal((await run.waitExit()).code, 126);
    assert.match(run.stderr(), /cannot run '\/tmp': is a directory/);
  });
  it('--version and --help', async () => {
    const version = startVigil(['--version'], { pid1: false });
    assert.equal((await version.waitExit()).code, 0);
    assert.match(version.stdout(), /^vigil \d+\.\d+\.\d+/);
    const help = startVigil(['--help'], { pid1: false });
    assert.equal((await help.waitExit()).code, 0);
    for (const option of ['-c', '-g', '-e', '-v', '--version', '--help', 'check', 'ctl']) {
      assert.ok(help.stdout().includes(option), `help mentions ${option}`);
    }
  });
  it('rejects an unknown option with exit 2', async () => {
    const run = startVigil(['--bogus', '--', 'true'], { pid1: false });
    assert.equal((await run.waitExit()).code, 2);
    assert.match(run.stderr(), /unknown option '--bogus'/);
  });
});

describe('init mode: signals', () => {
  const signals = ['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGTERM', 'SIGALRM', 'SIGWINCH',
    'SIGCONT', 'SIGTSTP'] as const;
  it('forwards every catchable signal to CMD', async () => {
    const run = startVigil(['--', REPORTER]);
    await run.waitForStdout('ready');
    for (const signal of signals) {
      await run.signal(signal);
      await run.waitForStdout(`got ${signal}`);
    }
    run.kill();
  });
  it('keeps running when CMD ignores SIGTERM', async () => {
    const run = startVigil(['--', REPORTER, 'ignore-term']);
    await run.waitForStdout('ready');
    await run.signal('SIGTERM');
    await run.signal('SIGTERM');
    // SIGINT is handled after both TERMs: if vigil had died on TERM, this fails.
    await run.signal('SIGINT');
    await run.waitForStdout('got SIGINT');
    assert.ok(!run.stdout().includes('got SIGTERM'));
    run.kill();
  });
  it('exits with CMD code after a forwarded signal ends it', async () => {
    const run = startVigil(['--', REPORTER, 'exit-on-int']);
    await run.waitForStdout('ready');
    await run.signal('SIGINT');
    assert.equal((await run.waitExit()).code, 9);
  });
  it('-g signals the whole process group (a grandchild too); without -g only CMD', async () => {
    const script = `${REPORTER} & echo "shell pid=$$"; wait`;
    for (const group of [true, false]) {
      const run = startVigil([...(group ? ['-g'] : []), '--', 'sh', '-c', script]);
      await run.waitForStdout('ready');
      await run.signal('SIGUSR1');
      if (group) {
        await run.waitForStdout('got SIGUSR1');
      } else {
        // Without -g the shell gets USR1 and dies of it (default action): its
        // exit proves delivery, and the grandchild reported nothing.
        assert.equal((await run.waitExit()).code, 128 + 10);
        assert.ok(!run.stdout().includes('got SIGUSR1'), run.stdout());
      }
      run.kill();
    }
  });
});

describe('init mode: reaping', () => {
  it('reaps 1,000 double-forked orphans: zero zombies after they exit', async () => {
    const script = 'for i in $(seq 1000); do (sleep 0.1 &); done; echo spawned; exec sleep 60';
    const run = startVigil(['--', 'sh', '-c', script]);
    await run.waitForStdout('spawned', 120_000);
    const vigil = await run.vigilPid();
    // Only CMD (the `exec sleep 60`) may remain: every orphan exited and was reaped.
    await waitFor(() => descendants(vigil).length === 1 && zombiesUnder(vigil).length === 0, {
      timeoutMs: 10_000,
      message: () => `zombies left: ${zombiesUnder(vigil).length}, processes: ${descendants(vigil).length}`,
    });
    assert.equal(zombiesUnder(vigil).length, 0);
    run.kill();
  });
  it('issue example: 500 orphans, exit 7, no zombie lingers after the sleeps end', async () => {
    const run = startVigil(['--', 'sh', '-c', 'for i in $(seq 500); do (sleep 0.2 &); done; echo spawned; sleep 1.5; exit 7']);
    const vigil = await run.vigilPid();
    await run.waitForStdout('spawned', 120_000);
    const exit = run.waitExit();
    // A zombie exists for the instant between an orphan's exit and vigil's
    // SIGCHLD pass; one that is still there 250 ms later was not reaped.
    const firstSeen = new Map<number, number>();
    const lingering: number[] = [];
    let exited = false;
    void exit.then(() => (exited = true));
    while (!exited) {
      const now = Date.now();
      const zombies = new Set(zombiesUnder(vigil).map((entry) => entry.pid));
      for (const pid of firstSeen.keys()) if (!zombies.has(pid)) firstSeen.delete(pid);
      for (const pid of zombies) {
        const seen = firstSeen.get(pid) ?? now;
        firstSeen.set(pid, seen);
        if (now - seen > 250 && !lingering.includes(pid)) lingering.push(pid);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.equal((await exit).code, 7);
    assert.deepEqual(lingering, [], 'zombies that stayed unreaped for more than 250 ms');
  });
  it('without a PID namespace, reaps orphans as a child subreaper', async () => {
    const script = 'for i in $(seq 50); do (sleep 0.5 &); done; echo spawned; exec sleep 60';
    const run = startVigil(['-v', '--', 'sh', '-c', script], { pid1: false });
    await run.waitForStdout('spawned');
    const vigil = run.child.pid as number;
    // The orphans were re-parented to vigil, not to the host's init...
    const adopted = descendants(vigil).filter((entry) => entry.ppid === vigil && entry.comm === 'sleep');
    assert.ok(adopted.length > 1, `orphans adopted by vigil: ${adopted.length}`);
    // ...and reaped once they exit.
    await waitFor(() => descendants(vigil).length === 1 && zombiesUnder(vigil).length === 0, {
      timeoutMs: 10_000,
      message: () => `zombies under vigil: ${zombiesUnder(vigil).length}`,
    });
    assert.match(run.stderr(), /registered as child subreaper/);
    run.kill();
  });
});
