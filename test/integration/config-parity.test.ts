// Issue 10, as PID 1: configs supervisord runs, vigil runs (a part it cannot
// honour is refused, never the container), and a failing program says why.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir, writeConfig } from '../helpers/config.ts';
import { ctl } from '../helpers/ctl.ts';
import { FIXTURES, startVigil } from '../helpers/vigil.ts';
import { waitFor } from '../helpers/wait.ts';


// Polls `ctl status` until every pattern matches its output.
async function waitForStatus(config: string, patterns: RegExp[], message: string): Promise<string> {
  let last = '';
  return waitFor(
    async () => {
      last = (await ctl(config, 'status')).stdout;
      return patterns.every((pattern) => pattern.test(last)) ? last : undefined;
    },
    { timeoutMs: 20_000, intervalMs: 100, message: () => `${message}; last status:\n${last}` },
  );
}

describe('config parity: what supervisord runs, vigil runs', () => {
  it('[supervisord] user=nobody: programs without user= run as nobody; a program user=root is FATAL; the others run', async () => {
    const config = writeConfig(`
[supervisord]
user=nobody
[program:plain]
command=sh -c 'echo "uid=$(id -u)"; exec sleep 1000'
startsecs=0
[program:same]
command=sh -c 'echo "uid=$(id -u)"; exec sleep 1000'
user=nobody
startsecs=0
[program:other]
command=sh -c 'echo "uid=$(id -u)"; exec sleep 1000'
user=root
startretries=0
`);
    const run = startVigil(['-c', config]);
    await waitForStatus(config, [/^plain +RUNNING/m, /^same +RUNNING/m, /^other +FATAL +couldn't setuid to 0: Can't drop privilege as nonroot user/m], 'user= not applied');
    assert.match(run.stdout(), /^plain +\| uid=65534$/m);
    assert.match(run.stdout(), /^same +\| uid=65534$/m);
    assert.doesNotMatch(run.stdout(), /^other/m, 'the refused program must not have run');
    assert.match(run.stderr(), /\[program:other\] user.*Can't drop privilege as nonroot user|couldn't setuid to 0/);
    run.kill();
  });

  it('result_handler=supervisor_stdout:event_handler: the listener is not started, one notice line, the rest runs', async () => {
    const config = writeConfig(`
[program:web]
command=sh -c 'echo web says hi; exec sleep 1000'
startsecs=0
stdout_events_enabled=true
[eventlistener:stdout]
command=/bin/false
buffer_size=100
events=PROCESS_LOG
result_handler=supervisor_stdout:event_handler
`);
    const run = startVigil(['-c', config]);
    const status = await waitForStatus(config, [/^web +RUNNING/m], 'web never ran');
    assert.doesNotMatch(status, /stdout/, 'the supervisor-stdout listener must not be a process');
    await run.waitForStdout(/^web \| web says hi$/m);
    const notices = run.stderr().split('\n').filter((line) => line.includes('supervisor_stdout:event_handler'));
    assert.equal(notices.length, 1, run.stderr());
    assert.match(notices[0] as string, / INFO .*this listener is not started/);
    run.kill();
  });

  it('a command whose quotes do not balance (after the inline comment is cut): that program is FATAL with the spawn error, the others run', async () => {
    const config = writeConfig(`
[program:broken]
command=sh -c "echo hi ; echo there"
[program:fine]
command=sleep 1000
startsecs=0
`);
    const run = startVigil(['-c', config]);
    const status = await waitForStatus(config, [/^fine +RUNNING/m, /^broken +FATAL/m], 'broken should be FATAL, fine RUNNING');
    assert.match(status, /^broken +FATAL +can't parse command 'sh -c "echo hi': no closing quotation/m);
    assert.match(run.stderr(), /WARN .*command: cannot split/);
    const start = await ctl(config, 'start', 'broken');
    assert.notEqual(start.code, 0);
    assert.match(start.stdout, /^broken: ERROR/);
    run.kill();
  });

  it('[include] files= matching a directory: skipped with a warning, the included programs run', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'conf.d', 'a-directory.conf'), { recursive: true });
    writeFileSync(join(dir, 'conf.d', 'real.conf'), '[program:included]\ncommand=sleep 1000\nstartsecs=0\n');
    const config = writeConfig('[include]\nfiles=conf.d/*.conf\n', dir);
    const run = startVigil(['-c', config]);
    await waitForStatus(config, [/^included +RUNNING/m], 'the included program never ran');
    assert.match(run.stderr(), /a-directory\.conf is a directory; skipped/);
    run.kill();
  });

  it('strip_ansi=true strips escapes from log files and PROCESS_LOG events; events=PROCESS_LOG gets supervisord\'s payloads', async () => {
    const dir = tempDir();
    const events = join(dir, 'events.log');
    const logfile = join(dir, 'talker.log');
    const config = writeConfig(`
[supervisord]
strip_ansi=true
[program:talker]
command=sh -c 'printf "\\033[31mred\\033[0m text\\n"; echo oops >&2; exec sleep 1000'
stdout_logfile=${logfile}
stdout_events_enabled=true
stderr_events_enabled=true
startsecs=0
[eventlistener:logs]
command=/usr/bin/python3 ${join(FIXTURES, 'listener.py')} ${events}
events=PROCESS_LOG
`, dir);
    const run = startVigil(['-c', config]);
    const read = (path: string): string => {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return '';
      }
    };
    await waitFor(() => read(events).includes('PROCESS_LOG_STDERR') && read(events).includes('PROCESS_LOG_STDOUT'), {
      timeoutMs: 20_000,
      message: () => `no PROCESS_LOG events; got:\n${read(events)}\nvigil stderr:\n${run.stderr()}`,
    });
    assert.match(read(events), /^PROCESS_LOG_STDOUT processname:talker groupname:talker pid:\d+ channel:stdout\nred text\n/m);
    assert.match(read(events), /^PROCESS_LOG_STDERR processname:talker groupname:talker pid:\d+ channel:stderr\noops\n/m);
    assert.equal(read(logfile), 'red text\n');
    run.kill();
  });

  it('silent=true keeps vigil\'s own log off stderr (the logfile still gets it)', async () => {
    const dir = tempDir();
    const own = join(dir, 'vigil.log');
    const config = writeConfig(`[supervisord]\nsilent=true\nlogfile=${own}\n[program:quiet]\ncommand=sleep 1000\nstartsecs=0\n`, dir);
    const run = startVigil(['-c', config]);
    await waitForStatus(config, [/^quiet +RUNNING/m], 'quiet never ran');
    await waitFor(() => readFileSync(own, 'utf8').includes("spawned: 'quiet'"), { message: 'the logfile never got the spawn line' });
    assert.doesNotMatch(run.stderr(), /spawned/);
    run.kill();
  });

  it('every spelling of the console goes through the prefixed writer: /dev/fd/1, /dev/fd/2, /proc/self/fd/1, /proc/1/fd/2', async () => {
    const config = writeConfig(`
[program:fd]
command=sh -c 'echo to-fd1; echo to-fd2 >&2; exec sleep 1000'
stdout_logfile=/dev/fd/1
stdout_logfile_maxbytes=0
stderr_logfile=/dev/fd/2
stderr_logfile_maxbytes=0
startsecs=0
[program:proc]
command=sh -c 'echo to-self1; echo to-pid1-2 >&2; exec sleep 1000'
stdout_logfile=/proc/self/fd/1
stdout_logfile_maxbytes=0
stderr_logfile=/proc/1/fd/2
stderr_logfile_maxbytes=0
startsecs=0
`);
    const run = startVigil(['-c', config]);
    await run.waitForStdout(/^fd +\| to-fd1$/m);
    await run.waitForStdout(/^proc +\| to-self1$/m);
    await run.waitForStderr(/^fd +\| to-fd2$/m);
    await run.waitForStderr(/^proc +\| to-pid1-2$/m);
    run.kill();
  });
});

describe('"Exited too quickly": vigil says why', () => {
  it('a program that exits 1 with "boom: missing DATABASE_URL" shows that line in the log and in ctl status', async () => {
    const config = writeConfig(`
[program:web]
command=sh -c 'echo starting up; echo "boom: missing DATABASE_URL" >&2; exit 1'
startretries=1
[program:ok]
command=sleep 1000
startsecs=0
`);
    const run = startVigil(['-c', config]);
    const status = await waitForStatus(config, [/^web +FATAL/m, /^ok +RUNNING/m], 'web should give up');
    assert.match(status, /^web +FATAL +Exited too quickly \(exit status 1; stderr: "boom: missing DATABASE_URL"\)$/m);
    assert.match(run.stderr(), /WARN exited: web \(exit status 1; not expected\); stderr: "boom: missing DATABASE_URL"/);
    assert.match(run.stderr(), /gave up: web entered FATAL state, too many start retries too quickly; last: Exited too quickly \(exit status 1; stderr: "boom: missing DATABASE_URL"\)/);
    run.kill();
  });

  it('a script whose #! interpreter is missing: the spawn error names the interpreter', async () => {
    const dir = tempDir();
    const script = join(dir, 'run.sh');
    writeFileSync(script, '#!/no/such/interpreter\necho hi\n', { mode: 0o755 });
    const config = writeConfig(`[program:script]\ncommand=${script}\nstartretries=0\n`, dir);
    const run = startVigil(['-c', config]);
    await waitForStatus(config, [/^script +FATAL +couldn't exec .*run\.sh: ENOENT \(its #! interpreter \/no\/such\/interpreter does not exist\)$/m], 'no interpreter in the spawn error');
    run.kill();
  });

  it('a signal and redirected stderr: the description names the signal and quotes stdout', async () => {
    const config = writeConfig(`
[program:killed]
command=sh -c 'echo "fatal: cannot bind" >&2; kill -KILL $$'
redirect_stderr=true
startretries=0
`);
    const run = startVigil(['-c', config]);
    await waitForStatus(config, [/^killed +FATAL +Exited too quickly \(terminated by SIGKILL; stdout: "fatal: cannot bind"\)$/m], 'no signal in the description');
    run.kill();
  });

  it('logformat=json: process records carry program, group, pid, from/to state, exit status and signal', async () => {
    const config = writeConfig(`
[supervisord]
logformat=json
[program:once]
command=sh -c 'exit 4'
startsecs=0
autorestart=false
`);
    const run = startVigil(['-c', config]);
    await run.waitForStderr('exited: once');
    const records = run.stderr().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
    const exited = records.find((record) => String(record.msg).startsWith('exited: once'));
    assert.ok(exited, run.stderr());
    assert.equal(exited.program, 'once');
    assert.equal(exited.group, 'once');
    assert.ok(typeof exited.pid === 'number' && exited.pid > 1, `pid ${String(exited.pid)}`);
    assert.equal(exited.from, 'RUNNING');
    assert.equal(exited.to, 'EXITED');
    assert.equal(exited.exitstatus, 4);
    assert.equal(exited.signal, null);
    const spawned = records.find((record) => String(record.msg).startsWith("spawned: 'once'"));
    assert.equal(spawned?.from, 'STARTING');
    assert.match(String(exited.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    run.kill();
  });

  it('vigil\'s text lines and programs\' timestamped lines use one timestamp format', async () => {
    const config = writeConfig(`[supervisord]\nlog_timestamps=true\n[program:clock]\ncommand=sh -c 'echo tick; exec sleep 1000'\nstartsecs=0\n`);
    const run = startVigil(['-c', config]);
    const line = await run.waitForStdout(/^\S+ clock \| tick$/m);
    const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/;
    assert.match(line, iso);
    const spawned = await run.waitForStderr(/^\S+ INFO spawned: 'clock'/m);
    assert.match(spawned, iso);
    run.kill();
  });
});

describe('vigil -c FILE -- CMD: ctl stop main', () => {
  it('stopping main ends the container with main\'s exit code; restarting it does not', async () => {
    const config = writeConfig('[program:side]\ncommand=sleep 1000\nstartsecs=0\n');
    const run = startVigil(['-c', config, '--', 'sh', '-c', 'trap "exit 7" TERM; while :; do sleep 0.1; done']);
    await waitForStatus(config, [/^main +RUNNING/m, /^side +RUNNING/m], 'main never ran');
    const restart = await ctl(config, 'restart', 'main');
    assert.equal(restart.code, 0, restart.stdout + restart.stderr);
    await waitForStatus(config, [/^main +RUNNING/m], 'main was not restarted');
    const stop = await ctl(config, 'stop', 'main');
    assert.match(stop.stdout, /main: stopped/);
    const exit = await run.waitExit(20_000);
    assert.equal(exit.code, 7, run.stderr());
    assert.match(run.stderr(), /main:main was stopped by request: shutting down with its exit code 7/);
  });
});
