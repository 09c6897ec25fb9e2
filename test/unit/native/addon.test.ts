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

describe('native addon: the output loops check every index', () => {
  const lines = (text: string) => {
    const chunk = Buffer.from(text, 'latin1');
    const starts = new Int32Array(4);
    const ends = new Int32Array(4);
    const state = new Int32Array([0, 0, 0]);
    return { chunk, starts, ends, state };
  };

  it('splitLines stops when starts/ends are full and resumes where it stopped, also inside a cut line', () => {
    const { chunk, starts, ends, state } = lines('ab\ncdefghij\nk');
    assert.equal(addon.splitLines(chunk, 3, starts.subarray(0, 2), ends.subarray(0, 2), state), false);
    assert.deepEqual([...state], [6, 2, 1]); // "ab", then "cde" cut
    assert.equal(addon.splitLines(chunk, 3, starts, ends, state), true);
    assert.deepEqual([...state], [12, 4, 1]); // "fgh", "ij"; "k" is the unfinished rest
    assert.deepEqual([...starts], [0, 3, 6, 9]);
    assert.deepEqual([...ends], [2, 6, 9, 11]);
  });

  it('splitLines refuses a start outside the chunk and a bound that is not positive', () => {
    const { chunk, starts, ends } = lines('abc\n');
    assert.throws(() => addon.splitLines(chunk, 10, starts, ends, new Int32Array([5, 0, 0])), { name: 'RangeError' });
    assert.throws(() => addon.splitLines(chunk, 0, starts, ends, new Int32Array(3)), { name: 'TypeError' });
    assert.throws(() => addon.splitLines('abc' as unknown as Buffer, 10, starts, ends, new Int32Array(3)), { name: 'TypeError' });
  });

  it('prefixLines writes head + line + newline per line, and refuses to write or read out of bounds', () => {
    const data = Buffer.from('one\ntwo\n');
    const starts = new Int32Array([0, 4]);
    const ends = new Int32Array([3, 7]);
    const head = Buffer.from('p | ');
    const out = Buffer.alloc(1 + 2 * (head.length + 4));
    assert.equal(addon.prefixLines(out, 1, head, data, starts, ends, 2), out.length);
    assert.equal(out.subarray(1).toString(), 'p | one\np | two\n');
    // One byte short: nothing is written.
    const small = Buffer.alloc(out.length - 1);
    assert.throws(() => addon.prefixLines(small, 1, head, data, starts, ends, 2), { name: 'RangeError', message: /too small/ });
    assert.ok(small.every((byte) => byte === 0));
    assert.throws(() => addon.prefixLines(out, 0, head, data, starts, new Int32Array([3, 99]), 2), { name: 'RangeError', message: /outside data/ });
    assert.throws(() => addon.prefixLines(out, 0, head, data, starts, ends, 3), { name: 'RangeError' });
    assert.throws(() => addon.prefixLines(out, out.length + 1, head, data, starts, ends, 0), { name: 'RangeError' });
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
