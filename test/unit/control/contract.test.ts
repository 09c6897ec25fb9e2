// The control API's contract, run against both implementations: the real
// adapter over the real supervisor (real-api.ts) and the MemoryApi the
// control-server and ctl tests use. A case that passes for one and not the
// other means the fake has drifted from the real thing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../../src/config/errors.ts';
import type { ActionResult, ControlApi } from '../../../src/control/api.ts';
import { ShuttingDownError } from '../../../src/supervisor/config-reload.ts';
import { waitFor } from '../../helpers/wait.ts';
import { MemoryApi } from './memory-api.ts';
import { startRealApi } from './real-api.ts';

// The processes MemoryApi starts with, as a config.
const CONFIG = `[supervisord]
[program:web]
command=/bin/true
numprocs=2
process_name=web_%(process_num)02d
startsecs=0
[program:worker]
command=/bin/true
startsecs=0
[program:cron]
command=/bin/true
autostart=false
startsecs=0
[program:broken]
command=/nonexistent/vigil-test-command
startretries=0
`;

interface Subject {
  api: ControlApi;
  breakConfig(): void;
  close(): Promise<void>;
}

const implementations: [string, () => Promise<Subject>][] = [
  ['real adapter', async () => {
    const real = await startRealApi(CONFIG);
    return { api: real.adapter, breakConfig: real.breakConfig, close: real.close };
  }],
  ['MemoryApi', async () => {
    const api = new MemoryApi();
    return { api, breakConfig: () => (api.rereadError = 'vigil.conf:19: bad value'), close: async () => undefined };
  }],
];

const states = (api: ControlApi): string[] => api.processes().map((info) => `${info.group}:${info.name} ${info.statename}`).sort();
const faultOf = (result: ActionResult | Buffer | (() => void)): string =>
  typeof result === 'object' && result !== null && 'ok' in result && !result.ok ? result.fault : 'ok';
const stateOf = (api: ControlApi, name: string): string | undefined =>
  api.processes().find((info) => `${info.group}:${info.name}` === name)?.statename;

for (const [label, start] of implementations) {
  describe(`control API contract: ${label}`, () => {
    it('lists every process with its state', async () => {
      const subject = await start();
      await waitFor(() => stateOf(subject.api, 'broken:broken') === 'FATAL', { message: 'broken to give up' });
      assert.deepEqual(states(subject.api), [
        'broken:broken FATAL', 'cron:cron STOPPED', 'web:web_00 RUNNING', 'web:web_01 RUNNING', 'worker:worker RUNNING',
      ]);
      const web = subject.api.processes().find((info) => info.name === 'web_00');
      assert.ok(web && web.pid > 0, 'a running process has a pid');
      assert.match(web.description, /^pid \d+, uptime \d+:\d\d:\d\d$/);
      await subject.close();
    });

    it('start: BAD_NAME, ALREADY_STARTED, then a stopped process reaches RUNNING', async () => {
      const subject = await start();
      assert.equal(faultOf(await subject.api.start('nope:nope')), 'BAD_NAME');
      assert.equal(faultOf(await subject.api.start('web:web_00')), 'ALREADY_STARTED');
      assert.equal(faultOf(await subject.api.start('cron:cron')), 'ok');
      assert.equal(stateOf(subject.api, 'cron:cron'), 'RUNNING');
      await subject.close();
    });

    it('stop: BAD_NAME, NOT_RUNNING, then a running process is STOPPED when it answers', async () => {
      const subject = await start();
      assert.equal(faultOf(await subject.api.stop('nope:nope')), 'BAD_NAME');
      assert.equal(faultOf(await subject.api.stop('cron:cron')), 'NOT_RUNNING');
      assert.equal(faultOf(await subject.api.stop('worker:worker')), 'ok');
      assert.equal(stateOf(subject.api, 'worker:worker'), 'STOPPED');
      await subject.close();
    });

    it('signal: BAD_NAME, BAD_SIGNAL, NOT_RUNNING, ok', async () => {
      const subject = await start();
      assert.equal(faultOf(subject.api.signal('nope:nope', 'HUP')), 'BAD_NAME');
      assert.equal(faultOf(subject.api.signal('worker:worker', 'NOPE')), 'BAD_SIGNAL');
      assert.equal(faultOf(subject.api.signal('cron:cron', 'HUP')), 'NOT_RUNNING');
      assert.equal(faultOf(subject.api.signal('worker:worker', 'USR1')), 'ok');
      await subject.close();
    });

    it('watch: a state change notifies the watcher, until it unsubscribes (the web page event stream)', async () => {
      const subject = await start();
      let calls = 0;
      const unwatch = subject.api.watch(() => calls++);
      assert.equal(faultOf(await subject.api.stop('worker:worker')), 'ok');
      assert.ok(calls > 0, 'stop did not notify');
      unwatch();
      const seen = calls;
      assert.equal(faultOf(await subject.api.start('worker:worker')), 'ok');
      assert.equal(calls, seen, 'notified after unsubscribing');
      await subject.close();
    });

    it('tail and follow of an unknown name: BAD_NAME', async () => {
      const subject = await start();
      assert.equal(faultOf(subject.api.tail('nope:nope', 'stdout', 100)), 'BAD_NAME');
      assert.equal(faultOf(subject.api.follow('nope:nope', 'stdout', () => undefined)), 'BAD_NAME');
      await subject.close();
    });

    it('removeGroup / addGroup: STILL_RUNNING, BAD_NAME, removed, added back, ALREADY_ADDED', async () => {
      const { api, close } = await start();
      try {
        await waitFor(() => stateOf(api, 'web:web_00') === 'RUNNING', { message: 'web never ran' });
        assert.equal(faultOf(api.removeGroup('web')), 'STILL_RUNNING');
        assert.equal(faultOf(api.removeGroup('nope')), 'BAD_NAME');
        assert.equal(faultOf(api.removeGroup('cron')), 'ok');
        assert.equal(stateOf(api, 'cron:cron'), undefined);
        assert.equal(faultOf(api.addGroup('cron')), 'ok');
        assert.equal(stateOf(api, 'cron:cron'), 'STOPPED');
        assert.equal(faultOf(api.addGroup('cron')), 'ALREADY_ADDED');
        assert.equal(faultOf(api.addGroup('nope')), 'BAD_NAME');
      } finally {
        await close();
      }
    });

    it('sendStdin: BAD_NAME, NOT_RUNNING', async () => {
      const { api, close } = await start();
      try {
        assert.equal(faultOf(api.sendStdin('nope:nope', Buffer.from('x'))), 'BAD_NAME');
        assert.equal(faultOf(api.sendStdin('cron:cron', Buffer.from('x'))), 'NOT_RUNNING');
        assert.ok(Buffer.isBuffer(api.mainLogTail(100)));
      } finally {
        await close();
      }
    });

    it('a config that no longer parses: reread, update and reload throw ConfigError and change nothing', async () => {
      const subject = await start();
      const before = states(subject.api);
      subject.breakConfig();
      assert.throws(() => subject.api.reread(), ConfigError);
      await assert.rejects(subject.api.update(), ConfigError);
      await assert.rejects(subject.api.update(['web']), ConfigError);
      assert.throws(() => subject.api.reload(), ConfigError);
      assert.deepEqual(states(subject.api), before);
      await subject.close();
    });

    it('once shutdown has begun, update and reload are refused with ShuttingDownError', async () => {
      const subject = await start();
      assert.equal(subject.api.isShuttingDown(), false);
      subject.api.shutdown();
      await waitFor(() => subject.api.isShuttingDown(), { message: 'shutdown to begin' });
      await assert.rejects(subject.api.update(), ShuttingDownError);
      assert.throws(() => subject.api.reload(), ShuttingDownError);
      await subject.close();
    });
  });
}
