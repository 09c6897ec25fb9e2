// The supervisor as the control server sees it (ControlApi): one method per
// supervisorctl verb, with supervisord's faults (rpcinterface.py).
import { truncateSync } from 'node:fs';
import { loadConfig } from '../config/index.ts';
import type { ResolvedConfig } from '../config/types.ts';
import { PROCESS_STATE_CODES } from '../control/api.ts';
import type {
  ActionResult,
  AvailableProcess,
  ConfigChanges,
  ControlApi,
  FaultName,
  OutputChannel,
  ProcessInfo,
  ProcessMetrics,
  ReadinessReport,
} from '../control/api.ts';
import { describeProcess } from '../control/describe.ts';
import type { Logger } from '../log/logger.ts';
import { VERSION } from '../version.ts';
import { specsFromConfig } from './from-config.ts';
import { signalNumber } from './messages.ts';
import type { SupervisedProcess } from './process.ts';
import { diffGroups } from './reload.ts';
import { SpawnFailure, childEnvironment, findCommand } from './spawn-process.ts';
import type { ProcessSpec } from './spec.ts';
import { isRunningState, isStoppedState } from './states.ts';
import type { Supervisor } from './supervisor.ts';
import type { Readiness } from './readiness/coordinator.ts';

export interface AdapterOptions {
  supervisor: Supervisor;
  logger: Logger;
  configPath: string;
  current: () => ResolvedConfig;
  setCurrent: (config: ResolvedConfig) => void;
  shutdown: () => void;
  // Start gating and health checks (readiness/coordinator.ts).
  readiness?: Readiness;
}

const fault = (name: string, code: FaultName, message: string): ActionResult => ({ name, ok: false, fault: code, message });

export class ControlAdapter implements ControlApi {
  private readonly options: AdapterOptions;

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
        stdout_logfile: spec.stdoutLogfile,
        stderr_logfile: spec.stderrLogfile,
        health: this.options.readiness?.health(process.fullName) ?? null,
      };
      const waiting = this.options.readiness?.waitingDescription(process.fullName) ?? null;
      return { ...info, description: waiting ?? describeProcess(info) };
    });
  }

  private find(fullName: string): SupervisedProcess | undefined {
    return this.options.supervisor.processes.get(fullName);
  }

  async start(fullName: string): Promise<ActionResult> {
    const process = this.find(fullName);
    if (!process) return fault(fullName, 'BAD_NAME', fullName);
    // Like supervisord, test the command first: no point spawning what cannot run.
    try {
      findCommand(process.spec.argv[0] ?? '', childEnvironment(process.spec, globalThis.process.env));
    } catch (error) {
      if (error instanceof SpawnFailure) return fault(fullName, 'NO_FILE', error.message);
      throw error;
    }
    if (isRunningState(process.state.name)) return fault(fullName, 'ALREADY_STARTED', fullName);
    const rejected = process.send({ type: 'start' });
    if (rejected) return fault(fullName, rejected.fault, rejected.message);
    if (process.state.spawnError) return fault(fullName, 'SPAWN_ERROR', fullName);
    await this.options.supervisor.waitFor(process, (state) => state !== 'STARTING');
    if (process.state.spawnError) return fault(fullName, 'SPAWN_ERROR', fullName);
    if (process.state.name !== 'RUNNING') return fault(fullName, 'ABNORMAL_TERMINATION', fullName);
    return { name: fullName, ok: true };
  }

  async stop(fullName: string): Promise<ActionResult> {
    const process = this.find(fullName);
    if (!process) return fault(fullName, 'BAD_NAME', fullName);
    if (!isRunningState(process.state.name)) return fault(fullName, 'NOT_RUNNING', fullName);
    const done = this.options.supervisor.waitFor(process, isStoppedState);
    const rejected = process.send({ type: 'stop' });
    if (rejected) return fault(fullName, rejected.fault, rejected.message);
    await done;
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
    this.options.readiness?.refreshDependencies([...next.values()].flat());
    this.options.setCurrent(config);
    return changes;
  }

  reload(): void {
    void (async () => {
      const { supervisor, logger } = this.options;
      const config = this.readConfig();
      const members = supervisor.ordered().filter((p) => p.spec.kind !== 'main');
      await supervisor.stopAll(members);
      for (const process of members) supervisor.remove(process);
      this.options.setCurrent(config);
      const added = [...specsFromConfig(config).values()].flatMap((specs) => supervisor.add(specs));
      await supervisor.startAutostart(added);
      logger.info('reloaded the configuration');
    })().catch((error: unknown) => this.options.logger.error({ err: error }, 'reload failed'));
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
}
