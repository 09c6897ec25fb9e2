// The supervisor as the control server sees it (ControlApi): one method per
// supervisorctl verb, with supervisord's faults (rpcinterface.py).
import { existsSync, truncateSync } from 'node:fs';
import { loadConfig } from '../config/index.ts';
import type { ResolvedConfig } from '../config/types.ts';
import { PROCESS_STATE_CODES } from '../control/api.ts';
import type {
  ActionResult,
  AvailableProcess,
  ConfigChanges,
  ConfigInfo,
  ControlApi,
  FaultName,
  LogReader,
  OutputChannel,
  ProcessInfo,
  SupervisorStateName,
  WaitOption,
} from '../control/api.ts';
import { describeProcess } from '../control/describe.ts';
import type { Logger } from '../log/logger.ts';
import { fileReader, ringReader } from '../output/log-reader.ts';
import { addGroup, configInfo, removeGroup } from './control-groups.ts';
import type { MainLog } from './main-log.ts';
import { VERSION } from '../version.ts';
import { specsFromConfig } from './from-config.ts';
import { signalNumber } from './messages.ts';
import type { SupervisedProcess } from './process.ts';
import { diffGroups } from './reload.ts';
import { SpawnFailure, childEnvironment, findCommand } from './spawn-process.ts';
import type { ProcessSpec } from './spec.ts';
import { isRunningState, isStoppedState } from './states.ts';
import type { Supervisor } from './supervisor.ts';

export interface AdapterOptions {
  supervisor: Supervisor;
  logger: Logger;
  configPath: string;
  current: () => ResolvedConfig;
  setCurrent: (config: ResolvedConfig) => void;
  shutdown: () => void;
  // vigil's own log (readLog, maintail); absent in tests that do not need it.
  mainLog?: MainLog;
  // REMOTE_COMMUNICATION events (sendRemoteCommEvent).
  remoteCommunication?: (type: string, data: string) => void;
}

// What supervisord's clients take for "output goes to the console": an empty
// log file field means NONE to them (supervisorctl, cesi, Telegraf).
function logfileShown(spec: ProcessSpec, channel: OutputChannel): string {
  const path = channel === 'stdout' ? spec.stdoutLogfile : spec.stderrLogfile;
  if (path) return path;
  const destination = channel === 'stdout' ? spec.stdout : spec.stderr;
  if (channel === 'stderr' && spec.redirectStderr) return '';
  return destination.kind === 'console' ? (destination.fd === 1 ? '/dev/stdout' : '/dev/stderr') : '';
}

const fault = (name: string, code: FaultName, message: string): ActionResult => ({ name, ok: false, fault: code, message });

export class ControlAdapter implements ControlApi {
  private readonly options: AdapterOptions;
  // The config read last (reread/reloadConfig), which addGroup and configInfo
  // use; null until then (the running config).
  private loaded: ResolvedConfig | null = null;
  private reloading = false;

  constructor(options: AdapterOptions) {
    this.options = options;
  }

  version(): string {
    return VERSION;
  }

  processes(): ProcessInfo[] {
    const now = Date.now() / 1000;
    return this.options.supervisor.ordered().map((process) => {
      const { state, spec } = process;
      const info: Omit<ProcessInfo, 'description'> = {
        name: spec.name,
        group: spec.group,
        statename: state.name,
        state: PROCESS_STATE_CODES[state.name],
        pid: state.pid,
        start: Math.floor(state.startedAt / 1000),
        stop: Math.floor(state.stoppedAt / 1000),
        now: Math.floor(now),
        exitstatus: state.exitstatus ?? 0,
        spawnerr: state.spawnError ?? '',
        stdout_logfile: logfileShown(spec, 'stdout'),
        stderr_logfile: logfileShown(spec, 'stderr'),
      };
      return { ...info, description: describeProcess(info) };
    });
  }

  private find(fullName: string): SupervisedProcess | undefined {
    return this.options.supervisor.processes.get(fullName);
  }

  async start(fullName: string, options: WaitOption = {}): Promise<ActionResult> {
    const process = this.find(fullName);
    if (!process) return fault(fullName, 'BAD_NAME', fullName);
    // Like supervisord, test the command first: no point spawning what cannot run.
    try {
      findCommand(process.spec.argv[0] ?? '', childEnvironment(process.spec, globalThis.process.env));
    } catch (error) {
      // supervisord: NotFound is NO_FILE; a directory or no permission NOT_EXECUTABLE.
      if (error instanceof SpawnFailure) return fault(fullName, error.message.startsWith("can't find") ? 'NO_FILE' : 'NOT_EXECUTABLE', error.message);
      throw error;
    }
    if (isRunningState(process.state.name)) return fault(fullName, 'ALREADY_STARTED', fullName);
    const rejected = process.send({ type: 'start' });
    if (rejected) return fault(fullName, rejected.fault, rejected.message);
    if (process.state.spawnError) return fault(fullName, 'SPAWN_ERROR', fullName);
    if (options.wait === false) {
      await process.spawnSettled();
      return process.state.spawnError ? fault(fullName, 'SPAWN_ERROR', fullName) : { name: fullName, ok: true };
    }
    await this.options.supervisor.waitFor(process, (state) => state !== 'STARTING');
    if (process.state.spawnError) return fault(fullName, 'SPAWN_ERROR', fullName);
    if (process.state.name !== 'RUNNING') return fault(fullName, 'ABNORMAL_TERMINATION', fullName);
    return { name: fullName, ok: true };
  }

  async stop(fullName: string, options: WaitOption = {}): Promise<ActionResult> {
    const process = this.find(fullName);
    if (!process) return fault(fullName, 'BAD_NAME', fullName);
    if (!isRunningState(process.state.name)) return fault(fullName, 'NOT_RUNNING', fullName);
    const done = this.options.supervisor.waitFor(process, isStoppedState);
    const rejected = process.send({ type: 'stop' });
    if (rejected) return fault(fullName, rejected.fault, rejected.message);
    if (options.wait !== false) await done;
    return { name: fullName, ok: true };
  }

  signal(fullName: string, signal: string): ActionResult {
    const process = this.find(fullName);
    if (!process) return fault(fullName, 'BAD_NAME', fullName);
    if (signalNumber(signal) === null) return fault(fullName, 'BAD_SIGNAL', signal);
    const rejected = process.send({ type: 'signal', signal });
    if (rejected) return fault(fullName, rejected.fault, rejected.message);
    return { name: fullName, ok: true };
  }

  tail(fullName: string, channel: OutputChannel, bytes: number): Buffer | ActionResult {
    const process = this.find(fullName);
    if (!process) return fault(fullName, 'BAD_NAME', fullName);
    return process.rings[channel].tail(bytes);
  }

  follow(fullName: string, channel: OutputChannel, onData: (chunk: Buffer) => void): (() => void) | ActionResult {
    const process = this.find(fullName);
    if (!process) return fault(fullName, 'BAD_NAME', fullName);
    return process.rings[channel].subscribe(onData);
  }

  clear(fullName: string): ActionResult {
    const process = this.find(fullName);
    if (!process) return fault(fullName, 'BAD_NAME', fullName);
    process.rings.stdout.clear();
    process.rings.stderr.clear();
    for (const path of [process.spec.stdoutLogfile, process.spec.stderrLogfile]) {
      if (!path) continue;
      try {
        truncateSync(path, 0); // files are opened O_APPEND: the next write lands at 0
      } catch (error) {
        return fault(fullName, 'FAILED', `cannot clear ${path}: ${(error as Error).message}`);
      }
    }
    return { name: fullName, ok: true };
  }

  private configGroups(): Map<string, ProcessSpec[]> {
    const groups = new Map<string, ProcessSpec[]>();
    for (const process of this.options.supervisor.ordered()) {
      if (process.spec.kind === 'main') continue; // not from the config
      const list = groups.get(process.spec.group) ?? [];
      list.push(process.spec);
      groups.set(process.spec.group, list);
    }
    return groups;
  }

  // Throws ConfigError when the file no longer parses; nothing changes then.
  private readConfig(): ResolvedConfig {
    return loadConfig(this.options.configPath, globalThis.process.env).config;
  }

  reread(): ConfigChanges {
    return diffGroups(this.configGroups(), specsFromConfig(this.readConfig()));
  }

  rereadAndRemember(): ConfigChanges {
    const config = this.readConfig();
    this.loaded = config;
    return diffGroups(this.configGroups(), specsFromConfig(config));
  }

  async update(groups?: string[]): Promise<ConfigChanges> {
    const { supervisor, logger } = this.options;
    const config = this.readConfig();
    const next = specsFromConfig(config);
    const changes = diffGroups(this.configGroups(), next);
    const wanted = (group: string): boolean => !groups || groups.length === 0 || groups.includes(group);
    const processesOf = (group: string): SupervisedProcess[] =>
      supervisor.ordered().filter((p) => p.spec.group === group && p.spec.kind !== 'main');
    for (const group of [...changes.removed, ...changes.changed].filter(wanted)) {
      const members = processesOf(group);
      await supervisor.stopAll(members);
      for (const process of members) supervisor.remove(process);
      logger.info(`${changes.removed.includes(group) ? 'removed' : 'stopped changed'} process group ${group}`);
    }
    for (const group of [...changes.changed, ...changes.added].filter(wanted)) {
      const added = supervisor.add(next.get(group) ?? []);
      logger.info(`added process group ${group}`);
      await supervisor.startAutostart(added);
    }
    this.options.setCurrent(config);
    this.loaded = config;
    return changes;
  }

  reload(): void {
    this.reloading = true;
    void (async () => {
      const { supervisor, logger } = this.options;
      const config = this.readConfig();
      const members = supervisor.ordered().filter((p) => p.spec.kind !== 'main');
      await supervisor.stopAll(members);
      for (const process of members) supervisor.remove(process);
      this.options.setCurrent(config);
      const added = [...specsFromConfig(config).values()].flatMap((specs) => supervisor.add(specs));
      await supervisor.startAutostart(added);
      this.loaded = null;
      logger.info('reloaded the configuration');
    })()
      .catch((error: unknown) => this.options.logger.error({ err: error }, 'reload failed'))
      .finally(() => (this.reloading = false));
  }

  shutdown(): void {
    this.options.shutdown();
  }

  avail(): AvailableProcess[] {
    const running = new Set(this.options.supervisor.processes.keys());
    let config: ResolvedConfig;
    try {
      config = this.readConfig();
    } catch {
      config = this.options.current();
    }
    const list: AvailableProcess[] = [];
    for (const group of config.groups) {
      for (const process of group.processes) {
        const name = `${group.name}:${process.name}`;
        list.push({
          name,
          inUse: running.has(name),
          autostart: process.autostart,
          priority: process.priority,
          autorestart: process.autorestart,
        });
      }
    }
    return list;
  }

  supervisorState(): SupervisorStateName {
    if (this.options.supervisor.mood === 'SHUTDOWN') return 'SHUTDOWN';
    return this.reloading ? 'RESTARTING' : 'RUNNING';
  }

  identification(): string {
    return this.options.current().supervisord.identifier;
  }

  logReader(fullName: string, channel: OutputChannel): LogReader | ActionResult {
    const process = this.find(fullName);
    if (!process) return fault(fullName, 'BAD_NAME', fullName);
    const path = channel === 'stdout' ? process.spec.stdoutLogfile : process.spec.stderrLogfile;
    if (!path) return ringReader(process.rings[channel]);
    if (!existsSync(path)) return fault(fullName, 'NO_FILE', path);
    return fileReader(path);
  }

  mainLogReader(): LogReader {
    return this.mainLog().reader();
  }

  followMainLog(onData: (chunk: Buffer) => void): () => void {
    return this.mainLog().follow(onData);
  }

  clearMainLog(): ActionResult {
    return this.mainLog().clear();
  }

  private mainLog(): MainLog {
    if (!this.options.mainLog) throw new Error('ControlAdapter was created without a mainLog');
    return this.options.mainLog;
  }

  // rpcinterface.py sendProcessStdin / process.py write.
  sendStdin(fullName: string, data: Buffer): ActionResult {
    const process = this.find(fullName);
    if (!process) return fault(fullName, 'BAD_NAME', fullName);
    if (!process.state.pid || process.state.name === 'STOPPING') return fault(fullName, 'NOT_RUNNING', fullName);
    const stdin = process.stdin;
    if (!stdin || stdin.destroyed || !stdin.writable) return fault(fullName, 'NO_FILE', fullName);
    stdin.write(data);
    return { name: fullName, ok: true };
  }

  addGroup(group: string): ActionResult {
    return addGroup(this.options.supervisor, this.loaded ?? this.options.current(), group, this.options.logger);
  }

  removeGroup(group: string): ActionResult {
    return removeGroup(this.options.supervisor, group, this.options.logger);
  }

  configInfo(): ConfigInfo[] {
    return configInfo(this.options.supervisor, this.loaded ?? this.options.current());
  }

  remoteCommunication(type: string, data: string): void {
    this.options.remoteCommunication?.(type, data);
  }
}
