// Every converter, table-driven: accepted inputs and what refusals say.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  autoRestart, boolean, boundedInteger, byteSize, inetAddress, integer, keyValuePairs, listOfExitcodes,
  listOfStrings, loggingLevel, octal, processOrGroupName, url,
} from '../../../src/config/converters.ts';
import { ValueProblem } from '../../../src/config/errors.ts';
import { existingDirectory, existingDirpath, expandUser, logfileName } from '../../../src/config/paths.ts';
import { signalName, signalNumber } from '../../../src/config/signals.ts';
import { lookupUser, userAndGroup } from '../../../src/config/users.ts';

type Case = [string, unknown];

function table(name: string, convert: (text: string) => unknown, good: Case[], bad: Array<[string, RegExp]>): void {
  for (const [input, expected] of good) {
    test(`${name}(${JSON.stringify(input)}) = ${JSON.stringify(expected)}`, () => assert.deepEqual(convert(input), expected));
  }
  for (const [input, message] of bad) {
    test(`${name}(${JSON.stringify(input)}) is refused`, () => {
      assert.throws(() => convert(input), (error: unknown) => error instanceof ValueProblem && message.test(error.message));
    });
  }
}

table('boolean', boolean,
  [['true', true], ['YES', true], ['on', true], ['1', true], ['false', false], ['No', false], ['off', false], ['0', false]],
  [['maybe', /'maybe' is not a boolean; expected true\/yes\/on\/1 or false\/no\/off\/0/], ['', /not a boolean/], ['2', /not a boolean/]]);

table('integer', integer,
  [['10', 10], [' 7 ', 7], ['-3', -3], ['+4', 4], ['1_000', 1000]],
  [['ten', /'ten' is not an integer/], ['1.5', /not an integer/], ['', /not an integer/]]);

table('boundedInteger(1, 65535)', boundedInteger(1, 0xffff),
  [['1', 1], ['65535', 65535]],
  [['0', /0 is out of range; expected 1 to 65535/], ['70000', /out of range/]]);

table('byteSize', byteSize,
  [['1024', 1024], ['50MB', 52428800], ['1GB', 1073741824], ['1024KB', 1048576], ['5kb', 5120], ['2gb', 2147483648], ['0', 0], ['10 MB', 10485760]],
  [['50M', /'50M' is not a byte size; expected bytes or a number with KB, MB or GB/], ['100B', /not a byte size/], ['MB', /not a byte size/], ['1.5MB', /not a byte size/]]);

table('signalName', signalName,
  [['TERM', 'TERM'], ['SIGTERM', 'TERM'], ['sigusr1', 'USR1'], [' hup ', 'HUP'], ['9', 'KILL'], ['15', 'TERM'], ['IOT', 'ABRT'], ['6', 'ABRT'], ['CLD', 'CHLD'], ['POLL', 'IO'], ['34', 'RTMIN'], ['64', 'RTMAX']],
  [['FOO', /'FOO' is not a valid signal name; expected a signal name such as TERM/], ['0', /not a valid signal number/], ['32', /not a valid signal number/], ['65', /not a valid signal number/], ['SIG', /not a valid signal name/]]);

test('signalNumber maps canonical names back', () => {
  assert.equal(signalNumber('TERM'), 15);
  assert.equal(signalNumber('KILL'), 9);
});

table('listOfExitcodes', listOfExitcodes,
  [['0', [0]], ['0,2', [0, 2]], [' 1, 3 ,255', [1, 3, 255]], ['', []]],
  [['256', /'256' is not a list of exit codes; expected comma-separated numbers 0-255/], ['-1', /not a list of exit codes/], ['0,', /not a list of exit codes/], ['a', /not a list/]]);

table('listOfStrings', listOfStrings, [['a, b ,c', ['a', 'b', 'c']], ['', []], ['a,,b', ['a', '', 'b']]], []);

table('octal', octal,
  [['022', 0o22], ['22', 0o22], ['0o77', 0o77], ['7', 7], ['000', 0], [' 027 ', 0o27]],
  [['8', /'8' is not an octal number; expected e\.g\. 022/], ['0x1', /not an octal number/], ['', /not an octal/]]);

table('autoRestart', autoRestart,
  [['true', 'true'], ['yes', 'true'], ['1', 'true'], ['false', 'false'], ['off', 'false'], ['unexpected', 'unexpected'], ['UNEXPECTED', 'unexpected']],
  [['sometimes', /'sometimes' is not an autorestart policy; expected true, false or unexpected/]]);

table('keyValuePairs', keyValuePairs,
  [
    ['A=1,B=2', { A: '1', B: '2' }],
    ['KEY="v,1",K2=v2', { KEY: 'v,1', K2: 'v2' }],
    ["S='a b'", { S: 'a b' }],
    ['P=/usr/bin:/bin', { P: '/usr/bin:/bin' }],
    ['A = 1 , B = 2', { A: '1', B: '2' }],
    ['E=""', { E: '' }],
    ['', {}],
    ['A=hello world', { A: 'hello' }], // supervisord silently drops 'world'
  ],
  [['A=1,B', /unexpected end of key\/value pairs in 'A=1,B'; expected KEY=value pairs/], ['A="open', /no closing quotation/]]);

table('processOrGroupName', processOrGroupName,
  [['web', 'web'], [' web ', 'web'], ['a.b-c_d', 'a.b-c_d']],
  [['a b', /invalid name 'a b' because of character ' '/], ['a:b', /character ':'/], ['a/b', /character '\/'/]]);

table('loggingLevel', loggingLevel,
  [['info', 'info'], ['DEBUG', 'debug'], ['warn', 'warn'], ['blather', 'blather']],
  [['warning', /'warning' is not a log level; expected one of critical, error, warn, info, debug, trace, blather/]]);

table('inetAddress', inetAddress,
  [['9001', { host: '', port: 9001 }], ['127.0.0.1:9001', { host: '127.0.0.1', port: 9001 }], ['*:80', { host: '', port: 80 }], ['LocalHost:1', { host: 'localhost', port: 1 }]],
  [['host:', /no port number in 'host:'/], ['0', /out of range/], ['x:y', /not an integer/]]);

table('url', url,
  [['unix:///tmp/s.sock', 'unix:///tmp/s.sock'], ['http://127.0.0.1:9001', 'http://127.0.0.1:9001']],
  [['nothing', /'nothing' is not a URL/], ['http://', /not a URL/]]);

const env = { HOME: '/home/tester' };
table('expandUser', (text) => expandUser(text, env),
  [['~', '/home/tester'], ['~/x', '/home/tester/x'], ['/abs', '/abs'], ['~root/x', '/root/x'], ['~no-such-user/x', '~no-such-user/x']], []);

table('existingDirpath', existingDirpath(env),
  [['/tmp/x.log', '/tmp/x.log'], ['relative.log', 'relative.log'], ['/dev/stdout', '/dev/stdout']],
  [['/no/such/dir/x.log', /the directory \/no\/such\/dir named in '\/no\/such\/dir\/x.log' does not exist/]]);

table('existingDirectory', existingDirectory(env), [['/tmp', '/tmp']], [['/no/such/dir', /'\/no\/such\/dir' is not an existing directory/]]);

table('logfileName', logfileName(env),
  [['NONE', { kind: 'none' }], ['off', { kind: 'none' }], ['AUTO', { kind: 'auto' }], ['Syslog', 'syslog'], ['/tmp/a.log', { kind: 'path', path: '/tmp/a.log' }]],
  [['/no/such/a.log', /does not exist/]]);

table('lookupUser', (text) => lookupUser(text).uid, [['root', 0], ['0', 0]],
  [['no-such-user-xyz', /invalid user name no-such-user-xyz: no such user in \/etc\/passwd/], ['987654', /invalid user id 987654/]]);

table('userAndGroup', userAndGroup, [['root', { uid: 0, gid: -1 }], ['root:root', { uid: 0, gid: 0 }], ['0:0', { uid: 0, gid: 0 }]],
  [['root:no-such-group-xyz', /invalid group no-such-group-xyz/]]);
