// The native addon's own contract (issue 9): it refuses what it cannot do
// faithfully instead of quietly doing something else, and builds on musl.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { native } from '../../../src/native/addon.ts';
import type { SpawnRequest } from '../../../src/native/addon.ts';
import { tempDir } from '../../helpers/config.ts';
import { ROOT } from '../../helpers/vigil.ts';

const addon = native();
const base: SpawnRequest = { file: '/bin/true', argv: ['true'], env: [], stdio: ['null', 'null', 'null'] };

describe('native addon: spawn refuses ids it cannot apply', () => {
  // Each of these used to be ignored, and the child ran as root.
  const bad: [string, Record<string, unknown>][] = [
    ['uid as a string', { uid: '1000' }],
    ['uid with a fraction', { uid: 1.5 }],
    ['negative uid', { uid: -1 }],
    ['uid beyond 32 bits', { uid: 2 ** 32 }],
    ['gid as a string', { uid: 1, gid: 'daemon' }],
    ['umask as a string', { umask: '022' }],
    ['umask beyond 0o777', { umask: 0o1000 }],
    ['a group that is not a number', { groups: [1, 'x'] }],
  ];
  for (const [what, options] of bad) {
    it(`spawn: ${what}`, () => {
      assert.throws(() => addon.spawn({ ...base, ...options } as SpawnRequest), { name: 'TypeError', message: /^spawn: (uid|gid|umask|groups) must/ });
    });
    it(`spawnAsync: ${what}`, () => {
      assert.throws(
        () => addon.spawnAsync({ ...base, ...options } as SpawnRequest, () => assert.fail('callback called')),
        { name: 'TypeError', message: /^spawnAsync: (uid|gid|umask|groups) must/ },
      );
    });
  }

  it('accepts whole numbers and applies them', () => {
    const dir = tempDir();
    const out = join(dir, 'id');
    const child = addon.spawn({
      file: '/bin/sh',
      argv: ['sh', '-c', `id -u > ${out}; id -g >> ${out}; umask >> ${out}`],
      env: ['PATH=/usr/bin:/bin'],
      uid: 0,
      gid: 0,
      umask: 0o27,
      stdio: ['null', 'null', 'inherit'],
    });
    const deadline = Date.now() + 10_000;
    while (addon.waitpid(child.pid) === undefined && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    assert.deepEqual(readFileSync(out, 'utf8').trim().split('\n'), ['0', '0', '0027']);
  });
});

describe('native addon: limits and users', () => {
  it('getrlimit refuses an unknown resource instead of answering NOFILE', () => {
    assert.throws(() => addon.getrlimit('core' as 'nofile'), { name: 'TypeError', message: /getrlimit: resource must be nofile or nproc/ });
    const [soft, hard] = addon.getrlimit('nofile');
    assert.ok(soft > 0 && (hard === -1 || hard >= soft), `${soft} ${hard}`);
  });

  it('lookupUser lists every group of a user in more than 1024 groups', () => {
    // A private mount namespace where /etc/group puts `daemon` in 1500 more
    // groups (getgrouplist reads /etc/group through NSS files).
    const dir = tempDir();
    const group = join(dir, 'group');
    const extra = Array.from({ length: 1500 }, (_, i) => `many${i}:x:${50_000 + i}:daemon`).join('\n');
    writeFileSync(group, `${readFileSync('/etc/group', 'utf8').trimEnd()}\n${extra}\n`);
    const addonPath = join(ROOT, 'native/build/Release/vigil_native.node');
    const script =
      `const m={exports:{}};process.dlopen(m,${JSON.stringify(addonPath)});` +
      `process.stdout.write(JSON.stringify(m.exports.lookupUser('daemon').groups.length))`;
    const result = spawnSync('unshare', ['--mount', 'sh', '-c', `mount --bind "$0" /etc/group && exec "$1" -e "$2"`, group, process.execPath, script], {
      encoding: 'utf8',
    });
    assert.equal(result.status, 0, result.stderr);
    assert.ok(Number(result.stdout) >= 1501, `groups seen: ${result.stdout}`);
  });
});

describe('native addon: portability', () => {
  it('compiles against musl (no glibc-only calls such as strerrorname_np)', () => {
    const include = join(dirname(process.execPath), '..', 'include', 'node');
    // musl-gcc comes from musl-tools (scripts/install-peers).
    execFileSync('musl-gcc', ['-fsyntax-only', '-std=gnu11', '-Wall', '-Werror', `-I${include}`, join(ROOT, 'native/vigil_native.c')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  });
});
