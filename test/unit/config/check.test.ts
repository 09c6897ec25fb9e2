// `vigil check`: exit codes, the table, the JSON schema, warnings and problems.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { runCheck } from '../../../src/commands/check.ts';
import { captureOutput, writeConfig, writeConfigFiles } from './helpers.ts';

test('check: a valid config prints a table and exits 0', async () => {
  const path = writeConfig('[program:web]\ncommand=/bin/echo hi\npriority=5\n[eventlistener:l]\ncommand=cat\nevents=TICK_5\n');
  const { stdout, stderr, out } = captureOutput();
  assert.equal(await runCheck(['-c', path], out, {}), 0);
  const text = stdout.join('');
  assert.match(text, new RegExp(`^${path}: OK, 2 groups, 2 processes`));
  assert.match(text, /NAME +GROUP +KIND +PRIORITY/);
  assert.match(text, /NAME +GROUP +KIND +PRIORITY +AUTOSTART +AUTORESTART +STOPSIGNAL +STDOUT +STDERR +COMMAND/);
  assert.match(text, /web +web +program +5 +true +unexpected +TERM +console:stdout +console:stderr +\/bin\/echo hi/);
  assert.match(text, /l +l +listener .* listener protocol +console:stderr +cat/);
  assert.match(text, /l +l +listener/);
  assert.deepEqual(stderr, []);
});

test('check --json: exactly one object with the absolute config path and supervisord keys', async () => {
  const directory = writeConfigFiles({ 'vigil.conf': '[supervisord]\n[program:p]\ncommand=x\nstopsignal=9\nstdout_logfile=NONE\nredirect_stderr=true\n' });
  const { stdout, out } = captureOutput();
  assert.equal(await runCheck(['--json', '--configuration', join(directory, 'vigil.conf')], out, {}), 0);
  const parsed = JSON.parse(stdout.join('')) as { config: string; processes: Array<Record<string, unknown>> };
  assert.deepEqual(Object.keys(parsed), ['config', 'processes']);
  assert.equal(parsed.config, join(directory, 'vigil.conf'));
  assert.deepEqual(Object.keys(parsed.processes[0] ?? {}), [
    'name', 'group', 'command', 'priority', 'autostart', 'autorestart', 'startsecs', 'startretries', 'exitcodes',
    'stopsignal', 'stopwaitsecs', 'stopasgroup', 'killasgroup', 'user', 'directory', 'umask', 'environment',
    'redirect_stderr', 'stdout_logfile', 'stdout_logfile_maxbytes', 'stdout_logfile_backups', 'stderr_logfile',
    'stderr_logfile_maxbytes', 'stderr_logfile_backups', 'vigil',
  ]);
  const process = parsed.processes[0] ?? {};
  assert.deepEqual([process['stopsignal'], process['stdout_logfile'], process['stderr_logfile'], process['user'], process['umask']], ['KILL', null, null, null, null]);
});

test('check: uses $VIGIL_CONFIG when no -c is given', async () => {
  const path = writeConfig('[program:p]\ncommand=x\n');
  const { stdout, out } = captureOutput();
  assert.equal(await runCheck(['--json'], out, { VIGIL_CONFIG: path }), 0);
  assert.equal((JSON.parse(stdout.join('')) as { config: string }).config, path);
});

test('check: warnings go to stderr as file:line: warning: ...', async () => {
  const path = writeConfig('[program:p]\ncommand=/bin/true\nbogus=1\n');
  const { stderr, out } = captureOutput();
  assert.equal(await runCheck(['-c', path, '--json'], out, {}), 0);
  assert.match(stderr.join(''), new RegExp(`^${path}:4: warning: \\[program:p\\] bogus: unknown key, ignored`));
});

test('check: problems exit 2 and print every one', async () => {
  const path = writeConfig('[program:p]\ncommand=x\nautostart=maybe\nstopsignal=NOPE\n');
  const { stdout, stderr, out } = captureOutput();
  assert.equal(await runCheck(['-c', path, '--json'], out, {}), 2);
  const lines = stderr.join('').trimEnd().split('\n');
  assert.equal(lines[0], `${path}:4: [program:p] autostart: 'maybe' is not a boolean; expected true/yes/on/1 or false/no/off/0`);
  assert.match(lines[1] ?? '', new RegExp(`^${path}:5: \\[program:p\\] stopsignal: 'NOPE' is not a valid signal name`));
  assert.equal(lines[2], 'vigil check: 2 problems; nothing would start');
  assert.deepEqual(stdout, []);
});

test('check: a missing config and bad usage exit 2', async () => {
  const missing = captureOutput();
  assert.equal(await runCheck(['-c', '/no/such.conf'], missing.out, {}), 2);
  assert.match(missing.stderr.join(''), /\/no\/such.conf: could not find config file/);
  const usage = captureOutput();
  assert.equal(await runCheck(['--yaml'], usage.out, {}), 2);
  assert.match(usage.stderr.join(''), /unexpected argument '--yaml'; usage: vigil check \[-c FILE\] \[--json\] \[--strict\]/);
  const noValue = captureOutput();
  assert.equal(await runCheck(['-c'], noValue.out, {}), 2);
});

test('check --json: `vigil` says where vigil really sends the output; supervisord\'s value is kept', async () => {
  const path = writeConfig(
    '[program:unset]\ncommand=/bin/true\n' +
    '[program:auto]\ncommand=/bin/true\nstdout_logfile=AUTO\nredirect_stderr=true\n' +
    '[program:fd]\ncommand=/bin/true\nstdout_logfile=/dev/fd/1\nstderr_logfile=/proc/self/fd/2\n' +
    '[program:file]\ncommand=/bin/true\nstdout_logfile=/tmp/x.log\nstderr_logfile=NONE\n',
  );
  const { stdout, out } = captureOutput();
  assert.equal(await runCheck(['-c', path, '--json'], out, { PATH: '/usr/bin:/bin' }), 0);
  const processes = (JSON.parse(stdout.join('')) as { processes: Record<string, unknown>[] }).processes;
  const row = (name: string): unknown[] => {
    const process = processes.find((p) => p.name === name) ?? {};
    const vigil = process.vigil as Record<string, unknown>;
    return [process.stdout_logfile, vigil.stdout_destination, process.stderr_logfile, vigil.stderr_destination];
  };
  assert.deepEqual(row('unset'), ['AUTO', 'console:stdout', 'AUTO', 'console:stderr']);
  assert.deepEqual(row('auto'), ['AUTO', 'AUTO', null, 'redirected to stdout']);
  assert.deepEqual(row('fd'), ['/dev/fd/1', 'console:stdout', '/proc/self/fd/2', 'console:stderr']);
  assert.deepEqual(row('file'), ['/tmp/x.log', '/tmp/x.log', null, 'NONE']);
});

test('check: every problem and every warning at once, in file order', async () => {
  const path = writeConfig(
    'logfile_maxbytes=10XB\n[program:a]\ncomand=/bin/true\nstdout_logfile_maxbytes=5QB\nenvironment=A=1,B\n' +
    '[program:b]\ncommand=sleep 1\nstartsecs=abc\nstartsecss=2\n[program:c]\ncommand=sh -c "echo hi ; echo there"\n',
  );
  const { stderr, out } = captureOutput();
  assert.equal(await runCheck(['-c', path], out, {}), 2);
  const all = stderr.join('').trimEnd().split('\n');
  assert.equal(all.pop(), 'vigil check: 5 problems; nothing would start');
  const lines = all.map((line) => line.slice(path.length + 1));
  assert.deepEqual(lines.map((line) => line.replace(/: (?!.*\]).*$|(\] \S+):.*$/, '$1')), [
    '2: [supervisord] logfile_maxbytes',
    '3: [program:a] command',
    '4: warning: [program:a] comand',
    '5: [program:a] stdout_logfile_maxbytes',
    '6: [program:a] environment',
    '9: [program:b] startsecs',
    '10: warning: [program:b] startsecss',
    '12: warning: [program:c] command',
  ]);
  assert.match(lines[2] ?? '', /did you mean command\?$/);
  assert.match(lines[6] ?? '', /did you mean startsecs\?$/);
});

test('check: warns with file:line about what will fail at spawn; --strict makes warnings fatal', async () => {
  const dir = writeConfigFiles({
    'script.sh': '#!/no/such/interpreter\necho hi\n',
    'envscript.sh': '#!/usr/bin/env no-such-tool-xyz\necho hi\n',
  });
  chmodSync(join(dir, 'script.sh'), 0o755);
  chmodSync(join(dir, 'envscript.sh'), 0o755);
  const path = writeConfig(
    '[program:missing]\ncommand=no-such-command-xyz --flag\n' +
    `[program:shebang]\ncommand=${join(dir, 'script.sh')}\n` +
    `[program:envshebang]\ncommand=${join(dir, 'envscript.sh')}\n` +
    '[program:nodir]\ncommand=/bin/true\ndirectory=/no/such/dir\n' +
    '[program:fine]\ncommand=true\n',
  );
  const env = { PATH: '/usr/bin:/bin' };
  const relaxed = captureOutput();
  assert.equal(await runCheck(['-c', path], relaxed.out, env), 0);
  const text = relaxed.stderr.join('');
  assert.match(text, new RegExp(`^${path}:3: warning: \\[program:missing\\] command: cannot run 'no-such-command-xyz': not found in PATH \\(/usr/bin:/bin\\); missing will fail at spawn$`, 'm'));
  assert.match(text, new RegExp(`^${path}:5: warning: \\[program:shebang\\] command: .*script.sh is a script whose #! interpreter /no/such/interpreter does not exist`, 'm'));
  assert.match(text, /\[program:envshebang\] command: .*envscript.sh is a script whose #! interpreter no-such-tool-xyz \(looked up by \/usr\/bin\/env/);
  assert.match(text, new RegExp(`^${path}:10: warning: \\[program:nodir\\] directory: directory /no/such/dir does not exist`, 'm'));
  assert.doesNotMatch(text, /program:fine/);
  const strict = captureOutput();
  assert.equal(await runCheck(['-c', path, '--strict'], strict.out, env), 2);
  assert.match(strict.stderr.join(''), /vigil check: 4 warnings \(--strict\); nothing would start/);
  assert.deepEqual(strict.stdout, []);
});

test('check: an [inet_http_server] port without credentials is a warning saying it will be served on loopback only', async () => {
  const path = writeConfig('[inet_http_server]\nport=*:9001\n[program:p]\ncommand=/bin/true\n');
  const { stderr, out } = captureOutput();
  assert.equal(await runCheck(['-c', path], out, {}), 0);
  assert.match(stderr.join(''), /warning: \[inet_http_server\] port: port \*:9001 has no username\/password: vigil serves it on 127\.0\.0\.1 only/);
  const loopback = captureOutput();
  assert.equal(await runCheck(['-c', writeConfig('[inet_http_server]\nport=127.0.0.1:9001\n[program:p]\ncommand=/bin/true\n')], loopback.out, {}), 0);
  assert.deepEqual(loopback.stderr, []);
});
