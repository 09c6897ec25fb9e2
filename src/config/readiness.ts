// Reads vigil's readiness keys of one [program:x] section (depends_on,
// healthcheck*, env_file, backoff*) and supervisord-dependent-startup's keys
// (dependent_startup*). Cross-program checks (unknown names, cycles) are in
// dependency-graph.ts, once every section is resolved.
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { boolean, oneOf } from './converters.ts';
import { ValueProblem } from './errors.ts';
import type { Expansions } from './expand.ts';
import { DEPENDENCY_CONDITIONS, WAITABLE_STATES } from './readiness-types.ts';
import type {
  BackoffKind, Dependency, DependencyCondition, HealthCheckConfig, HealthCheckProbe, ReadinessKeys, WaitableState,
} from './readiness-types.ts';
import { shlexSplit } from './shlex.ts';
import type { SectionReader } from './values.ts';

export const READINESS_KEYS = [
  'depends_on', 'dependent_startup', 'dependent_startup_wait_for', 'dependent_startup_inherit_priority',
  'healthcheck', 'healthcheck_interval', 'healthcheck_timeout', 'healthcheck_retries',
  'healthcheck_start_period', 'healthcheck_restart', 'env_file', 'backoff', 'backoff_max',
] as const;

// Splits `NAME:SUFFIX` at the last colon (names may hold one: `web:web_00`).
function splitLast(item: string): [string, string] | null {
  const at = item.lastIndexOf(':');
  return at < 0 ? null : [item.slice(0, at), item.slice(at + 1)];
}

// depends_on = NAME[:CONDITION], ... (comma separated; condition default running).
export function parseDependsOn(text: string): Array<Omit<Dependency, 'source' | 'key'>> {
  const result: Array<Omit<Dependency, 'source' | 'key'>> = [];
  for (const raw of text.split(',').map((item) => item.trim()).filter((item) => item !== '')) {
    const split = splitLast(raw);
    const suffix = split?.[1].toLowerCase();
    const isCondition = suffix !== undefined && (DEPENDENCY_CONDITIONS as readonly string[]).includes(suffix);
    const target = split && isCondition ? split[0] : raw;
    const condition = (isCondition ? suffix : 'running') as DependencyCondition;
    if (target === '' || /\s/.test(target)) {
      throw new ValueProblem(`'${raw}' is not NAME[:CONDITION]; expected e.g. db:healthy, migrate:completed, cache (conditions: ${DEPENDENCY_CONDITIONS.join(', ')})`);
    }
    result.push({ target, want: { kind: 'condition', condition }, text: `${target}:${condition}` });
  }
  return result;
}

// dependent_startup_wait_for = PARENT:STATE[,STATE...] [PARENT2:STATE ...]
export function parseWaitFor(text: string): Array<Omit<Dependency, 'source' | 'key'>> {
  const result: Array<Omit<Dependency, 'source' | 'key'>> = [];
  for (const raw of text.split(/\s+/).filter((item) => item !== '')) {
    const split = splitLast(raw);
    const states = split?.[1].split(',').map((state) => state.trim().toUpperCase()) ?? [];
    const bad = states.find((state) => !(WAITABLE_STATES as readonly string[]).includes(state));
    if (split === null || split[0] === '' || states.length === 0 || bad !== undefined) {
      const why = bad !== undefined && bad !== '' ? `unknown state '${bad}'` : 'expected PARENT:STATE';
      throw new ValueProblem(`'${raw}': ${why}; expected e.g. db:running or start:exited, states: ${WAITABLE_STATES.join(', ').toLowerCase()}`);
    }
    result.push({ target: split[0], want: { kind: 'states', states: states as WaitableState[] }, text: raw });
  }
  return result;
}

// healthcheck = cmd:COMMAND ARGS | http://HOST:PORT/PATH | tcp:HOST:PORT
export function parseHealthProbe(text: string): HealthCheckProbe {
  const trimmed = text.trim();
  const expected = 'expected cmd:COMMAND ARGS, http://HOST:PORT/PATH or tcp:HOST:PORT';
  if (trimmed.startsWith('cmd:')) {
    const command = trimmed.slice(4).trim();
    const argv = shlexSplit(command);
    if (argv.length === 0) throw new ValueProblem(`'${text}' has an empty command; ${expected}`);
    return { kind: 'cmd', command, argv };
  }
  if (/^https?:\/\//i.test(trimmed)) {
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      throw new ValueProblem(`'${text}' is not a valid URL; ${expected}`);
    }
    if (url.protocol !== 'http:') throw new ValueProblem(`'${text}': only http:// is supported (a local check needs no TLS); ${expected}`);
    return { kind: 'http', url: url.toString() };
  }
  if (trimmed.startsWith('tcp:')) {
    const split = splitLast(trimmed.slice(4));
    const port = split ? Number(split[1]) : NaN;
    const host = split ? split[0].replace(/^\[(.*)\]$/, '$1') : '';
    if (!split || host === '' || !Number.isInteger(port) || port < 1 || port > 65535) {
      throw new ValueProblem(`'${text}' is not tcp:HOST:PORT with a port 1-65535; ${expected}`);
    }
    return { kind: 'tcp', host, port };
  }
  throw new ValueProblem(`'${text}' is not a health check; ${expected}`);
}

// Seconds, fractions allowed (healthcheck_interval=0.5).
function seconds(min: number): (text: string) => number {
  return (text) => {
    const value = Number(text.trim());
    if (text.trim() === '' || !Number.isFinite(value) || value < min) {
      throw new ValueProblem(`'${text}' is not a number of seconds${min > 0 ? ` above 0` : ''}; expected e.g. 5 or 0.5`);
    }
    return value;
  };
}

function count(min: number): (text: string) => number {
  return (text) => {
    const value = Number(text.trim());
    if (!Number.isInteger(value) || value < min) throw new ValueProblem(`'${text}' is not a whole number of at least ${min}`);
    return value;
  };
}

// KEY=VALUE lines, `#` comments, blank lines, an optional `export `, values
// optionally in matching quotes (the Docker/systemd env file in common use).
export function parseEnvFile(text: string): { vars: Record<string, string>; problems: Array<{ line: number; message: string }> } {
  const vars: Record<string, string> = {};
  const problems: Array<{ line: number; message: string }> = [];
  text.split(/\r?\n/).forEach((rawLine, index) => {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) return;
    const body = line.startsWith('export ') ? line.slice(7).trimStart() : line;
    const eq = body.indexOf('=');
    const key = eq < 0 ? body : body.slice(0, eq).trim();
    if (eq < 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      problems.push({ line: index + 1, message: `'${line}' is not KEY=VALUE with KEY made of letters, digits and _` });
      return;
    }
    let value = body.slice(eq + 1).trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) value = value.slice(1, -1);
    vars[key] = value;
  });
  return { vars, problems };
}

export interface ReadinessRead extends ReadinessKeys {
  readonly envFileVars: Readonly<Record<string, string>>;
}

// Reads the keys of one program section; problems go to the reader's diagnostics.
export function readReadinessKeys(reader: SectionReader, names: Expansions, here: string): ReadinessRead {
  const options = { names };
  const get = <T>(key: string, fallback: T, convert: (text: string) => T): T =>
    reader.get(key, fallback, convert, options) ?? fallback;
  const located = (key: Dependency['key'], items: Array<Omit<Dependency, 'source' | 'key'>>): Dependency[] =>
    items.map((item) => ({ ...item, key, source: reader.at(key) }));
  const dependsOn = located('depends_on', get('depends_on', [], parseDependsOn));
  const waitFor = located('dependent_startup_wait_for', get('dependent_startup_wait_for', [], parseWaitFor));
  const probe = get<HealthCheckProbe | null>('healthcheck', null, parseHealthProbe);
  const healthcheck: HealthCheckConfig | null =
    probe === null
      ? null
      : {
          probe,
          interval: get('healthcheck_interval', 5, seconds(0.01)),
          timeout: get('healthcheck_timeout', 2, seconds(0.01)),
          retries: get('healthcheck_retries', 3, count(1)),
          start_period: get('healthcheck_start_period', 0, seconds(0)),
          restart: get('healthcheck_restart', false, boolean),
        };
  if (probe === null) {
    for (const key of READINESS_KEYS.filter((k) => k.startsWith('healthcheck_'))) {
      if (reader.has(key)) reader.warn(key, `ignored: there is no healthcheck= in [${reader.section}]`);
    }
  }
  const envFileText = reader.text('env_file', null, options) ?? null;
  let envFile: string | null = null;
  let envFileVars: Record<string, string> = {};
  if (envFileText !== null && envFileText.trim() !== '') {
    envFile = isAbsolute(envFileText.trim()) ? envFileText.trim() : resolve(here, envFileText.trim());
    try {
      const parsed = parseEnvFile(readFileSync(envFile, 'utf8'));
      envFileVars = parsed.vars;
      for (const problem of parsed.problems) {
        reader.diag.error({ file: envFile, line: problem.line }, reader.section, 'env_file', envFileText, problem.message);
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      reader.error('env_file', envFileText, `cannot read ${envFile} (${code}); expected a file of KEY=VALUE lines`);
    }
  }
  const backoff = get<BackoffKind>('backoff', 'linear', oneOf(['linear', 'exponential'] as const));
  const backoffMax = get('backoff_max', 60, count(1));
  if (reader.has('backoff_max') && backoff !== 'exponential') reader.warn('backoff_max', 'ignored without backoff=exponential');
  return {
    depends_on: dependsOn,
    dependent_startup: get('dependent_startup', false, boolean),
    dependent_startup_wait_for: waitFor,
    dependent_startup_inherit_priority: get('dependent_startup_inherit_priority', false, boolean),
    healthcheck,
    env_file: envFile,
    backoff,
    backoff_max: backoffMax,
    envFileVars,
  };
}
