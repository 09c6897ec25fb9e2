// `vigil check`: exit codes, the table, the JSON schema, warnings and problems.
import { test } from 'node:test';
import assert from 'node:assert/strict';
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
  assert.match(text, /web +web +program +5 +true +unexpected +TERM +\/bin\/echo hi/);
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
    'stderr_logfile_maxbytes', 'stderr_logfile_backups',
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
  const path = writeConfig('[program:p]\ncommand=x\nbogus=1\n');
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
  assert.match(usage.stderr.join(''), /unexpected argument '--yaml'; usage: vigil check \[-c FILE\] \[--json\]/);
  const noValue = captureOutput();
  assert.equal(await runCheck(['-c'], noValue.out, {}), 2);
});
