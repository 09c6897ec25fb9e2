// Bugs found by the review of the core (issue 9), each driven through the
// built bundle as PID 1: critical exit codes, real-time signals, config
// changes refused with an invalid config or once shutdown has begun.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { writeConfig } from '../helpers/config.ts';
import { ctl, showCtl } from '../helpers/ctl.ts';
import { startVigil } from '../helpers/vigil.ts';
import { waitFor } from '../helpers/wait.ts';

const show = showCtl;

describe('core: exit codes', () => {
  it('a critical program that ran, exited 3 and then crash-looped to FATAL makes vigil exit 3, not 1', async () => {
    const config = writeConfig(`
[program:keeper]
command=sleep 1000
startsecs=0
[program:job]
command=sh -c 'exit 3'
startsecs=1
startretries=1
critical=true
`);
    const run = startVigil(['-c', config]);
    assert.equal((await run.waitExit(20_000)).code, 3, run.stderr());
    assert.match(run.stderr(), /gave up: job entered FATAL state/);
    assert.match(run.stderr(), /critical program job:job ended for good \(exit code 3\)/);
  });

  it('CMD killed by a real-time signal: 128+N, never -1', async () => {
    const config = writeConfig('');
    const run = startVigil(['-c', config, '--', 'sh', '-c', 'kill -s RTMIN $$']);
    assert.equal((await run.waitExit(20_000)).code, 128 + 34, run.stderr());
    assert.match(run.stderr(), /terminated by SIGRTMIN/);
    assert.match(run.stderr(), /critical program main:main ended for good \(exit code 162\)/);
  });

  it('init mode: CMD killed by SIGRTMIN+3 exits 165', async () => {
    const run = startVigil(['--', 'sh', '-c', 'kill -s RTMIN+3 $$']);
    assert.equal((await run.waitExit(20_000)).code, 128 + 37, run.stderr());
  });
});

describe('core: config changes', () => {
  const programs = `
[program:alpha]
command=sleep 1000
startsecs=0
`;

  it('update and reload with a config that no longer parses: CANT_REREAD with file:line, exit 1, nothing changed', async () => {
    const config = writeConfig(programs);
    const run = startVigil(['-c', config]);
    const first = await waitFor(async () => /alpha\s+RUNNING\s+pid (\d+)/.exec((await ctl(config, 'status')).stdout)?.[1], { message: 'alpha to run' });
    writeFileSync(config, `${(await import('node:fs')).readFileSync(config, 'utf8')}\n[program:beta]\ncommand=sleep 1\nstartsecs=soon\n`);
    for (const args of [['update'], ['update', 'alpha'], ['reload'], ['reread']]) {
      const result = await ctl(config, ...args);
      assert.equal(result.code, 1, `${args.join(' ')}: ${show(result)}`);
      assert.match(result.stdout, /CANT_REREAD: [\s\S]*vigil\.conf:\d+: \[program:beta\] startsecs: 'soon' is not an integer/, `${args.join(' ')}: ${show(result)}`);
    }
    const status = await ctl(config, 'status');
    assert.match(status.stdout, new RegExp(`alpha\\s+RUNNING\\s+pid ${first},`), `alpha kept running, same pid: ${show(status)}`);
    assert.doesNotMatch(status.stdout, /beta/);
    assert.doesNotMatch(run.stderr(), /request handler failed|internal error/);
    await run.signal('SIGTERM');
    assert.equal((await run.waitExit()).code, 0, run.stderr());
  });

  it('once SIGTERM began the shutdown, update and reload are refused and start nothing', async () => {
    // slow stops for 3 s after TERM, so the shutdown is still under way.
    const config = writeConfig(`
[program:slow]
command=sh -c 'trap "sleep 3; exit 0" TERM; while :; do sleep 0.1; done'
startsecs=0
stopwaitsecs=20
`);
    const run = startVigil(['-c', config]);
    await waitFor(async () => /slow\s+RUNNING/.test((await ctl(config, 'status')).stdout), { message: 'slow to run' });
    writeFileSync(config, `${(await import('node:fs')).readFileSync(config, 'utf8')}\n[program:late]\ncommand=sleep 1000\nstartsecs=0\n`);
    await run.signal('SIGTERM');
    await run.waitForStderr('shutting down');
    const update = await ctl(config, 'update');
    assert.equal(update.code, 1, show(update));
    assert.match(update.stdout, /ERROR: already shutting down|SHUTDOWN_STATE/, show(update));
    const reload = await ctl(config, 'reload');
    assert.equal(reload.code, 1, show(reload));
    assert.equal((await run.waitExit(30_000)).code, 0, run.stderr());
    assert.doesNotMatch(run.stderr(), /spawned: 'late'/, 'no program started during shutdown');
  });
});
