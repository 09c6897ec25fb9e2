// The readiness keys of [program:x]: parsed, defaulted, checked across
// programs (unknown names, cycles with file:line), env_file, backoff.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../../src/config/index.ts';
import type { ProcessConfig } from '../../../src/config/index.ts';
import { parseEnvFile, parseHealthProbe } from '../../../src/config/readiness.ts';
import { backoffDelaySeconds } from '../../../src/supervisor/machine-types.ts';
import { writeConfig } from './helpers.ts';

function load(text: string): { processes: Map<string, ProcessConfig>; warnings: string[] } {
  const { config, warnings } = loadConfig(writeConfig(text), {});
  const processes = new Map(config.groups.flatMap((g) => g.processes).map((p) => [p.name, p]));
  return { processes, warnings: warnings.map((w) => `${w.line}: ${w.message}`) };
}

function problems(text: string): string[] {
  const path = writeConfig(text);
  try {
    loadConfig(path, {});
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n').slice(1).map((line) => line.split(path).join('F'));
    throw error;
  }
  assert.fail('expected a ConfigError');
}

describe('config: depends_on and dependent_startup*', () => {
  it('parses conditions (default running), group names, and the plugin keys', () => {
    const { processes } = load(`
[program:db]
command=db
healthcheck=tcp:127.0.0.1:5432
[program:migrate]
command=m
startsecs=0
autorestart=false
[program:web]
command=w
depends_on = db:healthy, migrate:completed, cache
[program:cache]
command=c
[program:app]
command=a
autostart=false
dependent_startup=true
dependent_startup_wait_for=db:running,BACKOFF migrate:exited
dependent_startup_inherit_priority=true
`);
    const web = processes.get('web') as ProcessConfig;
    assert.deepEqual(web.depends_on.map((d) => [d.target, d.want, d.text, d.source.line]), [
      ['db', { kind: 'condition', condition: 'healthy' }, 'db:healthy', 12],
      ['migrate', { kind: 'condition', condition: 'completed' }, 'migrate:completed', 12],
      ['cache', { kind: 'condition', condition: 'running' }, 'cache:running', 12],
    ]);
    const app = processes.get('app') as ProcessConfig;
    assert.equal(app.dependent_startup, true);
    assert.equal(app.dependent_startup_inherit_priority, true);
    assert.deepEqual(app.dependent_startup_wait_for.map((d) => [d.target, d.want]), [
      ['db', { kind: 'states', states: ['RUNNING', 'BACKOFF'] }],
      ['migrate', { kind: 'states', states: ['EXITED'] }],
    ]);
    assert.equal((processes.get('db') as ProcessConfig).depends_on.length, 0);
  });

  it('a cycle is an error naming it, with file:line of each hop', () => {
    const found = problems(`
[program:a]
command=a
depends_on=b
[program:b]
command=b
depends_on=c:started
[program:c]
command=c
dependent_startup_wait_for=a:running
`);
    assert.equal(found.length, 1, found.join('\n'));
    assert.match(found[0] as string, /^F:5: \[program:a\] depends_on: dependency cycle: a -> b -> c -> a \(b's depends_on at F:8, c's dependent_startup_wait_for at F:11\)/);
  });

  it('a program depending on itself is a cycle', () => {
    assert.match(problems('[program:a]\ncommand=a\ndepends_on=a')[0] as string, /^F:4: \[program:a\] depends_on: dependency cycle: a -> a/);
  });

  it('unknown names, bad conditions and states are errors with file:line', () => {
    const found = problems(`
[program:a]
command=a
depends_on=ghost
[program:b]
command=b
dependent_startup_wait_for=a:ready
[program:c]
command=c
dependent_startup_wait_for=a
`);
    assert.deepEqual(found.length, 3, found.join('\n'));
    found.sort();
    assert.match(found[0] as string, /^F:11: \[program:c\] dependent_startup_wait_for: 'a': expected PARENT:STATE/);
    assert.match(found[1] as string, /^F:5: \[program:a\] depends_on: names no process or group 'ghost'/);
    assert.match(found[2] as string, /^F:8: \[program:b\] dependent_startup_wait_for: 'a:ready': unknown state 'READY'/);
  });

  it('warns about conditions that cannot be met as written', () => {
    const { warnings } = load(`
[program:db]
command=db
[program:job]
command=j
autorestart=true
[program:web]
command=w
depends_on=db:healthy,job:completed
`);
    assert.ok(warnings.some((w) => /^10: db has no healthcheck=/.test(w)), warnings.join('\n'));
    assert.ok(warnings.some((w) => /^10: job has autorestart=true, so it never completes/.test(w)), warnings.join('\n'));
    assert.ok(warnings.some((w) => /^10: job has startsecs=1/.test(w)), warnings.join('\n'));
  });
});

describe('config: healthcheck*', () => {
  it('defaults and explicit values', () => {
    const { processes } = load(`
[program:a]
command=a
healthcheck=http://127.0.0.1:8080/health
[program:b]
command=b
healthcheck=cmd:pg_isready -h 'local host'
healthcheck_interval=0.5
healthcheck_timeout=1
healthcheck_retries=1
healthcheck_start_period=30
healthcheck_restart=true
`);
    assert.deepEqual(processes.get('a')?.healthcheck, {
      probe: { kind: 'http', url: 'http://127.0.0.1:8080/health' }, interval: 5, timeout: 2, retries: 3, start_period: 0, restart: false,
    });
    assert.deepEqual(processes.get('b')?.healthcheck, {
      probe: { kind: 'cmd', command: "pg_isready -h 'local host'", argv: ['pg_isready', '-h', 'local host'] },
      interval: 0.5, timeout: 1, retries: 1, start_period: 30, restart: true,
    });
  });

  const probes: Array<[string, unknown]> = [
    ['tcp:localhost:6379', { kind: 'tcp', host: 'localhost', port: 6379 }],
    ['tcp:[::1]:6379', { kind: 'tcp', host: '::1', port: 6379 }],
    ['cmd:true', { kind: 'cmd', command: 'true', argv: ['true'] }],
  ];
  for (const [text, expected] of probes) it(`probe ${text}`, () => assert.deepEqual(parseHealthProbe(text), expected));
  for (const bad of ['tcp:host', 'tcp:host:99999', 'cmd:', 'https://x/', 'ping://x', '/bin/true']) {
    it(`probe ${bad} is refused`, () => assert.throws(() => parseHealthProbe(bad), /expected cmd:COMMAND ARGS/));
  }

  it('bad values are errors with file:line', () => {
    const found = problems('[program:a]\ncommand=a\nhealthcheck=tcp:x:1\nhealthcheck_retries=0\nhealthcheck_interval=soon');
    assert.equal(found.length, 2, found.join('\n'));
    assert.match(found.join('\n'), /F:5: \[program:a\] healthcheck_retries: '0' is not a whole number of at least 1/);
    assert.match(found.join('\n'), /F:6: \[program:a\] healthcheck_interval: 'soon' is not a number of seconds/);
  });
});

describe('config: env_file and backoff', () => {
  it('env_file: KEY=VALUE lines, comments, quotes; environment= wins; relative to the config', () => {
    const path = writeConfig('[program:a]\ncommand=a\nenv_file=app.env\nenvironment=B="from config"\n');
    writeFileSync(join(dirname(path), 'app.env'), '# a comment\nA=1\n\nexport B=from-file\nC="quoted value"\n');
    const { config } = loadConfig(path, {});
    const a = config.groups[0]?.processes[0] as ProcessConfig;
    assert.equal(a.env_file, join(dirname(path), 'app.env'));
    assert.deepEqual(a.environment, { A: '1', B: 'from config', C: 'quoted value' });
  });

  it('env_file problems: a missing file, a bad line with its own file:line', () => {
    assert.match(problems('[program:a]\ncommand=a\nenv_file=/nonexistent/x.env')[0] as string, /^F:4: \[program:a\] env_file: cannot read \/nonexistent\/x.env \(ENOENT\)/);
    assert.deepEqual(parseEnvFile('A=1\nnot a pair\n').problems, [{ line: 2, message: "'not a pair' is not KEY=VALUE with KEY made of letters, digits and _" }]);
  });

  it('backoff=exponential doubles up to backoff_max; the default stays 1, 2, 3 ...', () => {
    const { processes } = load('[program:a]\ncommand=a\nbackoff=exponential\nbackoff_max=10\n[program:b]\ncommand=b');
    const a = processes.get('a') as ProcessConfig;
    assert.deepEqual([a.backoff, a.backoff_max], ['exponential', 10]);
    const exponential = { backoff: a.backoff, backoffMax: a.backoff_max } as const;
    const delays = [1, 2, 3, 4, 5, 6].map((n) => backoffDelaySeconds({ ...exponential } as never, n));
    assert.deepEqual(delays, [1, 2, 4, 8, 10, 10]);
    assert.deepEqual([1, 2, 3, 4].map((n) => backoffDelaySeconds({} as never, n)), [1, 2, 3, 4]);
    assert.match(problems('[program:a]\ncommand=a\nbackoff=fast')[0] as string, /backoff: 'fast' is not accepted; expected one of linear, exponential/);
  });
});
