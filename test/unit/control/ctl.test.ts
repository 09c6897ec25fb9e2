// `vigil ctl` end to end over a real unix socket: supervisorctl's output texts
// and exit codes for every command.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatStopTime } from '../../../src/control/describe.ts';
import { makeStaleSocket, runCtlCaptured, startHarness, useHarness } from './harness.ts';
import type { Harness } from './harness.ts';
import { waitFor } from '../../helpers/wait.ts';

const pad = (name: string): string => name.padEnd(33);

// supervisorctl's stdout and exit code; vigil's explanation on stderr.
function assertCtl(run: { code: number; stdout: string; stderr: string }, code: number, stdout: string): void {
  assert.deepEqual({ code: run.code, stdout: run.stdout }, { code, stdout });
  assert.match(run.stderr, /^vigil ctl: (no socket at|nothing listens on) .*-s unix:\/\/\//);
}

describe('vigil ctl', () => {
  let h!: Harness;
  useHarness({ get: () => h, set: (harness) => (h = harness) });

  describe('status', () => {
    it('prints every process like supervisorctl and exits 3 when one is not running', async () => {
      const run = await h.ctl('status');
      assert.equal(
        run.stdout,
        // supervisord's getAllProcessInfo order: by group, then name (not start order).
        [
          `${pad('broken')}FATAL     Exited too quickly (process log may have details)`,
          `${pad('cron')}STOPPED   Not started`,
          `${pad('web:web_00')}RUNNING   pid 42, uptime 0:01:02`,
          `${pad('web:web_01')}RUNNING   pid 43, uptime 0:01:02`,
          `${pad('worker')}RUNNING   pid 50, uptime 0:01:02`,
          '',
        ].join('\n'),
      );
      assert.equal(run.code, 3);
    });

    it('exits 0 when all listed are running; a group name means its processes', async () => {
      const run = await h.ctl('status', 'web', 'worker');
      assert.equal(run.code, 0);
      assert.deepEqual(run.stdout.split('\n').map((line) => line.split(' ')[0]), ['web:web_00', 'web:web_01', 'worker', '']);
    });

    it('accepts group:* and group:name', async () => {
      assert.equal((await h.ctl('status', 'web:*')).stdout.split('\n').length, 3);
      const one = await h.ctl('status', 'web:web_01');
      assert.equal(one.stdout, `${pad('web:web_01')}RUNNING   pid 43, uptime 0:01:02\n`);
      assert.equal(one.code, 0);
    });

    it('exits 4 for unknown names and prints them first', async () => {
      const run = await h.ctl('status', 'nope', 'ghost:*', 'worker');
      assert.equal(run.stdout.split('\n')[0], 'nope: ERROR (no such process)');
      assert.equal(run.stdout.split('\n')[1], 'ghost: ERROR (no such group)');
      assert.match(run.stdout.split('\n')[2] as string, /^worker +RUNNING/);
      assert.equal(run.code, 4);
      const only = await h.ctl('status', 'nope');
      assert.equal(only.stdout, 'nope: ERROR (no such process)\n');
      assert.equal(only.code, 4);
    });

    it('widens the name column for long names (max(30, longest) + 3)', async () => {
      const long = 'a-very-long-program-name-indeed-yes';
      h.api.processList.push({ ...h.api.processList[2]!, group: long, name: long });
      const run = await h.ctl('status', long, 'worker');
      assert.equal(run.stdout.split('\n')[1], `${'worker'.padEnd(long.length + 3)}RUNNING   pid 50, uptime 0:01:02`);
    });

    it('shows the stop time of an exited process', async () => {
      h.api.processList[3] = (await import('./memory-api.ts')).processInfo('cron', 'cron', 'EXITED');
      const info = h.api.processList[3];
      const run = await h.ctl('status', 'cron');
      assert.equal(run.stdout, `${pad('cron')}EXITED    ${formatStopTime(info.stop)}\n`);
      assert.equal(run.code, 3);
    });

    it('--json prints the server answer and keeps the exit code', async () => {
      const run = await h.ctl('--json', 'status', 'worker', 'nope');
      const body = JSON.parse(run.stdout) as { processes: { name: string }[]; unknown: { name: string }[] };
      assert.deepEqual(body.processes.map((p) => p.name), ['worker']);
      assert.deepEqual(body.unknown.map((u) => u.name), ['nope']);
      assert.equal(run.code, 4);
    });

    it('--json after the command works too (status NAME --json)', async () => {
      const run = await h.ctl('status', 'worker', '--json');
      const body = JSON.parse(run.stdout) as { processes: { name: string }[] };
      assert.deepEqual(body.processes.map((p) => p.name), ['worker']);
      assert.equal(run.code, 0);
    });
  });

  describe('start / stop / restart', () => {
    it('start: started, already started (exit 0), spawn error (exit 7)', async () => {
      assert.deepEqual(await h.ctl('start', 'cron'), { code: 0, stdout: 'cron: started\n', stderr: '' });
      assert.deepEqual(await h.ctl('start', 'worker'), { code: 0, stdout: 'worker: ERROR (already started)\n', stderr: '' });
      assert.deepEqual(await h.ctl('start', 'broken'), { code: 7, stdout: 'broken: ERROR (spawn error)\n', stderr: '' });
    });

    it('start: unknown process exits 1, unknown group exits 2, good names still act', async () => {
      const run = await h.ctl('start', 'nope', 'cron');
      assert.equal(run.stdout, 'nope: ERROR (no such process)\ncron: started\n');
      assert.equal(run.code, 1);
      const group = await h.ctl('start', 'ghost:*');
      assert.deepEqual(group, { code: 2, stdout: 'ghost: ERROR (no such group)\n', stderr: '' });
    });

    it('start without a name exits 2 with help', async () => {
      const run = await h.ctl('start');
      assert.equal(run.code, 2);
      assert.match(run.stdout, /^Error: start requires a process name\nstart <name>/);
    });

    it('start all / group:* act on every process', async () => {
      await h.ctl('stop', 'web:*');
      const run = await h.ctl('start', 'web:*');
      assert.equal(run.stdout, 'web:web_00: started\nweb:web_01: started\n');
      const all = await h.ctl('start', 'all');
      assert.equal(all.code, 7, 'broken fails to spawn');
      assert.match(all.stdout, /cron: started/);
      assert.match(all.stdout, /broken: ERROR \(spawn error\)/);
    });

    it('stop: stopped, not running (exit 0), unknown (exit 1), a group in process order, as supervisorctl lists it', async () => {
      assert.deepEqual(await h.ctl('stop', 'worker'), { code: 0, stdout: 'worker: stopped\n', stderr: '' });
      assert.deepEqual(await h.ctl('stop', 'worker'), { code: 0, stdout: 'worker: ERROR (not running)\n', stderr: '' });
      assert.deepEqual(await h.ctl('stop', 'web:nope'), { code: 1, stdout: 'web:nope: ERROR (no such process)\n', stderr: '' });
      assert.deepEqual(await h.ctl('stop', 'web'), { code: 0, stdout: 'web:web_00: stopped\nweb:web_01: stopped\n', stderr: '' });
      assert.equal((await h.ctl('stop')).code, 1);
    });

    it('restart: stop lines, then start lines', async () => {
      const run = await h.ctl('restart', 'worker', 'cron');
      assert.equal(run.stdout, 'worker: stopped\ncron: ERROR (not running)\nworker: started\ncron: started\n');
      assert.equal(run.code, 0);
      assert.deepEqual(h.api.calls, ['stop worker:worker', 'stop cron:cron', 'start worker:worker', 'start cron:cron']);
      const bad = await h.ctl('restart', 'nope');
      assert.equal(bad.stdout, 'nope: ERROR (no such process)\nnope: ERROR (no such process)\n');
      assert.equal(bad.code, 1);
      assert.match((await h.ctl('restart')).stdout, /^Error: restart requires a process name/);
    });
  });

  describe('signal / pid / clear', () => {
    it('signal: signalled, not running (exit 7), bad signal (exit 1), usage (exit 1)', async () => {
      assert.deepEqual(await h.ctl('signal', 'HUP', 'web:*'), { code: 0, stdout: 'web:web_00: signalled\nweb:web_01: signalled\n', stderr: '' });
      assert.deepEqual(await h.ctl('signal', 'USR1', 'cron'), { code: 7, stdout: 'cron: ERROR (not running)\n', stderr: '' });
      assert.deepEqual(await h.ctl('signal', 'NOPE', 'worker'), { code: 1, stdout: 'worker: ERROR (bad signal name)\n', stderr: '' });
      assert.deepEqual(await h.ctl('signal', 'H;UP', 'worker'), { code: 1, stdout: 'worker: ERROR (bad signal name)\n', stderr: '' });
      assert.deepEqual(await h.ctl('signal', 'HUP', 'nope'), { code: 1, stdout: 'nope: ERROR (no such process)\n', stderr: '' });
      const usage = await h.ctl('signal', 'HUP');
      assert.equal(usage.code, 1);
      assert.match(usage.stdout, /^Error: signal requires a signal name and a process name/);
    });

    it('pid: vigil, a process, all, not running (exit 7), unknown (exit 1)', async () => {
      assert.deepEqual(await h.ctl('pid'), { code: 0, stdout: `${process.pid}\n`, stderr: '' });
      assert.deepEqual(await h.ctl('pid', 'worker'), { code: 0, stdout: '50\n', stderr: '' });
      assert.deepEqual(await h.ctl('pid', 'all'), { code: 0, stdout: '0\n0\n42\n43\n50\n', stderr: '' });
      assert.deepEqual(await h.ctl('pid', 'cron'), { code: 7, stdout: '0\n', stderr: '' });
      assert.deepEqual(await h.ctl('pid', 'nope'), { code: 1, stdout: 'No such process nope\n', stderr: '' });
    });

    it('clear: cleared, all, unknown', async () => {
      assert.deepEqual(await h.ctl('clear', 'worker'), { code: 0, stdout: 'worker: cleared\n', stderr: '' });
      assert.equal((await h.ctl('clear', 'all')).stdout.split('\n').length, 6);
      assert.deepEqual(await h.ctl('clear', 'nope'), { code: 1, stdout: 'nope: ERROR (no such process)\n', stderr: '' });
      assert.equal((await h.ctl('clear')).code, 1);
    });
  });

  describe('tail', () => {
    it('prints the last bytes of a channel', async () => {
      h.api.emit('worker:worker', 'stdout', 'line one\nline two\n');
      h.api.emit('worker:worker', 'stderr', 'oops\n');
      assert.deepEqual(await h.ctl('tail', 'worker'), { code: 0, stdout: 'line one\nline two\n\n', stderr: '' });
      assert.deepEqual(await h.ctl('tail', '-9', 'worker'), { code: 0, stdout: 'line two\n\n', stderr: '' });
      assert.deepEqual(await h.ctl('tail', 'worker', 'stderr'), { code: 0, stdout: 'oops\n\n', stderr: '' });
    });

    it('reports bad names, channels, arguments and missing logs like supervisorctl', async () => {
      assert.deepEqual(await h.ctl('tail', 'nope'), { code: 1, stdout: 'nope: ERROR (no such process name)\n', stderr: '' });
      assert.deepEqual(await h.ctl('tail', 'cron'), { code: 1, stdout: 'cron: ERROR (no log file)\n', stderr: '' });
      assert.deepEqual(await h.ctl('tail', 'worker', 'stdin'), { code: 1, stdout: "Error: bad channel 'stdin'\n", stderr: '' });
      assert.deepEqual(await h.ctl('tail', '-x', 'worker'), { code: 1, stdout: 'Error: bad argument -x\n', stderr: '' });
      assert.match((await h.ctl('tail')).stdout, /^Error: too few arguments\ntail \[-f\]/);
      const several = await h.ctl('tail', 'web');
      assert.equal(several.code, 1);
      // a group is no process name to readProcessStdoutLog either
      assert.equal(several.stdout, 'web: ERROR (no such process name)\n');
    });

    it('tail -f streams live output until the server ends it', async () => {
      h.api.emit('worker:worker', 'stdout', 'before\n');
      const running = h.ctl('tail', '-f', 'worker');
      await waitUntil(() => h.api.followerCount() === 1, 'tail -f to subscribe');
      h.api.emit('worker:worker', 'stdout', 'live 1\n');
      h.api.emit('worker:worker', 'stdout', Buffer.from('héllo\n').subarray(0, 2).toString('latin1'));
      h.api.emit('worker:worker', 'stdout', 'live 2\n');
      await new Promise((resolve) => setTimeout(resolve, 50));
      // close() ends every follow stream.
      await h.server.close();
      const run = await running;
      assert.equal(run.code, 0);
      assert.match(run.stdout, /^==> Press Ctrl-C to exit <==\nbefore\nlive 1\n/);
      assert.match(run.stdout, /live 2\n$/);
      assert.equal(h.api.followerCount(), 0, 'unsubscribed');
      h = await restartOn(h);
    });

    it('tail -f stops on Ctrl-C and unsubscribes', async () => {
      const running = h.ctl('tail', '-f', 'worker', 'stderr');
      await waitUntil(() => h.api.followerCount() === 1, 'tail -f to subscribe');
      h.api.emit('worker:worker', 'stderr', 'err line\n');
      await new Promise((resolve) => setTimeout(resolve, 30));
      process.emit('SIGINT');
      const run = await running;
      assert.equal(run.stdout, '==> Press Ctrl-C to exit <==\nerr line\n\n');
      await waitUntil(() => h.api.followerCount() === 0, 'the server to unsubscribe after the client left');
    });

    it('tail -f of an unknown name exits 1', async () => {
      assert.deepEqual(await h.ctl('tail', '-f', 'nope'), { code: 1, stdout: 'nope: ERROR (no such process name)\n', stderr: '' });
    });
  });

  describe('config and supervisor commands', () => {
    it('reread: changes sorted, none, and a config error', async () => {
      assert.deepEqual(await h.ctl('reread'), { code: 0, stdout: 'No config updates to processes\n', stderr: '' });
      h.api.changes = { added: ['new'], changed: ['web'], removed: ['cron'] };
      assert.deepEqual(await h.ctl('reread'), { code: 0, stdout: 'cron: disappeared\nnew: available\nweb: changed\n', stderr: '' });
      h.api.rereadError = 'vigil.conf:3: bad value';
      assert.deepEqual(await h.ctl('reread'), { code: 1, stdout: 'ERROR: CANT_REREAD: vigil.conf:3: bad value\n', stderr: '' });
      assert.equal((await h.ctl('reread', 'x')).code, 1);
    });

    it('update and reload with an invalid config: CANT_REREAD, exit 1, nothing applied', async () => {
      h.api.rereadError = 'vigil.conf:3: bad value';
      // supervisorctl prints the CANT_REREAD fault and exits 1.
      for (const args of [['update'], ['update', 'web'], ['reload']]) {
        const result = await h.ctl(...args);
        assert.equal(result.code, 1, args.join(' '));
        assert.match(result.stdout, /^(error|ERROR): CANT_REREAD: vigil\.conf:3: bad value\n$/, args.join(" "));
      }
      assert.deepEqual(h.api.calls, []);
      assert.equal(h.api.reloads, 0);
    });

    it('update: applies removed, changed, added; unknown groups exit 1', async () => {
      h.api.changes = { added: ['new'], changed: ['web'], removed: ['cron'] };
      assert.deepEqual(await h.ctl('update'), {
        code: 0,
        stdout: 'cron: stopped\ncron: removed process group\nweb: stopped\nweb: updated process group\nnew: added process group\n',
        stderr: '',
      });
      assert.deepEqual(await h.ctl('update', 'new', 'ghost'), { code: 1, stdout: 'ERROR: no such group: ghost\nnew: added process group\n', stderr: '' });
      assert.deepEqual(await h.ctl('update', 'ghost'), { code: 1, stdout: 'ERROR: no such group: ghost\n', stderr: '' });
      assert.deepEqual(h.api.calls, ['update (all)', 'update new']);
    });

    it('avail, version, reload', async () => {
      assert.deepEqual(await h.ctl('avail'), {
        code: 0,
        stdout: `${'web:web_00'.padEnd(32)} in use    auto      999:999\n${'cron'.padEnd(32)} in use    manual    10:10\n`,
        stderr: '',
      });
      assert.deepEqual(await h.ctl('version'), { code: 0, stdout: '9.9.9-test\n', stderr: '' });
      assert.deepEqual(await h.ctl('reload'), { code: 0, stdout: 'Restarted supervisord\n', stderr: '' });
      await waitUntil(() => h.api.reloads === 1, 'reload to be called after the reply');
    });

    it('shutdown, then the server refuses changes with SHUTDOWN_STATE', async () => {
      assert.deepEqual(await h.ctl('shutdown'), { code: 0, stdout: 'Shut down\n', stderr: '' });
      await waitUntil(() => h.api.shutdowns === 1, 'shutdown to be called after the reply');
      assert.deepEqual(await h.ctl('shutdown'), { code: 0, stdout: 'ERROR: already shutting down\n', stderr: '' });
      assert.deepEqual(await h.ctl('reread'), { code: 1, stdout: 'ERROR: supervisor shutting down\n', stderr: '' });
      assert.deepEqual(await h.ctl('reload'), { code: 1, stdout: 'ERROR: already shutting down\n', stderr: '' });
      assert.equal((await h.ctl('start', 'cron')).code, 1);
      assert.equal((await h.ctl('status', 'worker')).code, 0, 'status still answers');
      h = await restartOn(h);
    });
  });

  describe('usage and connection errors', () => {
    it('help, unknown commands and options', async () => {
      const usage = await runCtlCaptured(['--help']);
      assert.equal(usage.code, 0);
      assert.match(usage.stdout, /^Usage: vigil ctl/);
      // supervisorctl's help: its command table, every command vigil ctl has.
      const helpRun = await runCtlCaptured(['help']);
      assert.equal(helpRun.code, 0);
      assert.match(helpRun.stdout, /^\ndefault commands \(type help <topic>\):\n=+\nadd +exit +open/);
      assert.deepEqual(await runCtlCaptured(['help', 'nosuch']), { code: 0, stdout: '*** No help on nosuch\n', stderr: '' });
      assert.match((await runCtlCaptured(['help', 'tail'])).stdout, /^tail \[-f\] <name>/);
      assert.deepEqual(await h.ctl('frobnicate', 'x'), { code: 1, stdout: '*** Unknown syntax: frobnicate x\n', stderr: '' });
      const bad = await runCtlCaptured(['--bogus', 'status']);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /unknown option '--bogus'/);
    });

    it('a missing socket: status 4, start 7, avail 1, shutdown 1', async () => {
      const url = `unix://${h.dir}/missing.sock`;
      assertCtl(await runCtlCaptured(['-s', url, 'status']), 4, `${url} no such file\n`);
      assertCtl(await runCtlCaptured(['-s', url, 'start', 'web']), 7, `${url} no such file\n`);
      assertCtl(await runCtlCaptured(['-s', url, 'avail']), 1, `error: ${url} no such file\n`);
      assertCtl(await runCtlCaptured(['-s', url, 'shutdown']), 1, `ERROR: ${url} no such file (already shut down?)\n`);
      const json = await runCtlCaptured(['-s', url, '--json', 'status']);
      assert.equal(json.code, 4);
      assert.equal((JSON.parse(json.stdout) as { error: { code: string } }).error.code, 'ENOENT');
    });

    it('a refused connection: status 4, stop 4', async () => {
      const stale = `${h.dir}/stale.sock`;
      await makeStaleSocket(stale);
      const url = `unix://${stale}`;
      assertCtl(await runCtlCaptured(['-s', url, 'status']), 4, `${url} refused connection\n`);
      assertCtl(await runCtlCaptured(['-s', url, 'stop', 'x']), 4, `${url} refused connection\n`);
      assertCtl(await runCtlCaptured(['-s', url, 'reread']), 1, `error: ${url} refused connection\n`);
    });

    it('finds the socket through -c FILE ([unix_http_server] file=)', async () => {
      const { writeFileSync } = await import('node:fs');
      const conf = `${h.dir}/vigil.conf`;
      writeFileSync(conf, `[unix_http_server]\nfile = ${h.socket} ; the socket\n\n[program:x]\ncommand=true\n`);
      assert.equal((await runCtlCaptured(['-c', conf, 'version'])).stdout, '9.9.9-test\n');
      assert.equal((await runCtlCaptured(['version'], { VIGIL_CONFIG: conf })).stdout, '9.9.9-test\n');
    });
  });
});

// test/helpers/wait.ts's waitFor, in this file's shorter form.
async function waitUntil(probe: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  await waitFor(() => probe(), { message: what, timeoutMs, intervalMs: 10 });
}

// A new server (fresh state) after a test closed or shut down the old one.
async function restartOn(old: Harness): Promise<Harness> {
  await old.close();
  return startHarness();
}
