// GET /healthz, /readyz and /metrics as PID 1, on the unix socket and on
// [inet_http_server] (with credentials: /healthz and /readyz need none from
// loopback, everything else does); /metrics parsed by a real Prometheus
// parser (python3-prometheus-client). Also env_file.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir, writeConfig } from '../helpers/config.ts';
import { httpGet, statusByName } from '../helpers/http.ts';
import { FIXTURES, startVigil } from '../helpers/vigil.ts';
import { waitFor } from '../helpers/wait.ts';

const python = '/usr/bin/python3';
const hasParser = spawnSync(python, ['-c', 'import prometheus_client'], { cwd: '/' }).status === 0;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

type Families = Record<string, { type: string; samples: Array<[string, Record<string, string>, number]> }>;

function parseMetrics(text: string): Families {
  const result = spawnSync(python, [join(FIXTURES, 'parse-metrics.py')], { input: text, encoding: 'utf8', timeout: 20_000, cwd: '/' });
  assert.equal(result.status, 0, `the Prometheus parser refused /metrics: ${result.stderr}\n${text}`);
  return JSON.parse(result.stdout) as Families;
}

describe('readiness: endpoints', () => {
  it('/healthz, /readyz (503 then 200) and /metrics on the socket and on TCP', { skip: hasParser ? false : 'python3-prometheus-client not installed' }, async () => {
    const dir = tempDir();
    const port = await freePort();
    const auth = { Authorization: `Basic ${Buffer.from('admin:secret').toString('base64')}` };
    const config = writeConfig(`
[inet_http_server]
port=127.0.0.1:${port}
username=admin
password=secret
[program:web]
command=sleep 1000
startsecs=0
numprocs=2
process_name=%(program_name)s_%(process_num)02d
healthcheck=cmd:test -f ${dir}/ready
healthcheck_interval=0.2
[program:flappy]
command=sh -c 'sleep 0.2; exit 4'
startsecs=0
autorestart=true
[program:migrate]
command=true
startsecs=0
autorestart=false
[program:job]
command=sh -c 'exit 4'
startsecs=0
autorestart=false
exitcodes=4
`, dir);
    const run = startVigil(['-c', config]);
    const socket = { socketPath: join(dir, 'vigil.sock') };
    const tcp = { port };
    await waitFor(async () => (await statusByName(socket.socketPath).catch(() => undefined))?.get('web_01')?.statename === 'RUNNING', { timeoutMs: 60_000, message: 'web running' });

    for (const target of [socket, tcp]) {
      const healthz = await httpGet(target, '/healthz');
      assert.equal(healthz.status, 200, healthz.text);
    }
    assert.equal((await httpGet(tcp, '/status')).status, 401, 'other endpoints still need credentials');
    assert.equal((await httpGet(tcp, '/metrics')).status, 401);

    const notReady = await httpGet(tcp, '/readyz');
    assert.equal(notReady.status, 503, notReady.text);
    const body = JSON.parse(notReady.text) as { ready: boolean; notReady: Array<{ name: string; reason: string }> };
    assert.equal(body.ready, false);
    assert.ok(body.notReady.some((n) => n.name === 'web:web_00' && /^health (starting|unhealthy)$/.test(n.reason)), notReady.text);
    assert.ok(!body.notReady.some((n) => n.name === 'migrate'), 'a completed one-shot is ready');

    // flappy restarts forever: never ready while it is between runs. Once it
    // has restarted (its counter is checked below), stop it (stopped on
    // request: no longer expected up), then make web healthy.
    await waitFor(
      async () => /vigil_process_restarts_total\{[^}]*name="flappy"[^}]*\} [1-9]/.test((await httpGet(socket, '/metrics')).text),
      { timeoutMs: 60_000, message: 'flappy to restart once' },
    );
    const stop = spawnSync(process.execPath, [join(FIXTURES, '..', '..', 'dist', 'vigil.js'), 'ctl', '-c', config, 'stop', 'flappy'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(stop.status, 0, stop.stdout + stop.stderr);
    writeFileSync(join(dir, 'ready'), '');
    let last = '';
    await waitFor(
      async () => {
        const reply = await httpGet(tcp, '/readyz');
        last = reply.text;
        return reply.status === 200;
      },
      { timeoutMs: 60_000, message: () => `never ready: ${last}` },
    );

    const metrics = await httpGet(socket, '/metrics');
    assert.equal(metrics.status, 200);
    assert.match(String(metrics.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    const families = parseMetrics(metrics.text);
    const sample = (family: string, name: string): number | undefined =>
      families[family]?.samples.find(([, labels]) => labels.name === name)?.[2];
    assert.equal(sample('vigil_process_up', 'web_00'), 1);
    assert.deepEqual(families.vigil_process_up?.samples.find(([, l]) => l.name === 'web_01')?.[1], { group: 'web', name: 'web_01' });
    assert.equal(sample('vigil_process_state', 'web_00'), 20);
    assert.equal(sample('vigil_process_state', 'migrate'), 100);
    assert.equal(sample('vigil_process_exit_status', 'job'), 4);
    assert.ok((sample('vigil_process_restarts', 'flappy') ?? 0) >= 1, 'flappy restarted at least once');
    assert.equal(families.vigil_process_restarts?.type, 'counter');
    assert.equal(sample('vigil_process_healthy', 'web_00'), 1);
    assert.equal(sample('vigil_process_healthy', 'migrate'), undefined, 'only programs with a healthcheck');
    const started = sample('vigil_process_start_time_seconds', 'web_00') ?? 0;
    assert.ok(Math.abs(started - Date.now() / 1000) < 600, `start time ${started}`);
    assert.ok((families.process_resident_memory_bytes?.samples[0]?.[2] ?? 0) > 1e6);
    assert.ok((families.process_open_fds?.samples[0]?.[2] ?? 0) > 3);
    assert.equal((await httpGet(tcp, '/metrics', auth)).status, 200, 'with credentials over TCP');

    await run.signal('SIGTERM');
    assert.equal((await run.waitExit(60_000)).code, 0);
  });

  it('env_file: its variables reach the program, environment= wins', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'app.env'), '# settings\nGREETING=hello\nNAME="from file"\n');
    const config = writeConfig(`
[program:hello]
command=sh -c 'echo "$GREETING $NAME"; exec sleep 1000'
startsecs=0
env_file=app.env
environment=NAME=world
`, dir);
    const run = startVigil(['-c', config]);
    await run.waitForStdout('hello | hello world', 60_000);
    await run.signal('SIGTERM');
    assert.equal((await run.waitExit(60_000)).code, 0);
  });
});
