// The resolved config beyond what check --json shows: [supervisord], servers,
// vigil's keys, event listener pools, warnings, includes, immutability.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/index.ts';
import { writeConfig, writeConfigFiles } from './helpers.ts';

test('load: [supervisord] defaults as supervisord resolves them', () => {
  const { config } = loadConfig(writeConfig(''), { TMPDIR: '/tmp' });
  const s = config.supervisord;
  assert.equal(s.logfile, join(process.cwd(), 'supervisord.log'));
  assert.equal(s.pidfile, join(process.cwd(), 'supervisord.pid'));
  assert.deepEqual(
    [s.logfile_maxbytes, s.logfile_backups, s.loglevel, s.nodaemon, s.minfds, s.minprocs, s.umask, s.user, s.directory, s.childlogdir, s.identifier, s.nocleanup, s.silent],
    [52428800, 10, 'info', false, 1024, 200, 0o22, null, null, '/tmp', 'supervisor', false, false],
  );
  assert.deepEqual([s.logformat, s.log_prefix, s.log_color, s.log_timestamps], ['text', true, 'auto', false]);
  assert.equal(config.unix_http_server, null);
  assert.equal(config.inet_http_server, null);
  assert.equal(config.serverurl, null);
});

test('load: vigil keys in [supervisord] are inherited by programs, which may override them', () => {
  const { config } = loadConfig(writeConfig('logformat=JSON\nlog_prefix=false\nlog_color=true\nlog_timestamps=yes\n[program:a]\ncommand=x\n[program:b]\ncommand=y\nlog_prefix=true\nlog_color=false\ncritical=true\n'), {});
  assert.equal(config.supervisord.logformat, 'json');
  const [a, b] = config.groups.map((group) => group.processes[0]);
  assert.deepEqual([a?.log_prefix, a?.log_color, a?.log_timestamps, a?.critical], [false, 'true', true, false]);
  assert.deepEqual([b?.log_prefix, b?.log_color, b?.log_timestamps, b?.critical], [true, 'false', true, true]);
});

test('load: command keeps the expanded string and its shlex.split argv', () => {
  const { config } = loadConfig(writeConfig('[program:a]\ncommand=sh -c "echo %(program_name)s; exit 3" \'x y\''), {});
  const process = config.groups[0]?.processes[0];
  assert.equal(process?.command, 'sh -c "echo a; exit 3" \'x y\'');
  assert.deepEqual(process?.argv, ['sh', '-c', 'echo a; exit 3', 'x y']);
});

test('load: servers, serverurl fallback, supervisorctl and plugins', () => {
  const path = writeConfig(
    '[unix_http_server]\nfile=%(here)s/vigil.sock\nchmod=0770\nchown=root:root\nusername=u\npassword=%(ENV_PW)s\n' +
      '[inet_http_server]\nport=*:9001\n[supervisorctl]\nserverurl=unix://%(here)s/vigil.sock\n' +
      '[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\nretries=%(ENV_PW)s\n',
  );
  const here = join(path, '..');
  const { config } = loadConfig(path, { PW: 'secret' });
  assert.deepEqual(config.unix_http_server, { section: 'unix_http_server', file: join(here, 'vigil.sock'), chmod: 0o770, chown: { uid: 0, gid: 0 }, username: 'u', password: 'secret' });
  assert.deepEqual(config.inet_http_server, { section: 'inet_http_server', host: '', port: 9001, username: null, password: null, allow_unauthenticated: false });
  assert.equal(config.serverurl, `unix://${join(here, 'vigil.sock')}`);
  assert.equal(config.supervisorctl.serverurl, `unix://${join(here, 'vigil.sock')}`);
  assert.deepEqual(config.rpcinterfaces, [{ name: 'supervisor', factory: 'supervisor.rpcinterface:make_main_rpcinterface', extras: { retries: 'secret' } }]);
});

test('load: inet-only serverurl uses localhost for all interfaces', () => {
  const { config } = loadConfig(writeConfig('[inet_http_server]\nport=9002\n'), {});
  assert.equal(config.serverurl, 'http://localhost:9002');
});

test('load: event listener pools keep supervisord defaults', () => {
  const { config } = loadConfig(writeConfig('[eventlistener:l]\ncommand=x\nevents=process_state, TICK_5,PROCESS_STATE\n'), {});
  const group = config.groups[0];
  assert.equal(group?.priority, -1);
  assert.deepEqual(group?.eventlistener, { buffer_size: 10, events: ['PROCESS_STATE', 'TICK_5'], result_handler: 'supervisor.dispatchers:default_handler' });
  assert.equal(group?.processes[0]?.kind, 'eventlistener');
  assert.equal(group?.processes[0]?.priority, 999); // the process priority default stays 999
});

test('load: program environment merges over [supervisord] environment', () => {
  const { config } = loadConfig(writeConfig('environment=A=1,B=2\n[program:p]\ncommand=x\nenvironment=B=3,C=%(ENV_A)s\n'), {});
  assert.deepEqual(config.supervisord.environment, { A: '1', B: '2' });
  assert.deepEqual(config.groups[0]?.processes[0]?.environment, { A: '1', B: '3', C: '1' });
});

test('load: explicit_keys tells configured keys from defaults', () => {
  const { config } = loadConfig(writeConfig('logfile=/tmp/x.log\n[program:p]\ncommand=x\nstdout_logfile=AUTO\n'), {});
  assert.deepEqual(config.groups[0]?.processes[0]?.explicit_keys, ['command', 'stdout_logfile']);
  assert.ok(config.supervisord.explicit_keys.includes('logfile'));
});

test('load: the resolved config is deeply frozen', () => {
  const { config } = loadConfig(writeConfig('[program:p]\ncommand=x\n'), {});
  assert.ok(Object.isFrozen(config.groups[0]?.processes[0]?.argv));
  assert.throws(() => {
    (config.supervisord as { nodaemon: boolean }).nodaemon = true;
  }, TypeError);
});

test('load: unknown keys and sections are warnings with file:line; supervisord keys vigil ignores are not', () => {
  const path = writeConfig('logfile_backups=3\nstrip_ansi=true\ncolour=yes\n[program:p]\ncommand=x\nstdout_capture_maxbytes=1MB\nrestart=always\n[mystery]\na=b\n');
  const { warnings } = loadConfig(path, {});
  assert.deepEqual(
    warnings.map((warning) => `${warning.line} ${warning.section} ${warning.key}`),
    [`4 supervisord colour`, `8 program:p restart`, `9 mystery `],
  );
  assert.match(warnings[0]?.message ?? '', /unknown key, ignored; not a \[supervisord\] key/);
});

test('load: an unknown key close to a known one gets "did you mean"', () => {
  const path = writeConfig('[program:p]\ncommand=x\nstartsecss=2\ncomand=y\nzzzzzzzz=1\n');
  const messages = loadConfig(path, {}).warnings.map((warning) => `${warning.key}: ${warning.message}`);
  assert.deepEqual(messages, [
    'startsecss: unknown key, ignored; did you mean startsecs?',
    'comand: unknown key, ignored; did you mean command?',
    'zzzzzzzz: unknown key, ignored; not a [program] key',
  ]);
});

test('load: supervisord\'s own parse warnings are passed on', () => {
  const { warnings } = loadConfig(writeConfig('[program:p]\ncommand=x\nstdout_logfile=syslog\nstderr_logfile_maxbytes=0\nenvironment=A=hello world\n'), {});
  const messages = warnings.map((warning) => warning.message).join('\n');
  assert.match(messages, /stdout_logfile=syslog is deprecated/);
  assert.match(messages, /AUTO logging without rollover/);
  assert.match(messages, /'world' after a value is ignored/);
});

test('include: a pattern matching nothing is a warning (as supervisord), files are read sorted', () => {
  const directory = writeConfigFiles({
    'main.conf': '[supervisord]\n[include]\nfiles=d/*.ini missing/*.conf\n',
    'd/b.ini': '[program:p]\ncommand=from-b\n',
    'd/a.ini': '[program:p]\ncommand=from-a\npriority=%(here)s\n',
    'd/.hidden.ini': '[program:hidden]\ncommand=x\n',
  });
  const main = join(directory, 'main.conf');
  assert.throws(() => loadConfig(main, {}), /priority: '.*\/d' is not an integer/);
});

test('include: later files override earlier ones, hidden files are not matched', () => {
  const directory = writeConfigFiles({
    'main.conf': '[supervisord]\n[include]\nfiles=d/*.ini missing/*.conf\n',
    'd/b.ini': '[program:p]\ncommand=from-b %(here)s\n',
    'd/a.ini': '[program:p]\ncommand=from-a\n',
    'd/.hidden.ini': '[program:hidden]\ncommand=x\n',
  });
  const { config, warnings } = loadConfig(join(directory, 'main.conf'), {});
  assert.deepEqual(config.groups.map((group) => group.name), ['p']);
  assert.equal(config.groups[0]?.processes[0]?.command, `from-b ${join(directory, 'd')}`);
  assert.deepEqual(config.files, [join(directory, 'main.conf'), join(directory, 'd/a.ini'), join(directory, 'd/b.ini')]);
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0]?.line, 3);
  assert.match(warnings[0]?.message ?? '', /no file matches include pattern ".*missing\/\*\.conf"/);
});

test('load: a command that cannot be split is a warning; the process is kept with no argv and the reason', () => {
  const path = writeConfig('[program:a]\ncommand=sh -c "echo hi ; echo there"\n[program:e]\ncommand=\n');
  const { config, warnings } = loadConfig(path, {});
  const a = config.groups.find((group) => group.name === 'a')?.processes[0];
  assert.deepEqual([a?.command, a?.argv, a?.command_error], ['sh -c "echo hi', [], 'no closing quotation (" is never closed)']);
  assert.deepEqual(warnings.map((warning) => `${warning.line} ${warning.section} ${warning.key}`), ['3 program:a command', '5 program:e command']);
  assert.match(warnings[0]?.message ?? '', /will fail at spawn \(FATAL\) while the others run/);
  assert.match(warnings[1]?.message ?? '', /command is empty/);
});

test('load: [include] files= matching a directory skips it with a warning', () => {
  const dir = writeConfigFiles({ 'main.conf': '[supervisord]\n[include]\nfiles=d/*\n', 'd/real.conf': '[program:r]\ncommand=x\n', 'd/sub/x.conf': '' });
  const { config, warnings } = loadConfig(join(dir, 'main.conf'), {});
  assert.deepEqual(config.groups.map((group) => group.name), ['r']);
  assert.match(warnings.map((warning) => warning.message).join('\n'), /d\/sub is a directory; skipped, as supervisord skips it/);
});

test('load: [supervisord] user= — a program user= other than it gets a warning (the program will be FATAL)', () => {
  const path = writeConfig('[supervisord]\nuser=nobody\n[program:a]\ncommand=x\n[program:b]\ncommand=x\nuser=nobody\n[program:c]\ncommand=x\nuser=root\n', true);
  const { warnings } = loadConfig(path, {});
  assert.deepEqual(warnings.map((warning) => `${warning.section} ${warning.key}`), ['program:c user']);
  assert.match(warnings[0]?.message ?? '', /Can't drop privilege as nonroot user/);
});

test('load: result_handler=supervisor_stdout:event_handler is accepted, with one notice', () => {
  const path = writeConfig('[eventlistener:stdout]\ncommand=x\nevents=PROCESS_LOG\nresult_handler=supervisor_stdout:event_handler\n');
  const { config, notices } = loadConfig(path, {});
  assert.equal(config.groups[0]?.eventlistener?.result_handler, 'supervisor_stdout:event_handler');
  assert.equal(notices.length, 1);
  assert.match(notices[0]?.message ?? '', /this listener is not started/);
});
