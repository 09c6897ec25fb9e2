// Maps the resolved config onto what the supervisor runs (ProcessSpec). This is
// where supervisord's file-logging defaults meet vigil's container default.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { destinationOf } from '../config/destination.ts';
import { SUPERVISOR_STDOUT_HANDLER } from '../config/events.ts';
import { runAs } from '../config/run-as.ts';
import type { ProcessConfig, ResolvedConfig } from '../config/types.ts';
import type { Destination } from '../output/index.ts';
import type { Decorate } from '../output/prefix.ts';
import { dependenciesOf } from '../config/dependency-graph.ts';
import { isDependentStartupPlugin } from './readiness/plugin.ts';
import { NO_READINESS } from './spec.ts';
import { spawnErrors } from './messages.ts';
import type { ProcessSpec } from './spec.ts';

// stdout_logfile / stderr_logfile -> where the bytes go (config/destination.ts
// decides; here an AUTO file gets its name).
//  - not set: vigil's container default, prefixed lines on vigil's stdout
//    (stderr on vigil's stderr). supervisord would write AUTO files here.
//  - /dev/stdout, /dev/fd/1, /proc/self/fd/1 ... : the same forwarding (never a seek error).
//  - NONE: drained and discarded. AUTO: a file in childlogdir named like
//    supervisord's (`web-stdout---supervisor-XXXXXX.log`). A path: that file.
function destination(
  config: ResolvedConfig,
  process: ProcessConfig,
  channel: 'stdout' | 'stderr',
): { destination: Destination; logfile: string } {
  const summary = destinationOf(process, channel, globalThis.process.pid === 1);
  switch (summary.kind) {
    case 'console':
      return { destination: { kind: 'console', fd: summary.fd }, logfile: '' };
    case 'none':
      return { destination: { kind: 'none' }, logfile: '' };
    case 'auto':
    case 'file': {
      const suffix = randomBytes(4).toString('hex').slice(0, 6);
      const path = summary.kind === 'file'
        ? summary.path
        : join(config.supervisord.childlogdir, `${process.name}-${channel}---${config.supervisord.identifier}-${suffix}.log`);
      return {
        destination: {
          kind: 'file',
          path,
          maxBytes: process[`${channel}_logfile_maxbytes`],
          backups: process[`${channel}_logfile_backups`],
        },
        logfile: path,
      };
    }
  }
}

// Why this process cannot be spawned at all, in supervisord's spawnerr words,
// or null: a command that cannot be split, or a user= that [supervisord]
// user= forbids (see config/run-as.ts).
function spawnRefusal(config: ResolvedConfig, process: ProcessConfig): string | null {
  if (process.command_error !== null) return spawnErrors.cantParseCommand(process.command, process.command_error);
  return runAs(config.supervisord, process).refusal;
}

function decorate(process: ProcessConfig): Decorate {
  return {
    prefix: process.log_prefix,
    // 'auto': colours only when the destination is a TTY (checked by the sink).
    color: process.log_color !== 'false',
    timestamps: process.log_timestamps,
  };
}

export function specFromConfig(config: ResolvedConfig, process: ProcessConfig, groupName: string): ProcessSpec {
  const stdout = destination(config, process, 'stdout');
  const stderr = destination(config, process, 'stderr');
  const group = config.groups.find((g) => g.name === groupName);
  const listener = group?.eventlistener ?? null;
  const spec: Omit<ProcessSpec, 'fingerprint'> = {
    name: process.name,
    group: groupName,
    kind: process.kind,
    command: process.command,
    argv: process.argv,
    priority: process.priority,
    autostart: process.autostart,
    policy: {
      processName: process.name,
      startsecs: process.startsecs,
      startretries: process.startretries,
      autorestart: process.autorestart,
      exitcodes: process.exitcodes,
      stopsignal: process.stopsignal,
      stopwaitsecs: process.stopwaitsecs,
      stopasgroup: process.stopasgroup,
      killasgroup: process.killasgroup,
      backoff: process.backoff,
      backoffMax: process.backoff_max,
    },
    user: runAs(config.supervisord, process).user?.name ?? null,
    spawnRefusal: spawnRefusal(config, process),
    stripAnsi: config.supervisord.strip_ansi,
    logEvents: { stdout: process.stdout_events_enabled, stderr: process.stderr_events_enabled },
    directory: process.directory,
    umask: process.umask,
    environment: process.environment,
    redirectStderr: process.redirect_stderr,
    stdout: stdout.destination,
    stderr: process.redirect_stderr ? { kind: 'none' } : stderr.destination,
    stdoutLogfile: stdout.logfile,
    stderrLogfile: process.redirect_stderr ? '' : stderr.logfile,
    decorate: decorate(process),
    critical: process.critical,
    serverUrl: process.serverurl ?? config.serverurl,
    listener: listener ? { events: listener.events, bufferSize: listener.buffer_size } : null,
    readiness: {
      dependencies: dependenciesOf(process),
      dependentStartup: process.dependent_startup,
      healthcheck: process.healthcheck,
    },
  };
  // AUTO log names are random per load: compare the config, not the name.
  // Dependencies only gate starts and order stops: changing them applies
  // without restarting the program (the gate takes the new ones on update).
  const { stdout: _o, stderr: _e, stdoutLogfile: _l1, stderrLogfile: _l2, readiness, ...stable } = spec;
  const fingerprinted = [stable, readiness.healthcheck, process.stdout_logfile, process.stderr_logfile];
  return { ...spec, fingerprint: JSON.stringify(fingerprinted) };
}

// Every process of the config, grouped, in start order.
export function specsFromConfig(config: ResolvedConfig): Map<string, ProcessSpec[]> {
  const groups = new Map<string, ProcessSpec[]>();
  for (const group of config.groups) {
    if (isDependentStartupPlugin(group)) continue; // vigil does its job natively
    // The supervisor-stdout listener is not run: vigil forwards output itself.
    if (group.eventlistener?.result_handler === SUPERVISOR_STDOUT_HANDLER) continue;
    groups.set(group.name, group.processes.map((process) => specFromConfig(config, process, group.name)));
  }
  return groups;
}

// `vigil -c FILE -- CMD`: the container's command as a critical program named
// `main`, started after every configured program and stopped first.
export function mainSpec(command: readonly string[], config: ResolvedConfig): ProcessSpec {
  const priorities = config.groups.flatMap((g) => g.processes.map((p) => p.priority));
  const spec: Omit<ProcessSpec, 'fingerprint'> = {
    name: 'main',
    group: 'main',
    kind: 'main',
    command: command.join(' '),
    argv: command,
    priority: Math.max(999, ...priorities) + 1,
    autostart: true,
    policy: {
      processName: 'main',
      startsecs: 0,
      startretries: 0,
      autorestart: 'false',
      exitcodes: [0],
      stopsignal: 'TERM',
      stopwaitsecs: 10,
      stopasgroup: false,
      killasgroup: false,
    },
    // [supervisord] user= applies to every program without its own user=.
    user: config.supervisord.user?.uid === 0 ? null : (config.supervisord.user?.name ?? null),
    spawnRefusal: null,
    stripAnsi: false,
    logEvents: { stdout: false, stderr: false },
    directory: null,
    umask: null,
    environment: {},
    redirectStderr: false,
    stdout: { kind: 'console', fd: 1 },
    stderr: { kind: 'console', fd: 2 },
    stdoutLogfile: '',
    stderrLogfile: '',
    decorate: { prefix: false, color: false, timestamps: false },
    critical: true,
    serverUrl: config.serverurl,
    listener: null,
    readiness: NO_READINESS,
  };
  return { ...spec, fingerprint: JSON.stringify(spec) };
}
