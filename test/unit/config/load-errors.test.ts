// Every class of config problem: reported with file:line, section, key, the bad
// value and what is accepted; all problems of a file at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../../src/config/index.ts';
import { writeConfig, writeConfigFiles } from './helpers.ts';
import { join } from 'node:path';

function problemsOf(path: string, env: NodeJS.ProcessEnv = {}): ConfigError {
  try {
    loadConfig(path, env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  assert.fail('expected a ConfigError');
}

// [description, config after [supervisord]\n, line of the problem, section, key, message pattern]
const cases: Array<[string, string, number, string, string, RegExp]> = [
  ['bad boolean', '[program:a]\ncommand=x\nautostart=maybe', 4, 'program:a', 'autostart', /'maybe' is not a boolean; expected true\/yes\/on\/1/],
  ['bad size', '[program:a]\ncommand=x\nstdout_logfile_maxbytes=50M', 4, 'program:a', 'stdout_logfile_maxbytes', /'50M' is not a byte size/],
  ['bad signal', '[program:a]\ncommand=x\nstopsignal=TERMINATE', 4, 'program:a', 'stopsignal', /'TERMINATE' is not a valid signal name/],
  ['bad exitcodes', '[program:a]\ncommand=x\nexitcodes=0,300', 4, 'program:a', 'exitcodes', /not a list of exit codes/],
  ['bad umask', '[program:a]\ncommand=x\numask=999', 4, 'program:a', 'umask', /'999' is not an octal number/],
  ['bad autorestart', '[program:a]\ncommand=x\nautorestart=always', 4, 'program:a', 'autorestart', /expected true, false or unexpected/],
  ['bad integer', '[program:a]\ncommand=x\nstartsecs=soon', 4, 'program:a', 'startsecs', /'soon' is not an integer/],
  ['unknown expansion name', '[program:a]\ncommand=run %(nope)s', 3, 'program:a', 'command', /unknown name %\(nope\).*available names: group_name, here, host_node_name, numprocs, process_num, program_name/],
  ['process_num before the numprocs loop', '[program:a]\ncommand=x\npriority=%(process_num)d', 4, 'program:a', 'priority', /unknown name %\(process_num\)/],
  ['program_name in [supervisord]', '[program:a]\ncommand=x\n[supervisord]\nidentifier=%(program_name)s', 5, 'supervisord', 'identifier', /unknown name %\(program_name\).*available names: here/],
  ['missing command', '[program:a]\nautostart=true', 2, 'program:a', 'command', /has no command= line/],
  // Bounded so a config can never make vigil hang or balloon (supervisord runs out of memory).
  ['numprocs past the limit', '[program:a]\ncommand=x\nnumprocs=4294967296\nprocess_name=%(program_name)s_%(process_num)d', 4, 'program:a', 'numprocs', /4294967296 is out of range; expected at most 10000/],
  ['numprocs_start past the limit', '[program:a]\ncommand=x\nnumprocs_start=99999999999', 4, 'program:a', 'numprocs_start', /out of range; expected -1000000 to 1000000/],
  ['numprocs without process_num', '[program:a]\ncommand=x\nnumprocs=2', 2, 'program:a', 'process_name', /numprocs=2 needs %\(process_num\) in process_name/],
  ['stopasgroup without killasgroup', '[program:a]\ncommand=x\nstopasgroup=true\nkillasgroup=false', 5, 'program:a', 'killasgroup', /cannot be false when stopasgroup=true/],
  ['fcgi-program refused', '[fcgi-program:php]\ncommand=php-cgi\nsocket=tcp://127.0.0.1:9000', 2, 'fcgi-program:php', '', /\[fcgi-program:php\] is not supported/],
  ['bad environment', '[program:a]\ncommand=x\nenvironment=A=1,B', 4, 'program:a', 'environment', /unexpected end of key\/value pairs/],
  ['bad program name', '[program:a b]\ncommand=x', 2, 'program:a b', '', /invalid name 'a b' because of character ' '/],
  ['group names unknown program', '[group:g]\nprograms=ghost', 3, 'group:g', 'programs', /names unknown program 'ghost'/],
  ['event listener without events', '[eventlistener:l]\ncommand=x', 2, 'eventlistener:l', 'events', /needs an events= line/],
  ['unknown event', '[eventlistener:l]\ncommand=x\nevents=PROCESS_STATE,NOPE', 4, 'eventlistener:l', 'events', /unknown event type NOPE/],
  ['listener redirect_stderr', '[eventlistener:l]\ncommand=x\nevents=TICK_5\nredirect_stderr=true', 5, 'eventlistener:l', 'redirect_stderr', /would break the event listener protocol/],
  ['listener buffer_size', '[eventlistener:l]\ncommand=x\nevents=TICK_5\nbuffer_size=0', 5, 'eventlistener:l', 'buffer_size', /at least 1/],
  ['listener python result handler', '[eventlistener:l]\ncommand=x\nevents=TICK_5\nresult_handler=my.mod:fn', 5, 'eventlistener:l', 'result_handler', /cannot load Python result handlers/],
  ['logfile in a missing directory', '[program:a]\ncommand=x\nstdout_logfile=/no/such/dir/a.log', 4, 'program:a', 'stdout_logfile', /directory \/no\/such\/dir .* does not exist/],
  ['unknown user', '[program:a]\ncommand=x\nuser=no-such-user-xyz', 4, 'program:a', 'user', /invalid user name no-such-user-xyz/],
  ['inet server without port', '[inet_http_server]\nusername=u\npassword=p', 2, 'inet_http_server', 'port', /has no port= line/],
  ['half credentials', '[unix_http_server]\nfile=/tmp/v.sock\nusername=u', 2, 'unix_http_server', 'password', /only one of username and password/],
  ['rpcinterface without factory', '[rpcinterface:x]\nfoo=bar', 2, 'rpcinterface:x', 'supervisor.rpcinterface_factory', /does not name a supervisor.rpcinterface_factory/],
  ['bad loglevel', 'loglevel=loud', 2, 'supervisord', 'loglevel', /'loud' is not a log level/],
  ['bad logformat', 'logformat=xml', 2, 'supervisord', 'logformat', /expected one of text, json/],
  ['bad log_color', '[program:a]\ncommand=x\nlog_color=sometimes', 4, 'program:a', 'log_color', /expected one of auto, true, false/],
  ['syntax error', '[program:a]\ncommand=x\nthis line has no delimiter', 4, '', '', /neither a \[section\] header/],
];

for (const [description, text, line, section, key, message] of cases) {
  test(`config problem: ${description}`, () => {
    const path = writeConfig(text);
    const error = problemsOf(path);
    assert.equal(error.code, 'ECONFIG');
    const problem = error.problems.find((candidate) => message.test(candidate.message));
    assert.ok(problem, `no problem matching ${message} in:\n${error.message}`);
    assert.equal(problem.file, path);
    assert.equal(problem.line, line);
    assert.equal(problem.section, section);
    assert.equal(problem.key, key);
    const what = [section === '' ? '' : `[${section}]`, key].filter((part) => part !== '').join(' ');
    const expectedLine = `${path}:${line}: ${what === '' ? '' : `${what}: `}`;
    assert.ok(error.message.includes(expectedLine), `message lacks ${expectedLine}:\n${error.message}`);
  });
}

test('config problem: the bad value is recorded', () => {
  const error = problemsOf(writeConfig('[program:a]\ncommand=x\nautostart=maybe'));
  assert.equal(error.problems[0]?.value, 'maybe');
});

test('config problems: every problem is reported at once, one per line', () => {
  const path = writeConfig('[program:a]\ncommand=x\nautostart=maybe\nstopsignal=NOPE\n[program:b]\npriority=high\n');
  const error = problemsOf(path);
  assert.deepEqual(error.problems.map((problem) => `${problem.line} ${problem.key}`), ['4 autostart', '5 stopsignal', '7 priority', '6 command']);
  assert.equal(error.message.split('\n').length, 1 + error.problems.length);
  assert.match(error.message, /^4 config problems:/);
});

test('config problem: numprocs=50 with one bad value reports it once', () => {
  const error = problemsOf(writeConfig('[program:a]\ncommand=x %(nope)s\nnumprocs=50\nprocess_name=a%(process_num)d'));
  assert.equal(error.problems.length, 1);
});

test('config problem: a missing file names the path', () => {
  const error = problemsOf('/no/such/vigil.conf');
  assert.match(error.message, /\/no\/such\/vigil.conf: could not find config file/);
});

test('config problem: no [supervisord] section', () => {
  const error = problemsOf(writeConfig('[program:a]\ncommand=x\n', true));
  assert.match(error.message, /\[supervisord\]: the config has no \[supervisord\] section/);
});

test('config problem: [include] without files=', () => {
  const path = writeConfig('[include]\n');
  assert.match(problemsOf(path).message, new RegExp(`${path}:2: \\[include\\] files: \\[include\\] has no files= setting`));
});

test('config problem: in an included file, file:line is the included file', () => {
  const directory = writeConfigFiles({
    'main.conf': '[supervisord]\n[include]\nfiles=conf.d/*.conf\n',
    'conf.d/web.conf': '[program:web]\ncommand=x\nstartsecs=never\n',
  });
  const error = problemsOf(join(directory, 'main.conf'));
  assert.equal(error.problems[0]?.file, join(directory, 'conf.d/web.conf'));
  assert.equal(error.problems[0]?.line, 3);
});

test('config problem: %% in [supervisord] environment needs doubling twice (expanded twice)', () => {
  const error = problemsOf(writeConfig('environment=A="100%%"'));
  assert.match(error.message, /environment: '%' at index/);
  assert.doesNotThrow(() => loadConfig(writeConfig('environment=A="100%%%%"'), {}));
});
