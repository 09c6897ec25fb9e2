// `vigil check --json` must resolve every config in test/configs exactly as
// supervisord 4.2.5 does: test/tools/supervisord_resolve.py runs supervisord's own
// ServerOptions on the same file and prints the same schema.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCheck } from '../../../src/commands/check.ts';
import { captureOutput } from './helpers.ts';

const root = resolve(import.meta.dirname, '../../..');
const configs = join(root, 'test/configs');
const resolver = join(root, 'test/tools/supervisord_resolve.py');
// Debian's supervisor lives in /usr/lib/python3/dist-packages: only the system python sees it.
const python = '/usr/bin/python3';
const hasSupervisor =
  existsSync(python) && spawnSync(python, ['-c', 'import supervisor.options'], { cwd: '/' }).status === 0;
// Set for both sides: the configs use %(ENV_VIGIL_TEST_GREETING)s.
// PYTHONPATH: a stand-in supervisor_stdout module (the supervisor-stdout
// plugin, which supervisord imports at load) for supervisor-stdout.conf.
const env = {
  ...process.env,
  VIGIL_TEST_GREETING: 'hello, world',
  PYTHONPATH: join(root, 'test/tools/python'),
};

for (const name of readdirSync(configs).filter((file) => file.endsWith('.conf')).sort()) {
  test(`supervisord parity: ${name}`, { skip: hasSupervisor ? false : 'Debian supervisor not installed' }, async () => {
    const file = join(configs, name);
    const supervisord = spawnSync(python, [resolver, file], { env, encoding: 'utf8', timeout: 20_000, cwd: '/' });
    assert.equal(supervisord.status, 0, `supervisord rejected ${name}: ${supervisord.stderr}`);
    const { stdout, stderr, out } = captureOutput();
    const code = await runCheck(['-c', file, '--json'], out, env);
    assert.equal(code, 0, `vigil check rejected ${name}: ${stderr.join('')}`);
    const expected = JSON.parse(supervisord.stdout) as { processes: unknown[] };
    const actual = JSON.parse(stdout.join('')) as { config: string; processes: Record<string, unknown>[] };
    assert.equal(actual.config, file);
    assert.ok(expected.processes.length > 0, 'the config should define processes');
    // `vigil` holds vigil's own destinations; everything else is supervisord's.
    for (const process of actual.processes) {
      assert.equal(typeof process.vigil, 'object', 'each process says where vigil sends its output');
      delete process.vigil;
    }
    assert.deepStrictEqual(actual.processes, expected.processes);
  });
}

// Configs supervisord refuses must be refused by vigil too (exit 2 for both).
const invalid = join(configs, 'invalid');
for (const name of readdirSync(invalid).filter((file) => file.endsWith('.conf')).sort()) {
  test(`supervisord parity, refused: invalid/${name}`, { skip: hasSupervisor ? false : 'Debian supervisor not installed' }, async () => {
    const file = join(invalid, name);
    const supervisord = spawnSync(python, [resolver, file], { env, encoding: 'utf8', timeout: 20_000, cwd: '/' });
    assert.equal(supervisord.status, 2, `supervisord accepted ${name}: ${supervisord.stdout}`);
    const { stderr, out } = captureOutput();
    assert.equal(await runCheck(['-c', file, '--json'], out, env), 2, `vigil accepted ${name}`);
    assert.ok(stderr.join('').includes(`${file}:`), 'every problem names the file');
  });
}
