// [supervisord] user= per program (run-as.ts) and the console spellings (destination.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { consoleFdOf } from '../../../src/config/destination.ts';
import { runAs } from '../../../src/config/run-as.ts';

const nobody = { name: 'nobody', uid: 65534, gid: 65534 };
const app = { name: 'app', uid: 1000, gid: 1000 };
const root = { name: 'root', uid: 0, gid: 0 };

test('runAs: supervisord drops to [supervisord] user=, so programs run as it and another user= is refused', () => {
  assert.deepEqual(runAs({ user: null }, { user: null }), { user: null, refusal: null });
  assert.deepEqual(runAs({ user: null }, { user: app }), { user: app, refusal: null });
  assert.deepEqual(runAs({ user: nobody }, { user: null }), { user: nobody, refusal: null });
  assert.deepEqual(runAs({ user: nobody }, { user: nobody }), { user: nobody, refusal: null });
  assert.deepEqual(runAs({ user: root }, { user: app }), { user: app, refusal: null });
  assert.deepEqual(runAs({ user: root }, { user: null }), { user: null, refusal: null });
  const refused = runAs({ user: nobody }, { user: app });
  assert.equal(refused.user, app);
  assert.match(refused.refusal ?? '', /^couldn't setuid to 1000: Can't drop privilege as nonroot user/);
});

test('consoleFdOf: every spelling of vigil\'s stdout and stderr; /proc/1 only as PID 1', () => {
  const rows: [string, boolean, 1 | 2 | undefined][] = [
    ['/dev/stdout', false, 1], ['/dev/stderr', false, 2], ['/dev/fd/1', false, 1], ['/dev/fd/2', false, 2],
    ['/proc/self/fd/1', false, 1], ['/proc/self/fd/2', false, 2], ['/proc/1/fd/1', true, 1], ['/proc/1/fd/2', true, 2],
    ['/proc/1/fd/1', false, undefined], ['/dev/fd/3', false, undefined], ['/var/log/x.log', false, undefined], ['/dev/stdout2', false, undefined],
  ];
  for (const [path, pid1, fd] of rows) assert.equal(consoleFdOf(path, pid1), fd, path);
});
