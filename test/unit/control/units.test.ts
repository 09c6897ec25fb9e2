// Table tests of the pure parts: name resolution, descriptions, status
// layout, basic auth, loopback detection, default socket paths.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkBasicAuth, isLoopbackHost } from '../../../src/control/auth.ts';
import { formatUptime } from '../../../src/control/describe.ts';
import { defaultSocketPaths } from '../../../src/control/socket-paths.ts';
import { statusLines } from '../../../src/ctl/messages.ts';
import { makeNamespec, resolveName, splitNamespec } from '../../../src/control/names.ts';
import { MemoryApi } from './memory-api.ts';

describe('names', () => {
  const all = new MemoryApi().processList;
  const cases: [string, string[] | undefined][] = [
    ['all', ['web:web_00', 'web:web_01', 'worker:worker', 'cron:cron', 'broken:broken']],
    ['web', ['web:web_00', 'web:web_01']],
    ['web:*', ['web:web_00', 'web:web_01']],
    ['web:', ['web:web_00', 'web:web_01']],
    ['web:web_01', ['web:web_01']],
    ['worker', ['worker:worker']],
    ['worker:worker', ['worker:worker']],
    ['web_00', undefined], // supervisord: a bare name is group == name
    ['web:nope', undefined],
    ['ghost:*', undefined],
    ['ghost', undefined],
  ];
  for (const [spec, expected] of cases) {
    it(`resolves ${JSON.stringify(spec)}`, () => {
      assert.deepEqual(resolveName(all, spec)?.map((info) => `${info.group}:${info.name}`), expected);
    });
  }
  it('splits and makes namespecs like supervisor/options.py', () => {
    assert.deepEqual(splitNamespec('web'), { group: 'web', process: 'web' });
    assert.deepEqual(splitNamespec('web:*'), { group: 'web', process: undefined });
    assert.deepEqual(splitNamespec('a:b:c'), { group: 'a', process: 'b:c' });
    assert.equal(makeNamespec('web', 'web'), 'web');
    assert.equal(makeNamespec('web', 'web_00'), 'web:web_00');
  });
});

describe('descriptions and layout', () => {
  const uptimes: [number, string][] = [
    [0, '0:00:00'],
    [62, '0:01:02'],
    [86399, '23:59:59'],
    [86400, '1 day, 0:00:00'],
    [2 * 86400 + 3661, '2 days, 1:01:01'],
    [-5, '0:00:00'],
  ];
  for (const [seconds, text] of uptimes) it(`uptime ${seconds} s is ${text}`, () => assert.equal(formatUptime(seconds), text));

  it('pads the name column to max(30, longest) + 3 and the state to 10', () => {
    const [line] = statusLines([new MemoryApi().processList[2]!]);
    assert.equal(line, `${'worker'.padEnd(33)}${'RUNNING'.padEnd(10)}pid 50, uptime 0:01:02`);
  });
});

describe('auth', () => {
  const header = (user: string, pass: string): string => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  it('checks plain and {SHA} passwords (hex, either case)', () => {
    assert.equal(checkBasicAuth(header('u', 'p:w'), { username: 'u', password: 'p:w' }), true);
    assert.equal(checkBasicAuth(header('u', 'x'), { username: 'u', password: 'p' }), false);
    assert.equal(checkBasicAuth(undefined, { username: 'u', password: 'p' }), false);
    const sha = '{SHA}a94a8fe5ccb19ba61c4c0873d391e987982fbbd3'; // sha1('test')
    assert.equal(checkBasicAuth(header('u', 'test'), { username: 'u', password: sha }), true);
    assert.equal(checkBasicAuth(header('u', 'test'), { username: 'u', password: sha.toUpperCase().replace('{SHA}', '{SHA}') }), true);
    assert.equal(checkBasicAuth(header('u', sha), { username: 'u', password: sha }), false, 'the hash itself is not the password');
  });
  const hosts: [string, boolean][] = [
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['', false],
    ['*', false],
    ['192.168.1.10', false],
    ['example.com', false],
  ];
  for (const [host, loopback] of hosts) it(`${JSON.stringify(host)} is ${loopback ? '' : 'not '}loopback`, () => assert.equal(isLoopbackHost(host), loopback));
});

describe('default socket paths', () => {
  it('lists /run, $XDG_RUNTIME_DIR, then /tmp with the uid', () => {
    assert.deepEqual(defaultSocketPaths({ XDG_RUNTIME_DIR: '/run/user/1000' }, 1000), ['/run/vigil.sock', '/run/user/1000/vigil.sock', '/tmp/vigil-1000.sock']);
    assert.deepEqual(defaultSocketPaths({}, 0), ['/run/vigil.sock', '/tmp/vigil-0.sock']);
    assert.deepEqual(defaultSocketPaths({ XDG_RUNTIME_DIR: 'relative' }, 5), ['/run/vigil.sock', '/tmp/vigil-5.sock']);
  });
});
