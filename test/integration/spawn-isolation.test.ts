// What a program must not get from vigil (issue 9), vigil running as PID 1:
// file descriptors vigil inherited without close-on-exec, and a directory
// only root can enter when the program runs as another user.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir, writeConfig } from '../helpers/config.ts';
import { FIXTURES, startVigil } from '../helpers/vigil.ts';
import { waitFor } from '../helpers/wait.ts';

describe('spawn isolation', () => {
  // open-fds.py lists the fds it holds from 3 up (written after its own
  // interpreter started, so the file it writes is not among them).
  const lister = join(FIXTURES, 'open-fds.py');
  const held = (path: string): string | undefined => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  };

  it('programs do not inherit the fds vigil inherited (3 and up): [program:x] and the main command', async () => {
    const dir = tempDir();
    const config = writeConfig(`
[program:lister]
command=/usr/bin/python3 ${lister} ${join(dir, 'program.fds')} 100
startsecs=0
`);
    const run = startVigil(['-c', config, '--', '/usr/bin/python3', lister, join(dir, 'main.fds'), '100'], { extraFds: 3 });
    const program = await waitFor(() => held(join(dir, 'program.fds')), { timeoutMs: 15_000, message: () => `no fd list; ${run.stderr()}` });
    const main = await waitFor(() => held(join(dir, 'main.fds')), { timeoutMs: 15_000, message: () => `no fd list of main; ${run.stderr()}` });
    assert.equal(program.trim(), '', 'a [program:x] holds only its stdio');
    assert.equal(main.trim(), '', 'the main command holds only its stdio');
    await run.signal('SIGTERM');
    assert.equal((await run.waitExit()).code, 0, run.stderr());
  });

  it('init mode: the command does not inherit them either', async () => {
    const out = join(tempDir(), 'init.fds');
    const run = startVigil(['--', '/usr/bin/python3', lister, out], { extraFds: 2 });
    assert.equal((await run.waitExit()).code, 0, run.stderr());
    assert.equal(held(out)?.trim(), '', 'the command holds only its stdio');
  });

  it('user= with directory=: the directory is changed as the user (EACCES as supervisord)', async () => {
    const secret = tempDir(); // mkdtemp: 0700, owned by root
    const config = writeConfig(`
[program:nosy]
command=pwd
user=daemon
directory=${secret}
startretries=0
`);
    const run = startVigil(['-c', config]);
    await run.waitForStderr(`spawnerr: couldn't chdir to ${secret}: EACCES`, 15_000);
    await run.waitForStderr('gave up: nosy entered FATAL state', 15_000);
    assert.ok(!run.stdout().includes(secret), `the program ran in ${secret}:\n${run.stdout()}`);
    await run.signal('SIGTERM');
    assert.equal((await run.waitExit()).code, 0, run.stderr());
  });
});
