// Health checks as PID 1: each kind (cmd with the program's environment and
// directory, http, tcp), health in `ctl status` and /status, a dependent
// waiting for `healthy`, healthcheck_restart, and no zombies from cmd checks.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir, writeConfig } from '../helpers/config.ts';
import { statusByName } from '../helpers/http.ts';
import { zombiesUnder } from '../helpers/procfs.ts';
import { startVigil } from '../helpers/vigil.ts';
import { waitFor } from '../helpers/wait.ts';

const sock = (config: string): string => join(config, '..', 'vigil.sock');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitHealth(config: string, name: string, health: string | null, timeoutMs = 60_000): Promise<Record<string, unknown>> {
  let last: Record<string, unknown> | undefined;
  return waitFor(
    async () => {
      last = (await statusByName(sock(config)).catch(() => new Map<string, Record<string, unknown>>())).get(name);
      return last !== undefined && last.health === health ? last : undefined;
    },
    { timeoutMs, message: () => `${name} never had health ${health}; last: ${JSON.stringify(last)}` },
  );
}

// A tiny HTTP server answering 500 while DIR/sick exists, else 200.
const httpServer = (port: number, dir: string): string =>
  `${process.execPath} -e "require('http').createServer((q,r)=>{r.statusCode=require('fs').existsSync('${dir}/sick')?500:200;r.end()}).listen(${port},'127.0.0.1')"`;

describe('readiness: health checks', () => {
  it('cmd: runs with the program environment and directory; health and description in /status', async () => {
    const dir = tempDir();
    const config = writeConfig(`
[program:app]
command=sleep 1000
startsecs=0
directory=${dir}
environment=EXPECTED=yes
healthcheck=cmd:sh -c 'test "$EXPECTED" = yes && test -f ./ready'
healthcheck_interval=0.2
healthcheck_retries=1
`, dir);
    const run = startVigil(['-c', config, '-v']);
    await waitHealth(config, 'app', 'unhealthy');
    writeFileSync(join(dir, 'ready'), '');
    const app = await waitHealth(config, 'app', 'healthy');
    assert.match(String(app.description), /^pid \d+, uptime \d+:\d\d:\d\d, healthy$/);
    await run.waitForStderr(/healthy: app \(exit 0\)/, 60_000);
    // Many checks later, every one was reaped.
    const vigil = await run.vigilPid();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.deepEqual(zombiesUnder(vigil), []);
    await run.signal('SIGTERM');
    assert.equal((await run.waitExit(60_000)).code, 0);
  });

  it('http: 2xx healthy, 5xx unhealthy after the retries; a dependent waits for healthy', async () => {
    const dir = tempDir();
    const port = await freePort();
    writeFileSync(join(dir, 'sick'), '');
    const config = writeConfig(`
[program:api]
command=${httpServer(port, dir)}
startsecs=0
healthcheck=http://127.0.0.1:${port}/health
healthcheck_interval=0.2
healthcheck_retries=2
[program:frontend]
command=sleep 1000
startsecs=0
depends_on=api:healthy
`, dir);
    const run = startVigil(['-c', config]);
    await waitHealth(config, 'api', 'unhealthy');
    const waiting = (await statusByName(sock(config))).get('frontend');
    assert.equal(waiting?.statename, 'STOPPED');
    assert.equal(waiting?.description, 'waiting for api:healthy (api is RUNNING, health unhealthy)');
    rmSync(join(dir, 'sick'));
    await waitHealth(config, 'api', 'healthy');
    await waitFor(async () => (await statusByName(sock(config))).get('frontend')?.statename === 'RUNNING', { timeoutMs: 60_000, message: 'frontend started once api was healthy' });
    writeFileSync(join(dir, 'sick'), '');
    await waitHealth(config, 'api', 'unhealthy');
    await run.waitForStderr(/unhealthy: api \(2 failed checks, last: HTTP 500\)/, 60_000);
    await run.signal('SIGTERM');
    assert.equal((await run.waitExit(60_000)).code, 0);
  });

  it('tcp: healthy once the port accepts connections', async () => {
    const port = await freePort();
    const config = writeConfig(`
[program:cache]
command=sh -c 'sleep 0.5; exec ${process.execPath} -e "require(\\"net\\").createServer(s=>s.end()).listen(${port},\\"127.0.0.1\\")"'
startsecs=0
healthcheck=tcp:127.0.0.1:${port}
healthcheck_interval=0.2
healthcheck_start_period=10
`);
    const run = startVigil(['-c', config]);
    await waitHealth(config, 'cache', 'healthy');
    await run.signal('SIGTERM');
    assert.equal((await run.waitExit(60_000)).code, 0);
  });

  it('healthcheck_restart=true restarts a program that turns unhealthy', async () => {
    const dir = tempDir();
    const config = writeConfig(`
[program:stuck]
command=sleep 1000
startsecs=0
healthcheck=cmd:test ! -f ${dir}/stuck
healthcheck_interval=0.2
healthcheck_retries=2
healthcheck_restart=true
`, dir);
    const run = startVigil(['-c', config]);
    const first = await waitHealth(config, 'stuck', 'healthy');
    writeFileSync(join(dir, 'stuck'), '');
    await run.waitForStderr('restarting stuck: unhealthy and healthcheck_restart=true', 60_000);
    rmSync(join(dir, 'stuck'));
    const second = await waitHealth(config, 'stuck', 'healthy');
    assert.notEqual(second.pid, first.pid, 'a new process');
    assert.equal(second.statename, 'RUNNING');
    await run.signal('SIGTERM');
    assert.equal((await run.waitExit(60_000)).code, 0);
  });
});
