// supervisord's lifecycle, run by vigil as PID 1 from a supervisord-format
// config: startsecs, backoff to FATAL, exitcodes x autorestart, priorities,
// stop signals and escalation, process groups, user/directory/umask/env.
import assert from 'node:assert/strict';
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { descendants } from '../helpers/procfs.ts';
import { tempDir, writeConfig } from '../helpers/config.ts';
import { startVigil } from '../helpers/vigil.ts';

const count = (text: string, needle: string): number => text.split(needle).length - 1;

describe('supervisor: starting', () => {
  it('starts autostart programs, skips autostart=false, reaches RUNNING after startsecs', async () => {
    const config = writeConfig(`
[program:a]
command=sleep 100
startsecs=0
[program:b]
command=sleep 100
startsecs=1
[program:off]
command=sleep 100
autostart=false
`);
    const run = startVigil(['-c', config]);
    await run.waitForStderr("spawned: 'a' with pid");
    await run.waitForStderr('success: a entered RUNNING state, process has stayed up for > than 0 seconds (startsecs)');
    await run.waitForStderr('success: b entered RUNNING state, process has stayed up for > than 1 seconds (startsecs)');
    assert.ok(!run.stderr().includes("spawned: 'off'"), run.stderr());
    await run.signal('SIGTERM');
    assert.equal((await run.waitExit()).code, 0, run.stderr());
  });

  it('an exit before startsecs is a failed start: backoff 1 s, 2 s, 3 s then FATAL', async () => {
    const config = writeConfig(`
[program:crash]
command=sh -c 'exit 0'
startsecs=5
startretries=3
`);
    const run = startVigil(['-c', config]);
    await run.waitForStderr('gave up: crash entered FATAL state, too many start retries too quickly', 20_000);
    const log = run.stderr();
    assert.equal(count(log, "spawned: 'crash'"), 4, log); // first try + 3 retries
    assert.equal(count(log, 'exited: crash (exit status 0; not expected)'), 4, log);
    // The delays between spawns grow 1 s, 2 s, 3 s (checked on the log's timestamps).
    const times = [...log.matchAll(/T(\d\d):(\d\d):(\d\d)\.(\d{3})Z INFO spawned: 'crash'/g)].map(
      (m) => ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 + Number(m[4]),
    );
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    gaps.forEach((gap, i) => assert.ok(gap >= (i + 1) * 1000 - 50 && gap < (i + 1) * 1000 + 900, `gap ${i}: ${gap} ms`));
    await run.signal('SIGTERM');
    assert.equal((await run.waitExit()).code, 0);
  });

  it('exitcodes and autorestart: unexpected restarts only on an unexpected code; true always; false never', async () => {
    const dir = tempDir();
    const counter = (name: string): string => `sh -c 'echo x >> ${join(dir, name)}; sleep 0.3; exit $0' `;
    const config = writeConfig(`
[program:expected]
command=${counter('expected')}2
startsecs=0
autorestart=unexpected
exitcodes=0,2
[program:unexpected]
command=${counter('unexpected')}3
startsecs=0
autorestart=unexpected
exitcodes=0,2
startretries=0
[program:never]
command=${counter('never')}3
startsecs=0
autorestart=false
[program:always]
command=${counter('always')}0
startsecs=0
autorestart=true
`, dir);
    const run = startVigil(['-c', config]);
    await run.waitForStderr('exited: expected (exit status 2; expected)');
    await run.waitForStderr('exited: never (exit status 3; not expected)');
    const runs = (name: string): number => count(readFileSync(join(dir, name), 'utf8'), 'x');
    // Restarts are immediate on exit: wait for several rounds of the restarting ones.
    const { waitFor } = await import('../helpers/wait.ts');
    await waitFor(() => runs('always') >= 3 && runs('unexpected') >= 3, { timeoutMs: 10_000, message: 'restarts' });
    assert.equal(runs('expected'), 1);
    assert.equal(runs('never'), 1);
    await run.signal('SIGTERM');
    assert.equal((await run.waitExit()).code, 0);
  });

  it('numprocs with process_name and numprocs_start', async () => {
    const config = writeConfig(`
[program:worker]
command=sleep 100
process_name=%(program_name)s_%(process_num)02d
numprocs=3
numprocs_start=5
startsecs=0
`);
    const run = startVigil(['-c', config]);
    for (const name of ['worker_05', 'worker_06', 'worker_07']) await run.waitForStderr(`success: ${name} entered RUNNING`);
    await run.signal('SIGTERM');
    assert.equal((await run.waitExit()).code, 0);
  });

  it('starts by ascending priority and stops by descending priority', async () => {
    const config = writeConfig(`
[program:late]
command=sleep 100
priority=30
startsecs=0
[program:early]
command=sleep 100
priority=10
startsecs=0
[program:middle]
command=sleep 100
priority=20
startsecs=0
`);
    const run = startVigil(['-c', config]);
    await run.waitForStderr('success: late entered RUNNING');
    const log = run.stderr();
    const order = ['early', 'middle', 'late'].map((name) => log.indexOf(`spawned: '${name}'`));
    assert.deepEqual([...order].sort((a, b) => a - b), order, log);
    await run.signal('SIGTERM');
    await run.waitExit();
    const stopped = ['late', 'middle', 'early'].map((name) => run.stderr().indexOf(`stopped: ${name}`));
    assert.ok(stopped.every((i) => i >= 0), run.stderr());
    assert.deepEqual([...stopped].sort((a, b) => a - b), stopped, run.stderr());
  });
});

describe('supervisor: stopping', () => {
  it('stopsignal, then SIGKILL after stopwaitsecs when the program ignores it', async () => {
    const config = writeConfig(`
[program:stubborn]
command=sh -c 'trap "echo got INT" INT; trap "" TERM; echo ready; while :; do sleep 0.1; done'
stopsignal=INT
stopwaitsecs=1
startsecs=0
`);
    const run = startVigil(['-c', config]);
    await run.waitForStdout('stubborn | ready');
    const started = Date.now();
    await run.signal('SIGTERM');
    await run.waitForStderr("killing 'stubborn'");
    await run.waitForStderr('stopped: stubborn (terminated by SIGKILL)');
    assert.equal((await run.waitExit()).code, 0);
    assert.ok(Date.now() - started >= 1000, 'waited stopwaitsecs before SIGKILL');
  });

  it('stopasgroup signals the whole process group (the grandchild too)', async () => {
    for (const asGroup of [true, false]) {
      const config = writeConfig(`
[program:parent]
command=sh -c 'sleep 1000 & echo "child $!"; wait'
stopasgroup=${asGroup}
killasgroup=${asGroup}
stopwaitsecs=1
startsecs=0
`);
      const run = startVigil(['-c', config]);
      const line = await run.waitForStdout(/child \d+/);
      const vigil = await run.vigilPid();
      const grandchildNsPid = Number(line.split(' ')[1]);
      assert.ok(grandchildNsPid > 0);
      await run.signal('SIGTERM');
      await run.waitExit();
      // As PID 1 vigil cleans up leftovers either way; the log tells who did it.
      if (asGroup) assert.ok(!run.stderr().includes('leftover'), run.stderr());
      else assert.match(run.stderr(), /terminating 1 leftover process/);
      assert.equal(descendants(vigil).length, 0);
    }
  });

  it('SIGTERM to exit is fast when programs exit promptly', async () => {
    const programs = Array.from({ length: 20 }, (_, i) => `[program:p${i}]\ncommand=sleep 100\nstartsecs=0\n`).join('');
    const run = startVigil(['-c', writeConfig(programs)]);
    await run.waitForStderr('success: p19 entered RUNNING');
    const started = Date.now();
    await run.signal('SIGTERM');
    assert.equal((await run.waitExit()).code, 0);
    // Generous bound (shared CI machine); the benchmark measures the real figure.
    assert.ok(Date.now() - started < 3000, `shutdown took ${Date.now() - started} ms`);
  });
});

describe('supervisor: process environment', () => {
  it('environment, SUPERVISOR_* variables, directory, umask and user', async () => {
    const dir = tempDir();
    chmodSync(dir, 0o755); // the directory is changed as the user (nobody)
    const config = writeConfig(`
[supervisord]
environment=GLOBAL="from supervisord"
[program:env]
command=sh -c 'echo "A=$A B=$B GLOBAL=$GLOBAL"; echo "SE=$SUPERVISOR_ENABLED PN=$SUPERVISOR_PROCESS_NAME GN=$SUPERVISOR_GROUP_NAME URL=$SUPERVISOR_SERVER_URL"; echo "pwd=$(pwd) umask=$(umask)"; echo "id=$(id -u):$(id -g) groups=$(id -G)"; sleep 100'
environment=A="1,2",B=two
directory=${dir}
umask=027
user=nobody
startsecs=0
`);
    const run = startVigil(['-c', config]);
    await run.waitForStdout('id=');
    const out = run.stdout();
    assert.match(out, /env \| A=1,2 B=two GLOBAL=from supervisord/);
    assert.match(out, /SE=1 PN=env GN=env URL=unix:\/\/.*vigil\.sock/);
    assert.ok(out.includes(`pwd=${dir} umask=0027`), out);
    assert.match(out, /id=65534:65534 groups=65534/);
    await run.signal('SIGTERM');
    assert.equal((await run.waitExit()).code, 0);
  });

  it('a command that cannot be found: spawnerr, BACKOFF, then FATAL', async () => {
    const config = writeConfig(`
[program:missing]
command=/no/such/program
startretries=1
`);
    const run = startVigil(['-c', config]);
    await run.waitForStderr("spawnerr: can't find command '/no/such/program'");
    await run.waitForStderr('gave up: missing entered FATAL state', 10_000);
    await run.signal('SIGTERM');
    assert.equal((await run.waitExit()).code, 0);
  });
});
