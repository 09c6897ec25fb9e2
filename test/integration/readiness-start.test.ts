// Start order that waits for readiness, as PID 1: chains, one-shot tasks, a
// dependency that goes FATAL, cycles refused at load, shutdown order, reload,
// and a SONiC-style config with supervisord-dependent-startup's listener.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir, writeConfig } from '../helpers/config.ts';
import { httpGet, statusByName } from '../helpers/http.ts';
import { VIGIL, startVigil } from '../helpers/vigil.ts';
import { waitFor } from '../helpers/wait.ts';

const sock = (config: string): string => join(config, '..', 'vigil.sock');

function ctl(config: string, ...args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [VIGIL, 'ctl', '-c', config, ...args], { timeout: 60_000 }, (error, stdout) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout });
    });
  });
}

async function waitState(config: string, name: string, state: string, timeoutMs = 60_000): Promise<Record<string, unknown>> {
  let last: Record<string, unknown> | undefined;
  return waitFor(
    async () => {
      last = (await statusByName(sock(config)).catch(() => new Map<string, Record<string, unknown>>())).get(name);
      return last?.statename === state ? last : undefined;
    },
    { timeoutMs, message: () => `${name} never became ${state}; last: ${JSON.stringify(last)}` },
  );
}

describe('readiness: start order', () => {
  it('a chain starts link after link, each once the previous is RUNNING', async () => {
    const config = writeConfig(`
[program:c]
command=sleep 1000
startsecs=0
depends_on=b
priority=1
[program:b]
command=sleep 1000
startsecs=1
depends_on=a:running
priority=2
[program:a]
command=sleep 1000
startsecs=1
priority=3
`);
    const run = startVigil(['-c', config]);
    await waitState(config, 'c', 'RUNNING');
    const err = run.stderr();
    const at = (text: string): number => err.indexOf(text);
    assert.ok(at("success: a entered RUNNING") < at("spawned: 'b'"), err);
    assert.ok(at("success: b entered RUNNING") < at("spawned: 'c'"), err);
    assert.match(err, /starting b: a:running hold/);
    await run.signal('SIGTERM');
    assert.equal((await run.waitExit(60_000)).code, 0);
  });

  it('a one-shot task completes before the service that depends on it starts', async () => {
    const dir = tempDir();
    const config = writeConfig(`
[program:web]
command=sh -c 'test -f ${dir}/migrated && exec sleep 1000'
startsecs=0
depends_on=migrate:completed
[program:migrate]
command=sh -c 'sleep 0.5; touch ${dir}/migrated'
startsecs=0
autorestart=false
`, dir);
    const run = startVigil(['-c', config]);
    const web = await waitState(config, 'web', 'RUNNING');
    assert.equal(web.spawnerr, '');
    assert.equal((await statusByName(sock(config))).get('migrate')?.statename, 'EXITED');
    await waitFor(async () => (await httpGet({ socketPath: sock(config) }, '/readyz')).status === 200, { timeoutMs: 60_000, message: 'ready once migrate completed and web runs' });
    await run.signal('SIGTERM');
    assert.equal((await run.waitExit(60_000)).code, 0);
  });

  it('a dependency that goes FATAL: the dependent stays STOPPED and says why', async () => {
    const config = writeConfig(`
[program:db]
command=sh -c 'exit 1'
startretries=1
startsecs=1
[program:app]
command=sleep 1000
depends_on=db
[program:legacy]
command=sleep 1000
autostart=false
dependent_startup=true
dependent_startup_wait_for=db:running
[program:job]
command=sh -c 'exit 3'
startsecs=0
autorestart=false
[program:after_job]
command=sleep 1000
depends_on=job:completed
`);
    const run = startVigil(['-c', config]);
    await waitState(config, 'db', 'FATAL');
    await run.waitForStderr('app stays STOPPED: waiting for db:running (db is FATAL)', 60_000);
    const status = await ctl(config, 'status');
    assert.equal(status.code, 3);
    assert.match(status.stdout, /^app +STOPPED +waiting for db:running \(db is FATAL\)$/m);
    assert.match(status.stdout, /^legacy +STOPPED +waiting for db:running \(db is FATAL\)$/m);
    assert.match(status.stdout, /^after_job +STOPPED +waiting for job:completed \(job is EXITED with unexpected exit status 3\)$/m);
    const readyz = await httpGet({ socketPath: sock(config) }, '/readyz');
    assert.equal(readyz.status, 503);
    const body = JSON.parse(readyz.text) as { ready: boolean; notReady: Array<{ name: string; reason: string }> };
    assert.deepEqual(body.notReady.find((n) => n.name === 'app')?.reason, 'waiting for db:running (db is FATAL)');
    await run.signal('SIGTERM');
    assert.equal((await run.waitExit(60_000)).code, 0);
  });

  it('a dependency cycle is refused at load with file:line, nothing starts', async () => {
    const config = writeConfig('[program:a]\ncommand=sleep 1000\ndepends_on=b\n[program:b]\ncommand=sleep 1000\ndepends_on=a:started\n');
    const run = startVigil(['-c', config]);
    assert.equal((await run.waitExit(60_000)).code, 2);
    assert.match(run.stderr(), new RegExp(`${config}:7: \\[program:a\\] depends_on: dependency cycle: a -> b -> a \\(b's depends_on at ${config}:10\\)`));
    assert.doesNotMatch(run.stderr(), /spawned/);
  });

  it('shutdown stops a program before the programs it depends on, whatever the priorities', async () => {
    const dir = tempDir();
    const log = join(dir, 'stops');
    const stopper = (name: string): string => `sh -c 'trap "echo ${name} >> ${log}; exit 0" TERM; while :; do sleep 0.1; done'`;
    const config = writeConfig(`
[program:db]
command=${stopper('db')}
startsecs=0
priority=900
[program:api]
command=${stopper('api')}
startsecs=0
priority=1
depends_on=db
[program:edge]
command=${stopper('edge')}
startsecs=0
priority=5
depends_on=api
`, dir);
    const run = startVigil(['-c', config]);
    await waitState(config, 'edge', 'RUNNING');
    await run.signal('SIGTERM');
    assert.equal((await run.waitExit(60_000)).code, 0, run.stderr());
    assert.deepEqual(readFileSync(log, 'utf8').trim().split('\n'), ['edge', 'api', 'db']);
  });

  it('an update adding a program with dependencies starts it when they hold, without restarting the others', async () => {
    const dir = tempDir();
    const base = `
[program:db]
command=sleep 1000
startsecs=0
`;
    const config = writeConfig(base, dir);
    const run = startVigil(['-c', config]);
    const db = await waitState(config, 'db', 'RUNNING');
    writeFileSync(config, `${readFileSync(config, 'utf8')}
[program:worker]
command=sleep 1000
startsecs=0
depends_on=db:healthy,seed:completed
[program:seed]
command=sh -c 'sleep 0.3'
startsecs=0
autorestart=false
`);
    await run.signal('SIGHUP');
    await waitState(config, 'worker', 'RUNNING');
    const after = (await statusByName(sock(config))).get('db');
    assert.equal(after?.pid, db.pid, 'db kept running');
    assert.match(run.stderr(), /starting worker: db:healthy, seed:completed hold/);
    await run.signal('SIGTERM');
    assert.equal((await run.waitExit(60_000)).code, 0);
  });
});

describe('readiness: supervisord-dependent-startup configs (SONiC)', () => {
  it('runs with the plugin listener section and no Python plugin installed', async () => {
    const dir = tempDir();
    const config = writeConfig(`
[supervisord]
logfile_maxbytes=1MB
nodaemon=true

[eventlistener:dependent-startup]
command=python3 -m supervisord_dependent_startup
autostart=true
autorestart=unexpected
startretries=0
exitcodes=0,3
events=PROCESS_STATE
buffer_size=1024

[program:rsyslogd]
command=sleep 1000
priority=1
autostart=false
autorestart=unexpected
stdout_logfile=syslog
stderr_logfile=syslog
dependent_startup=true
dependent_startup_wait_for=start:exited

[program:start]
command=sh -c 'touch ${dir}/started'
priority=2
autostart=false
autorestart=false
startsecs=0
stdout_logfile=syslog
stderr_logfile=syslog
dependent_startup=true

[program:orchagent]
command=sh -c 'test -f ${dir}/started && exec sleep 1000'
priority=4
autostart=false
autorestart=false
stdout_logfile=syslog
stderr_logfile=syslog
dependent_startup=true
dependent_startup_wait_for=rsyslogd:running

[program:portsyncd]
command=sleep 1000
priority=5
autostart=false
autorestart=false
stdout_logfile=syslog
stderr_logfile=syslog
dependent_startup=true
dependent_startup_wait_for=orchagent:running
`, dir);
    const run = startVigil(['-c', config]);
    await waitState(config, 'portsyncd', 'RUNNING', 60_000);
    for (const name of ['rsyslogd', 'orchagent']) assert.equal((await statusByName(sock(config))).get(name)?.statename, 'RUNNING');
    assert.equal((await statusByName(sock(config))).get('start')?.statename, 'EXITED');
    assert.ok(existsSync(join(dir, 'started')));
    assert.match(run.stderr(), /\[eventlistener:dependent-startup\] runs supervisord-dependent-startup: not started, vigil honours dependent_startup\* itself/);
    assert.equal((await statusByName(sock(config))).has('dependent-startup'), false, 'the plugin listener is not a process');
    assert.doesNotMatch(run.stderr(), /supervisord_dependent_startup.*(spawned|No module)/);
    await run.signal('SIGTERM');
    assert.equal((await run.waitExit(60_000)).code, 0);
  });
});
