// Resolves the processes of one [program:x] or [eventlistener:x] section, as
// ServerOptions._processes_from_section does, including which names each key may
// expand: keys read before the numprocs loop see here, program_name, group_name,
// host_node_name and ENV_*; environment, directory, the logfile keys, command and
// process_name also see process_num, numprocs and the program's own ENV_ values.
import {
  autoRestart, boolean, boundedInteger, byteSize, integer, listOfExitcodes, octal, processOrGroupName,
} from './converters.ts';
import { ValueProblem } from './errors.ts';
import type { Diagnostics } from './errors.ts';
import { expand } from './expand.ts';
import type { Expansions } from './expand.ts';
import type { IniDocument } from './ini.ts';
import { MAX_NUMPROCS, MAX_NUMPROCS_START } from './limits.ts';
import { logfileName } from './paths.ts';
import type { LogfileTarget } from './paths.ts';
import { shlexSplit } from './shlex.ts';
import { signalName } from './signals.ts';
import { readReadinessKeys } from './readiness.ts';
import { readDecoration, resolveUser } from './supervisord-section.ts';
import type { ProcessConfig, SupervisordConfig } from './types.ts';
import { SectionReader } from './values.ts';

export interface ProgramContext {
  readonly doc: IniDocument;
  readonly diag: Diagnostics;
  readonly env: NodeJS.ProcessEnv;
  readonly envNames: Expansions; // ENV_* of vigil's environment and [supervisord] environment
  readonly here: string;
  readonly hostNodeName: string;
  readonly supervisord: SupervisordConfig;
}

interface ChannelLog {
  logfile: LogfileTarget;
  maxbytes: number;
  backups: number;
  syslog: boolean;
}

function readChannel(reader: SectionReader, channel: 'stdout' | 'stderr', names: Expansions, env: NodeJS.ProcessEnv): ChannelLog {
  const options = { names };
  const logfileKey = `${channel}_logfile`;
  // The logfile is expanded twice (saneget, then expand() in _processes_from_section).
  const text = reader.text(logfileKey, null, { names, again: names });
  let target = text === null || text === undefined ? ('auto' as const) : reader.convert(logfileKey, text, logfileName(env));
  const maxbytesRead = reader.get(`${channel}_logfile_maxbytes`, 50 * 1024 * 1024, byteSize, options);
  const maxbytes = maxbytesRead ?? 0;
  const backups = reader.get(`${channel}_logfile_backups`, 10, integer, options) ?? 0;
  let syslog = reader.get(`${channel}_syslog`, false, boolean, options) ?? false;
  if (target === 'syslog') {
    reader.warn(logfileKey, `${logfileKey}=syslog is deprecated (supervisord says so too); use ${channel}_syslog=true`);
    target = { kind: 'none' };
    syslog = true;
  }
  const logfile: LogfileTarget = target === undefined ? { kind: 'none' } : target === 'auto' ? { kind: 'auto' } : target;
  if (logfile.kind === 'auto' && maxbytesRead === 0) {
    reader.warn(logfileKey, `AUTO logging without rollover (${channel}_logfile_maxbytes=0) can fill the filesystem; set maxbytes > 0`);
  }
  return { logfile, maxbytes, backups, syslog };
}

interface ProcessValues {
  environment: Record<string, string>;
  directory: string | null;
  stdout: ChannelLog;
  stderr: ChannelLog;
  command: string;
  name: string;
  argv: string[];
  commandError: string | null;
}

// The keys read once per process (they may use process_num): undefined after a
// problem that leaves no process to run (recorded in the diagnostics).
function readProcess(
  reader: SectionReader,
  ctx: ProgramContext,
  names: Record<string, string | number>,
  environmentText: string,
  processName: string,
  redirectStderr: boolean,
  envFileVars: Readonly<Record<string, string>> = {}, // env_file= (readiness.ts)
): ProcessValues | undefined {
  const inLoop = { names };
  // env_file's variables under environment= (which wins on conflicts).
  let environment: Record<string, string> = { ...envFileVars };
  for (const [key, value] of Object.entries(envFileVars)) names[`ENV_${key}`] = value;
  const expandedEnvironment = reader.convert('environment', environmentText, (text) => expand(text, names));
  if (expandedEnvironment !== undefined) {
    environment = { ...environment, ...(reader.environment('environment', expandedEnvironment) ?? {}) };
  }
  for (const [key, value] of Object.entries(environment)) names[`ENV_${key}`] = value;
  const directory = reader.text('directory', null, inLoop) ?? null;
  const stdout = readChannel(reader, 'stdout', names, ctx.env);
  const stderr = readChannel(reader, 'stderr', names, ctx.env);
  if (redirectStderr) {
    if (stderr.logfile.kind === 'path') {
      reader.warn('stderr_logfile', 'redirect_stderr=true, so this stderr_logfile is ignored (stderr goes to stdout)');
    }
    stderr.logfile = { kind: 'none' }; // never an stderr logfile when redirected
  }
  const command = reader.text('command', null, inLoop);
  if (command === null) {
    reader.error('command', '', `[${reader.section}] has no command= line; expected e.g. command=/usr/bin/my-server --port 80`);
    return undefined;
  }
  const name = reader.convert('process_name', processName, (text) => expand(text, names));
  if (command === undefined || name === undefined) return undefined;
  // supervisord accepts a command it cannot split (or an empty one) and fails
  // that one program at spawn (get_execv_args raises BadCommand): the process
  // is kept with no argv and its reason, and becomes FATAL when started.
  let argv: string[] = [];
  let commandError: string | null = null;
  try {
    argv = shlexSplit(command);
  } catch (error) {
    if (!(error instanceof ValueProblem)) throw error;
    commandError = error.message;
    reader.warn('command', `cannot split ${JSON.stringify(command)}: ${error.message}; this program will fail at spawn (FATAL) while the others run, as in supervisord`);
  }
  if (commandError === null && argv.length === 0) {
    reader.warn('command', 'command is empty; this program will fail at spawn (FATAL) while the others run, as in supervisord');
  }
  return { environment, directory, stdout, stderr, command, name, argv, commandError };
}

export function resolveProcesses(
  ctx: ProgramContext,
  sectionName: string,
  groupName: string,
  kind: ProcessConfig['kind'],
): ProcessConfig[] {
  const section = ctx.doc.sections.get(sectionName);
  if (section === undefined) return [];
  const reader = new SectionReader(ctx.doc, sectionName, ctx.diag, section);
  const rawName = sectionName.slice(sectionName.indexOf(':') + 1);
  const programName = reader.convert('', rawName, processOrGroupName);
  if (programName === undefined) return [];
  const common: Expansions = {
    ...ctx.envNames,
    here: ctx.here,
    program_name: programName,
    host_node_name: ctx.hostNodeName,
    group_name: groupName,
  };
  const options = { names: common };
  const get = <T>(key: string, fallback: T, convert: (text: string) => T): T =>
    reader.get(key, fallback, convert, options) ?? fallback;
  const priority = get('priority', 999, integer);
  const autostart = get('autostart', true, boolean);
  const autorestart = get('autorestart', 'unexpected', autoRestart);
  const startsecs = get('startsecs', 1, integer);
  const startretries = get('startretries', 3, integer);
  const stopsignal = get('stopsignal', 'TERM', signalName);
  const stopwaitsecs = get('stopwaitsecs', 10, integer);
  const stopasgroup = get('stopasgroup', false, boolean);
  const killasgroup = get('killasgroup', stopasgroup, boolean);
  const exitcodes = get('exitcodes', [0], listOfExitcodes);
  const redirectStderr = get('redirect_stderr', false, boolean);
  const numprocs = reader.get('numprocs', 1, boundedInteger(undefined, MAX_NUMPROCS), options);
  const numprocsStart = reader.get('numprocs_start', 0, boundedInteger(-MAX_NUMPROCS_START, MAX_NUMPROCS_START), options);
  const environmentText = reader.text('environment', '', { names: null }) ?? '';
  const stdoutCaptureMaxbytes = get('stdout_capture_maxbytes', 0, byteSize);
  const stdoutEventsEnabled = get('stdout_events_enabled', false, boolean);
  const stderrCaptureMaxbytes = get('stderr_capture_maxbytes', 0, byteSize);
  const stderrEventsEnabled = get('stderr_events_enabled', false, boolean);
  const serverurlText = reader.text('serverurl', null, options) ?? null;
  const serverurl = serverurlText !== null && serverurlText.trim().toUpperCase() === 'AUTO' ? null : serverurlText;
  const user = resolveUser(reader, 'user', reader.text('user', null, options));
  const umask = reader.get('umask', null, octal, options) ?? null;
  const processNameRaw = reader.text('process_name', '%(program_name)s', { names: null }) ?? '%(program_name)s';
  const processName = reader.convert('process_name', processNameRaw, processOrGroupName);
  const critical = get('critical', false, boolean);
  const decoration = readDecoration(reader, common, ctx.supervisord);
  const { envFileVars, ...readiness } = readReadinessKeys(reader, common, ctx.here);
  const explicitKeys = reader.explicitKeys();
  const locations = reader.locations();

  if (numprocs === undefined || numprocsStart === undefined || processName === undefined) {
    // Already reported; read the rest once anyway so every problem of the
    // section is reported in one go.
    readProcess(reader, ctx, { ...common, process_num: 0, numprocs: 1 }, environmentText, processName ?? programName, redirectStderr);
    return [];
  }
  if (numprocs > 1 && !processName.includes('%(process_num)')) {
    reader.error(
      'process_name',
      processNameRaw,
      `numprocs=${numprocs} needs %(process_num) in process_name so each process gets its own name, e.g. process_name=%(program_name)s_%(process_num)02d`,
    );
    readProcess(reader, ctx, { ...common, process_num: numprocsStart, numprocs }, environmentText, processName, redirectStderr);
    return [];
  }
  if (stopasgroup && !killasgroup) {
    reader.error('killasgroup', reader.entry('killasgroup')?.value ?? '', 'cannot be false when stopasgroup=true (stopping the group but killing only the leader would leave the rest)');
  }

  const processes: ProcessConfig[] = [];
  for (let processNum = numprocsStart; processNum < numprocsStart + numprocs; processNum++) {
    const names: Record<string, string | number> = { ...common, process_num: processNum, numprocs };
    const read = readProcess(reader, ctx, names, environmentText, processName, redirectStderr, envFileVars);
    if (read === undefined) continue;
    const { environment, directory, stdout, stderr, command, name, argv, commandError } = read;
    processes.push({
      kind,
      name,
      group: groupName,
      program_name: programName,
      process_num: processNum,
      command,
      argv,
      command_error: commandError,
      priority,
      autostart,
      autorestart,
      startsecs,
      startretries,
      exitcodes,
      stopsignal,
      stopwaitsecs,
      stopasgroup,
      killasgroup,
      user,
      directory,
      umask,
      environment: { ...ctx.supervisord.environment, ...environment },
      redirect_stderr: redirectStderr,
      stdout_logfile: stdout.logfile,
      stdout_logfile_maxbytes: stdout.maxbytes,
      stdout_logfile_backups: stdout.backups,
      stdout_capture_maxbytes: stdoutCaptureMaxbytes,
      stdout_events_enabled: stdoutEventsEnabled,
      stdout_syslog: stdout.syslog,
      stderr_logfile: stderr.logfile,
      stderr_logfile_maxbytes: stderr.maxbytes,
      stderr_logfile_backups: stderr.backups,
      stderr_capture_maxbytes: stderrCaptureMaxbytes,
      stderr_events_enabled: stderrEventsEnabled,
      stderr_syslog: stderr.syslog,
      serverurl,
      critical,
      ...decoration,
      ...readiness,
      explicit_keys: explicitKeys,
      source: { file: section.file, line: section.line },
      locations,
    });
  }
  return sortByPriorityThenName(processes);
}

// supervisord's Config.__lt__: priority, then name; Array.sort is stable like list.sort.
export function sortByPriorityThenName<T extends { priority: number; name: string }>(items: T[]): T[] {
  return items.sort((a, b) => a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
