// Where `vigil ctl` looks for the daemon, and what it says named that place.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { resolveServerUrl } from '../../../src/ctl/discover.ts';

const dir = mkdtempSync(join(tmpdir(), 'vigil-discover-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('resolveServerUrl', () => {
  const cwd = join(dir, 'cwd');
  const runtime = join(dir, 'run');
  const env = { XDG_RUNTIME_DIR: runtime };
  it('says where the URL came from: -s, the config, the default', () => {
    const config = join(dir, 'a.conf');
    writeFileSync(config, `[supervisord]\n[unix_http_server]\nfile=${dir}/a.sock\n`);
    assert.deepEqual(resolveServerUrl({ serverUrl: 'unix:///x.sock' }, env, dir), { url: 'unix:///x.sock', source: 'given with -s' });
    const fromConfig = resolveServerUrl({ configPath: config }, env, dir);
    assert.equal(fromConfig.url, `unix://${dir}/a.sock`);
    assert.equal(fromConfig.source, `[unix_http_server] file in ${config}`);
    assert.equal(fromConfig.prompt, 'supervisor');
    const bare = join(dir, 'b.conf');
    writeFileSync(bare, '[supervisord]\n');
    assert.match(resolveServerUrl({ configPath: bare }, env, dir).source ?? '', /^vigil's default socket \(.*b\.conf names none\)$/);
  });

  it("a searched config naming a missing socket yields to vigil's default socket when that exists", (t) => {
    if (existsSync('/run/vigil.sock')) return t.skip('/run/vigil.sock exists here and comes first');
    mkdirSync(cwd, { recursive: true });
    mkdirSync(runtime, { recursive: true });
    writeFileSync(join(cwd, 'supervisord.conf'), `[supervisord]\n[unix_http_server]\nfile=${cwd}/absent.sock\n`);
    // named by nothing: no default socket exists, so the config's stands
    assert.equal(resolveServerUrl({}, env, cwd).url, `unix://${cwd}/absent.sock`);
    writeFileSync(join(runtime, 'vigil.sock'), ''); // existence is all that is checked
    const target = resolveServerUrl({}, env, cwd);
    assert.equal(target.url, `unix://${runtime}/vigil.sock`);
    assert.match(target.source ?? '', /names .*absent\.sock, which does not exist/);
    // -c names it: no fallback
    assert.equal(resolveServerUrl({ configPath: join(cwd, 'supervisord.conf') }, env, cwd).url, `unix://${cwd}/absent.sock`);
  });
});
