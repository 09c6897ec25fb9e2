// `vigil ctl` over a real socket with an in-memory supervisor: supervisord's
// group semantics (members not acted on print nothing), add / remove,
// maintail, the stdin route behind fg, the interactive shell and the hints on
// stderr.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { runCtl } from '../../../src/ctl/run-ctl.ts';
import { useHarness } from './harness.ts';
import type { Harness } from './harness.ts';

describe('vigil ctl: supervisord semantics and the commands beyond the basics', () => {
  let h!: Harness;
  useHarness({ get: () => h, set: (harness) => (h = harness) });

  it('signal all / GROUP:* skip members that are not running: no line, exit 0', async () => {
    assert.deepEqual(await h.ctl('signal', 'HUP', 'all'), { code: 0, stdout: 'web:web_00: signalled\nweb:web_01: signalled\nworker: signalled\n', stderr: '' });
    assert.ok(!h.api.calls.some((call) => call.includes('cron')), h.api.calls.join(', '));
    // a single name is still answered
    assert.equal((await h.ctl('signal', 'HUP', 'cron')).stdout, 'cron: ERROR (not running)\n');
  });

  it('start all starts only what is not running; stop all stops only what is', async () => {
    const start = await h.ctl('start', 'all');
    assert.equal(start.stdout, 'cron: started\nbroken: ERROR (spawn error)\n');
    assert.equal(start.code, 7);
    assert.deepEqual(await h.ctl('start', 'web:*'), { code: 0, stdout: '', stderr: '' });
    const stop = await h.ctl('stop', 'all');
    assert.equal(stop.stdout, 'web:web_00: stopped\nweb:web_01: stopped\nworker: stopped\ncron: stopped\n');
    assert.deepEqual(await h.ctl('stop', 'all'), { code: 0, stdout: '', stderr: '' });
  });

  it('add and remove: supervisorctl lines and exit codes', async () => {
    assert.deepEqual(await h.ctl('add', 'extra'), { code: 0, stdout: 'extra: added process group\n', stderr: '' });
    assert.deepEqual(await h.ctl('add', 'extra'), { code: 0, stdout: 'ERROR: process group already active\n', stderr: '' });
    assert.deepEqual(await h.ctl('add', 'ghost'), { code: 1, stdout: 'ERROR: no such process/group: ghost\n', stderr: '' });
    assert.deepEqual(await h.ctl('remove', 'web'), { code: 1, stdout: 'ERROR: process/group still running: web\n', stderr: '' });
    assert.deepEqual(await h.ctl('remove', 'extra', 'ghost'), { code: 1, stdout: 'extra: removed process group\nERROR: no such process/group: ghost\n', stderr: '' });
    assert.deepEqual(await h.ctl('add'), { code: 0, stdout: '', stderr: '' });
  });

  it('maintail: the last bytes of vigil\'s own log; bad arguments', async () => {
    assert.deepEqual(await h.ctl('maintail'), { code: 0, stdout: '2026-11-30 00:00:00,000 INFO vigil started\n\n', stderr: '' });
    assert.deepEqual(await h.ctl('maintail', '-8'), { code: 0, stdout: 'started\n\n', stderr: '' });
    assert.deepEqual(await h.ctl('maintail', '-99999999'), { code: 0, stdout: '2026-11-30 00:00:00,000 INFO vigil started\n\n', stderr: '' });
    assert.deepEqual(await h.ctl('maintail', 'x'), { code: 1, stdout: 'Error: bad argument x\n', stderr: '' });
    assert.equal((await h.ctl('maintail', '-1', '-2')).stdout.split('\n')[0], 'Error: too many arguments');
  });

  it('fg: refusals, then input to stdin until end of input', async () => {
    assert.deepEqual(await h.ctl('fg', 'cron'), { code: 1, stdout: 'ERROR: process not running\n', stderr: '' });
    assert.deepEqual(await h.ctl('fg', 'web'), { code: 1, stdout: 'ERROR: bad process name supplied\n', stderr: "vigil ctl: 'web' is not a process name; did you mean web:web_00 or web:web_01?\n" });
    let stdout = '';
    const code = await runCtl(['-s', `unix://${h.socket}`, 'fg', 'worker'], {
      stdout: (text) => void (stdout += text),
      stderr: () => undefined,
      stdin: Readable.from(['hello\n', 'again\n']),
    });
    assert.equal(code, 0);
    assert.equal(stdout, '==> Press Ctrl-C to exit <==\nExiting foreground\n');
    assert.deepEqual(h.api.stdinWrites, ['worker:worker hello\n', 'worker:worker again\n']);
  });

  it('the interactive shell: status, a prompt per command, exit status 0', async () => {
    let stdout = '';
    const code = await runCtl(['-s', `unix://${h.socket}`], {
      stdout: (text) => void (stdout += text),
      stderr: () => undefined,
      stdin: Readable.from(['status worker\n', '\n', 'nope\n', 'pid nope\n']),
    });
    assert.equal(code, 0);
    const statusLines = stdout.split('supervisor> ')[0] as string;
    assert.match(statusLines, /^broken +FATAL/);
    assert.deepEqual(stdout.split('supervisor> ').slice(1), [
      'worker                           RUNNING   pid 50, uptime 0:01:02\n',
      '',
      '*** Unknown syntax: nope\n',
      'No such process nope\n',
      '\n',
    ]);
  });

  it('a name only found inside a group: "did you mean" on stderr, stdout unchanged', async () => {
    const run = await h.ctl('status', 'web_00');
    assert.equal(run.stdout, 'web_00: ERROR (no such process)\n');
    assert.equal(run.stderr, "vigil ctl: 'web_00' is not a process name; did you mean web:web_00?\n");
    assert.equal((await h.ctl('--json', 'status', 'web_00')).stderr, '');
  });
});
