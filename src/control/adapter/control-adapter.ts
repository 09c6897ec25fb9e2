// The supervisor as the control server sees it (ControlApi): one method per
// supervisorctl verb, with supervisord's faults (rpcinterface.py).
import { existsSync, truncateSync } from 'node:fs';
import type { ResolvedConfig } from '../../config/types.ts';
import { PROCESS_STATE_CODES } from '../api.ts';
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
  ProcessMetrics,
  ReadinessReport,
} from '../api.ts';
import { describeProcess } from '../describe.ts';
import type { Logger } from '../../log/logger.ts';
import type { RingBuffer } from '../../output/ring-buffer.ts';
import { fileReader, ringReader } from '../../output/log-reader.ts';
import { configInfo } from './config-info.ts';
import type { ProcessSpec } from '../../supervisor/spec.ts';
import { VERSION } from '../../version.ts';
import type { ConfigReloader } from '../../supervisor/config-reload.ts';
import { parseSignal } from '../../model/index.ts';
import type { SupervisedProcess } from '../../supervisor/process.ts';
import { SpawnFailure, childEnvironment, findCommand } from '../../supervisor/spawn-process.ts';
import { isRunningState, isStoppedState } from '../../model/index.ts';
import type { Supervisor } from '../../supervisor/supervisor.ts';
import type { Readiness } from '../../supervisor/readiness/coordinator.ts';

export interface AdapterOptions {
  supervisor: Supervisor;
  logger: Logger;
  reloader: ConfigReloader;
  shutdown: () => void;
  // Start gating and health checks (readiness/coordinator.ts).
  readiness?: Readiness;
  // vigil's own recent log lines (maintail), kept whatever the log destination.
  mainLog: RingBuffer;
  // `vigil ctl stop main` (vigil -c FILE -- CMD): the container's command was
  // stopped; the container ends with its exit code, as when CMD exits itself.
  mainStopped?: (process: SupervisedProcess) => void;
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
        health: this.options.readiness?.health(process.fullName) ?? null,
      };
      const waiting = this.options.readiness?.waitingDescription(process.fullName) ?? null;
      return { ...info, description: waiting ?? describeProcess(info) };
    });
  }

  private find(fullName: string): SupervisedProcess | undefined {
    return this.options.supervisor.processes.get(fullName);
  }

  async start(fullName: string, options: WaitOption = {}): Promise<ActionResult> {
    const process = this.find(fullName);
    if (!process) return fault(fullName, 'BAD_NAME', fullName);
    // Like supervisord, test the command first: no point spawning what cannot run.
    // A command that cannot be split (supervisord's BadCommand): say why.
    if (process.spec.argv.length === 0 && process.spec.spawnRefusal !== null) {
      return fault(fullName, 'NO_FILE', process.spec.spawnRefusal);
    }
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
    return { name: fullName, ok: true, ...(process.spec.policy.startsecs > 0 ? { waited: true } : {}) };
  }

  async stop(fullName: string, options: WaitOption & { restarting?: boolean } = {}): Promise<ActionResult> {
    const process = this.find(fullName);
    if (!process) return fault(fullName, 'BAD_NAME', fullName);
    if (!isRunningState(process.state.name)) return fault(fullName, 'NOT_RUNNING', fullName);
    const done = this.options.supervisor.waitFor(process, isStoppedState);
    const rejected = process.send({ type: 'stop' });
    if (rejected) return fault(fullName, rejected.fault, rejected.message);
    const stopped = done.then(() => {
      if (process.spec.kind === 'main' && options.restarting !== true) this.options.mainStopped?.(process);
    });
    if (options.wait !== false) await stopped;
    return { name: fullName, ok: true };
  }

  signal(fullName: string, signal: string): ActionResult {
    const process = this.find(fullName);
    if (!process) return fault(fullName, 'BAD_NAME', fullName);
    if (parseSignal(signal) === null) return fault(fullName, 'BAD_SIGNAL', signal);
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

  reread(): ConfigChanges {
    return this.options.reloader.reread();
  }

  update(groups?: string[]): Promise<ConfigChanges> {
    return this.options.reloader.update(groups);
  }

  reload(): () => void {
    const restart = this.options.reloader.prepareReload();
    return () => {
      this.reloading = true;
      restart()
        .catch((error: unknown) => this.options.logger.error({ err: error }, 'reload failed'))
        .finally(() => (this.reloading = false));
    };
  }

  isShuttingDown(): boolean {
    return this.options.supervisor.mood === 'SHUTDOWN';
  }

  shutdown(): void {
    this.options.shutdown();
  }

  readiness(): ReadinessReport {
    return this.options.readiness?.report() ?? { ready: true, notReady: [] };
  }

  metrics(): ProcessMetrics[] {
    return this.options.readiness?.metrics() ?? [];
  }

  addGroup(name: string): ActionResult {
    const { supervisor, logger } = this.options;
    if (supervisor.mood === 'SHUTDOWN') return fault(name, 'SHUTDOWN_STATE', name);
    const specs = this.options.reloader.lastReadGroup(name);
    if (!specs) return fault(name, 'BAD_NAME', name);
    if (supervisor.ordered().some((p) => p.spec.group === name)) return fault(name, 'ALREADY_ADDED', name);
    const added = supervisor.add(specs);
    logger.info(`added process group ${name}`);
    // supervisord starts autostart programs on its next tick, after answering.
    void supervisor.startAutostart(added);
    return { name, ok: true };
  }

  removeGroup(name: string): ActionResult {
    const { supervisor, logger } = this.options;
    const members = supervisor.ordered().filter((p) => p.spec.group === name);
    if (members.length === 0) return fault(name, 'BAD_NAME', name);
    if (!members.every((p) => isStoppedState(p.state.name))) return fault(name, 'STILL_RUNNING', name);
    for (const process of members) supervisor.remove(process);
    logger.info(`removed process group ${name}`);
    return { name, ok: true };
  }

  sendStdin(fullName: string, data: Buffer): ActionResult {
    const process = this.find(fullName);
    if (!process) return fault(fullName, 'BAD_NAME', fullName);
    // supervisord: `not process.pid or process.killing` -> NOT_RUNNING.
    if (process.state.pid === 0 || process.state.name === 'STOPPING') return fault(fullName, 'NOT_RUNNING', fullName);
    const stdin = process.stdin;
    if (!stdin || stdin.destroyed || !stdin.writable) return fault(fullName, 'NO_FILE', fullName);
    stdin.write(data);
    return { name: fullName, ok: true };
  }

  mainLogTail(bytes: number): Buffer {
    return this.options.mainLog.tail(bytes);
  }

  followMainLog(onData: (chunk: Buffer) => void): () => void {
    return this.options.mainLog.subscribe(onData);
  }

  watch(listener: () => void): () => void {
    const { supervisor } = this.options;
    const offState = supervisor.onChange(() => listener());
    const offMembers = supervisor.onMembershipChange(listener);
    return () => {
      offState();
      offMembers();
    };
  }

  avail(): AvailableProcess[] {
    const running = new Set(this.options.supervisor.processes.keys());
    let config: ResolvedConfig;
    try {
      config = this.options.reloader.read();
    } catch {
      config = this.options.reloader.config();
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
    if (this.isShuttingDown()) return 'SHUTDOWN';
    return this.reloading ? 'RESTARTING' : 'RUNNING';
  }

  identification(): string {
    return this.options.reloader.config().supervisord.identifier;
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
    return ringReader(this.options.mainLog);
  }

  clearMainLog(): ActionResult {
    this.options.mainLog.clear();
    return { name: 'supervisord', ok: true };
  }

  configInfo(): ConfigInfo[] {
    return configInfo(this.options.supervisor, this.options.reloader.lastReadConfig());
  }

  remoteCommunication(type: string, data: string): void {
    this.options.remoteCommunication?.(type, data);
  }
}
