// Whole-supervisor behaviour as PID 1: shutdown of leftovers, critical
// programs and `-- CMD`, HUP reload, event listeners, and a stress run.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { descendants, zombiesUnder } from '../helpers/procfs.ts';
import { tempDir, writeConfig } from '../helpers/config.ts';
import { FIXTURES, startVigil } from '../helpers/vigil.ts';
import { waitFor } from '../helpers/wait.ts';

describe('supervisor: shutdown', () => {
  it('TERM stops programs, then terminates daemonized leftovers, reaps all, exits 0', async () => {
    const config = writeConfig(`
[program:daemonizer]
command=sh -c '(sleep 1000 &); (trap "" TERM; sleep 1000) & echo forked; exec sleep 1000'
startsecs=0
`);
    const run = startVigil(['-c', config]);
    await run.waitForStdout('daemonizer | forked');
    const vigil = await run.vigilPid();
    await waitFor(() => descendants(vigil).length >= 3, { message: 'processes started' });
    await run.signal('SIGTERM');
    assert.equal((await run.waitExit()).code, 0, run.stderr());
    assert.match(run.stderr(), /terminating \d leftover process/);
    assert.match(run.stderr(), /killing \d leftover process\(es\) with SIGKILL/);
  });
});

describe('supervisor: critical programs and -- CMD', () => {
  it('critical=true: when it exits for good vigil shuts down and exits with its code', async () => {
    const config = writeConfig(`
[program:keeper]
command=sleep 1000
startsecs=0
[program:job]
command=sh -c 'sleep 0.3; exit 5'
startsecs=0
autorestart=false
critical=true
`);
    const run = startVigil(['-c', config]);
    assert.equal((await run.waitExit()).code, 5, run.stderr());
    assert.match(run.stderr(), /critical program job:job ended for good \(exit code 5\)/);
    assert.match(run.stderr(), /stopped: keeper/);
  });

  it('critical=true and killed by a signal: 128+N', async () => {
    const config = writeConfig(`
[program:job]
command=sh -c 'sleep 0.3; kill -KILL $$'
startsecs=0
autorestart=false
critical=true
`);
    const run = startVigil(['-c', config]);
    assert.equal((await run.waitExit()).code, 137, run.stderr());
  });

  it('critical=true that goes FATAL before ever running: exit 1', async () => {
    const config = writeConfig(`
[program:broken]
command=sh -c 'exit 0'
startsecs=2
startretries=0
critical=true
`);
    const run = startVigil(['-c', config]);
    assert.equal((await run.waitExit()).code, 1, run.stderr());
  });

  it('a restarting critical program does not stop vigil', async () => {
    const dir = tempDir();
    const config = writeConfig(`
[program:flappy]
command=sh -c 'echo run >> ${join(dir, 'runs')}; sleep 0.2; exit 3'
startsecs=0
autorestart=true
critical=true
`, dir);
    const run = startVigil(['-c', config]);
    await waitFor(() => existsSync(join(dir, 'runs')) && readFileSync(join(dir, 'runs'), 'utf8').split('\n').length > 3, {
      message: 'several restarts',
    });
    await run.signal('SIGTERM');
    assert.equal((await run.waitExit()).code, 0);
  });

  it('vigil -c FILE -- CMD: runs the programs plus CMD, exits with CMD code', async () => {
    const config = writeConfig(`
[program:side]
command=sh -c 'echo side up; exec sleep 1000'
startsecs=0
`);
    const run = startVigil(['-c', config, '--', 'sh', '-c', 'sleep 0.5; echo main done; exit 42']);
    assert.equal((await run.waitExit()).code, 42, run.stderr());
    assert.match(run.stdout(), /side \| side up/);
    assert.match(run.stdout(), /^main done$/m); // CMD keeps vigil's stdout, unprefixed
    assert.match(run.stderr(), /stopped: side/);
  });
});

describe('supervisor: HUP reload', () => {
  it('adds, removes and restarts changed programs; leaves unchanged ones running', async () => {
    const dir = tempDir();
    const base = (changed: string, extra: string): string => `
[program:same]
command=sleep 1000
startsecs=0
[program:changing]
command=sleep ${changed}
startsecs=0
${extra}`;
    const config = writeConfig(base('1000', '[program:removed]\ncommand=sleep 1000\nstartsecs=0\n'), dir);
    const run = startVigil(['-c', config]);
    await run.waitForStderr('success: removed entered RUNNING');
    await run.waitForStderr('success: changing entered RUNNING');
    const samePid = /spawned: 'same' with pid (\d+)/.exec(run.stderr())?.[1];
    writeFileSync(config, readFileSync(config, 'utf8').replace(/\[program:same\][\s\S]*/, '') +
      base('2000', '[program:added]\ncommand=sleep 1000\nstartsecs=0\n'));
    await run.signal('SIGHUP');
    await run.waitForStderr('success: added entered RUNNING');
    await run.waitForStderr('stopped: removed');
    await waitFor(() => (run.stderr().match(/spawned: 'changing'/g) ?? []).length === 2, { message: 'changing restarted' });
    assert.equal((run.stderr().match(/spawned: 'same'/g) ?? []).length, 1, 'unchanged program kept running');
    assert.ok(samePid);
    await run.signal('SIGTERM');
    assert.equal((await run.waitExit()).code, 0);
  });

  it('a config that no longer parses is reported and changes nothing', async () => {
    const dir = tempDir();
    const config = writeConfig('[program:a]\ncommand=sleep 1000\nstartsecs=0\n', dir);
    const run = startVigil(['-c', config]);
    await run.waitForStderr('success: a entered RUNNING');
    writeFileSync(config, readFileSync(config, 'utf8') + '\n[program:b]\ncommand=sleep 1\nautostart=maybe\n');
    await run.signal('SIGHUP');
    await run.waitForStderr(/autostart/);
    assert.ok(!run.stderr().includes("spawned: 'b'"));
    assert.ok(!run.stderr().includes('stopped: a'));
    await run.signal('SIGTERM');
    assert.equal((await run.waitExit()).code, 0);
  });
});

describe("supervisor: vigil's own log file", () => {
  it('[supervisord] logfile gets vigil\'s log; USR2 reopens it after an external rename', async () => {
    const dir = tempDir();
    const log = join(dir, 'vigil.log');
    const config = writeConfig(`
[supervisord]
logfile=${log}
[program:a]
command=sleep 1000
startsecs=0
`, dir);
    const run = startVigil(['-c', config]);
    await waitFor(() => existsSync(log) && readFileSync(log, 'utf8').includes('success: a entered RUNNING'), {
      message: 'vigil log file never got the RUNNING line',
    });
    renameSync(log, `${log}.1`);
    await run.signal('SIGUSR2');
    await waitFor(() => existsSync(log), { message: 'USR2 did not reopen the log file' });
    await run.signal('SIGTERM');
    assert.equal((await run.waitExit()).code, 0);
    assert.match(readFileSync(log, 'utf8'), /exiting with code 0/);
    assert.match(readFileSync(`${log}.1`, 'utf8'), /received SIGUSR2/);
  });
});

describe('supervisor: event listeners', () => {
  it('a listener written like supervisor docs show receives state changes', async () => {
    const dir = tempDir();
    const events = join(dir, 'events.log');
    const config = writeConfig(`
[eventlistener:watcher]
command=/usr/bin/python3 ${join(FIXTURES, 'listener.py')} ${events}
events=PROCESS_STATE,SUPERVISOR_STATE_CHANGE
[program:short]
command=sh -c 'sleep 0.3; exit 4'
startsecs=0
autorestart=false
`, dir);
    const run = startVigil(['-c', config]);
    await waitFor(() => existsSync(events) && readFileSync(events, 'utf8').includes('PROCESS_STATE_EXITED processname:short'), {
      message: () => `events so far: ${existsSync(events) ? readFileSync(events, 'utf8') : '(none)'}\n${run.stderr()}`,
    });
    const log = readFileSync(events, 'utf8');
    assert.match(log, /PROCESS_STATE_STARTING processname:short groupname:short from_state:STOPPED tries:0/);
    assert.match(log, /PROCESS_STATE_RUNNING processname:short groupname:short from_state:STARTING pid:\d+/);
    assert.match(log, /PROCESS_STATE_EXITED processname:short groupname:short from_state:RUNNING expected:0 pid:\d+/);
    await run.signal('SIGTERM');
    assert.equal((await run.waitExit()).code, 0);
  });
});

describe('supervisor: stress', () => {
  it('programs restarting fast while CMD loses orphans: every exit seen, no zombies', async () => {
    const config = writeConfig(`
[program:flash]
command=sh -c 'exit 7'
startsecs=0
autorestart=true
numprocs=4
process_name=%(program_name)s_%(process_num)d
`);
    const run = startVigil(['-c', config, '--', 'sh', '-c', 'for i in $(seq 400); do (true &); done; sleep 2; exit 0']);
    assert.equal((await run.waitExit(30_000)).code, 0, run.stderr().slice(-2000));
    const spawned = (run.stderr().match(/spawned: 'flash_\d'/g) ?? []).length;
    const exited = (run.stderr().match(/exited: flash_\d \(exit status 7; not expected\)/g) ?? []).length;
    assert.ok(spawned > 20, `restarts: ${spawned}`);
    // Each spawn's exit was observed, except the runs still alive at shutdown.
    assert.ok(spawned - exited <= 4, `spawned ${spawned}, exits seen ${exited}`);
    void zombiesUnder;
  });
});
