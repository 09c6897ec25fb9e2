// An in-memory ControlApi for the control tests: processes, their output and
// the calls made, with no supervisor behind them.
import { constants } from 'node:os';
import type {
  ActionResult,
  AvailableProcess,
  ConfigChanges,
  ConfigInfo,
  ControlApi,
  LogReader,
  OutputChannel,
  ProcessInfo,
  ProcessStateName,
  SupervisorStateName,
} from '../../../src/control/api.ts';
import { PROCESS_STATE_CODES } from '../../../src/control/api.ts';
import { describeProcess } from '../../../src/control/describe.ts';
import { ConfigError } from '../../../src/config/errors.ts';
import { ShuttingDownError } from '../../../src/supervisor/config-reload.ts';

const NOW = 1_790_000_000;

export function processInfo(group: string, name: string, statename: ProcessStateName, extra: Partial<ProcessInfo> = {}): ProcessInfo {
  const base = {
    name,
    group,
    statename,
    state: PROCESS_STATE_CODES[statename],
    pid: statename === 'RUNNING' ? 4000 + name.length : 0,
    start: statename === 'STOPPED' ? 0 : NOW - 62,
    stop: statename === 'EXITED' ? NOW - 5 : 0,
    now: NOW,
    exitstatus: 0,
    spawnerr: statename === 'FATAL' ? 'Exited too quickly (process log may have details)' : '',
    stdout_logfile: '',
    stderr_logfile: '',
    health: null,
    ...extra,
  };
  return { ...base, description: describeProcess(base) };
}

export class MemoryApi implements ControlApi {
  processList: ProcessInfo[] = [
    processInfo('web', 'web_00', 'RUNNING', { pid: 42 }),
    processInfo('web', 'web_01', 'RUNNING', { pid: 43 }),
    processInfo('worker', 'worker', 'RUNNING', { pid: 50 }),
    processInfo('cron', 'cron', 'STOPPED'),
    processInfo('broken', 'broken', 'FATAL'),
  ];
  readonly calls: string[] = [];
  readonly output = new Map<string, Buffer>();
  readonly followers = new Map<string, Set<(chunk: Buffer) => void>>();
  spawnFails = new Set<string>(['broken:broken']);
  rereadError: string | undefined;
  changes: ConfigChanges = { added: [], changed: [], removed: [] };
  reloads = 0;
  // How long start() takes (supervisord's startsecs wait).
  startDelayMs = 5;
  shutdowns = 0;
  throwOnProcesses = false;
  readonly watchers = new Set<() => void>();

  version(): string {
    return '9.9.9-test';
  }

  processes(): ProcessInfo[] {
    if (this.throwOnProcesses) throw new Error('boom: a bug in the supervisor');
    return this.processList.map((info) => ({ ...info }));
  }

  private find(fullName: string): ProcessInfo | undefined {
    return this.processList.find((info) => `${info.group}:${info.name}` === fullName);
  }

  private set(fullName: string, statename: ProcessStateName, pid: number): void {
    const index = this.processList.findIndex((info) => `${info.group}:${info.name}` === fullName);
    const old = this.processList[index] as ProcessInfo;
    this.processList[index] = processInfo(old.group, old.name, statename, { pid });
    this.notify();
  }

  // Tells the watchers (the event stream) that something changed.
  notify(): void {
    for (const listener of this.watchers) listener();
  }

  watch(listener: () => void): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  async start(fullName: string): Promise<ActionResult> {
    this.calls.push(`start ${fullName}`);
    const info = this.find(fullName);
    if (!info) return { name: fullName, ok: false, fault: 'BAD_NAME', message: fullName };
    if (info.statename === 'RUNNING') return { name: fullName, ok: false, fault: 'ALREADY_STARTED', message: fullName };
    await new Promise((resolve) => setTimeout(resolve, this.startDelayMs));
    if (this.spawnFails.has(fullName)) {
      this.set(fullName, 'FATAL', 0);
      return { name: fullName, ok: false, fault: 'SPAWN_ERROR', message: fullName };
    }
    this.set(fullName, 'RUNNING', 7000 + this.calls.length);
    return { name: fullName, ok: true };
  }

  async stop(fullName: string): Promise<ActionResult> {
    this.calls.push(`stop ${fullName}`);
    const info = this.find(fullName);
    if (!info) return { name: fullName, ok: false, fault: 'BAD_NAME', message: fullName };
    if (info.statename !== 'RUNNING') return { name: fullName, ok: false, fault: 'NOT_RUNNING', message: fullName };
    this.set(fullName, 'STOPPED', 0);
    return { name: fullName, ok: true };
  }

  signal(fullName: string, signal: string): ActionResult {
    this.calls.push(`signal ${signal} ${fullName}`);
    if (!this.find(fullName)) return { name: fullName, ok: false, fault: 'BAD_NAME', message: fullName };
    const upper = signal.toUpperCase();
    const known = upper in constants.signals || `SIG${upper}` in constants.signals || /^\d+$/.test(signal);
    if (!known) return { name: fullName, ok: false, fault: 'BAD_SIGNAL', message: signal };
    if (this.find(fullName)?.statename !== 'RUNNING') return { name: fullName, ok: false, fault: 'NOT_RUNNING', message: fullName };
    return { name: fullName, ok: true };
  }

  emit(fullName: string, channel: OutputChannel, text: string): void {
    const key = `${fullName}/${channel}`;
    const chunk = Buffer.from(text);
    this.output.set(key, Buffer.concat([this.output.get(key) ?? Buffer.alloc(0), chunk]));
    for (const listener of this.followers.get(key) ?? []) listener(chunk);
  }

  tail(fullName: string, channel: OutputChannel, bytes: number): Buffer | ActionResult {
    if (!this.find(fullName)) return { name: fullName, ok: false, fault: 'BAD_NAME', message: fullName };
    if (fullName === 'cron:cron') return { name: fullName, ok: false, fault: 'NO_FILE', message: 'no log file' };
    const data = this.output.get(`${fullName}/${channel}`) ?? Buffer.alloc(0);
    return data.subarray(Math.max(0, data.length - bytes));
  }

  follow(fullName: string, channel: OutputChannel, onData: (chunk: Buffer) => void): (() => void) | ActionResult {
    if (!this.find(fullName)) return { name: fullName, ok: false, fault: 'BAD_NAME', message: fullName };
    const key = `${fullName}/${channel}`;
    const set = this.followers.get(key) ?? new Set();
    this.followers.set(key, set);
    set.add(onData);
    return () => set.delete(onData);
  }

  followerCount(): number {
    return [...this.followers.values()].reduce((sum, set) => sum + set.size, 0);
  }

  clear(fullName: string): ActionResult {
    this.calls.push(`clear ${fullName}`);
    this.output.delete(`${fullName}/stdout`);
    this.output.delete(`${fullName}/stderr`);
    return { name: fullName, ok: true };
  }

  reread(): ConfigChanges {
    this.refuseInvalidConfig();
    return this.changes;
  }

  // The adapter's contract: an invalid config throws ConfigError and changes nothing.
  private refuseInvalidConfig(): void {
    if (this.rereadError === undefined) return;
    const error = new ConfigError([]);
    error.message = this.rereadError;
    throw error;
  }

  isShuttingDown(): boolean {
    return this.shutdowns > 0;
  }

  async update(groups?: string[]): Promise<ConfigChanges> {
    if (this.isShuttingDown()) throw new ShuttingDownError();
    this.refuseInvalidConfig();
    this.calls.push(`update ${groups?.join(',') ?? '(all)'}`);
    if (!groups) return this.changes;
    const only = (names: string[]): string[] => names.filter((name) => groups.includes(name));
    return { added: only(this.changes.added), changed: only(this.changes.changed), removed: only(this.changes.removed) };
  }

  reload(): () => void {
    if (this.isShuttingDown()) throw new ShuttingDownError();
    this.refuseInvalidConfig();
    return () => this.reloads++;
  }

  shutdown(): void {
    this.shutdowns++;
  }

  mainLog = Buffer.from('2026-11-30 00:00:00,000 INFO vigil started\n');
  readonly mainFollowers = new Set<(chunk: Buffer) => void>();
  readonly stdinWrites: string[] = [];
  addable = new Set<string>(['extra']);

  addGroup(name: string): ActionResult {
    this.calls.push(`add ${name}`);
    if (this.processList.some((info) => info.group === name)) return { name, ok: false, fault: 'ALREADY_ADDED', message: name };
    if (!this.addable.has(name)) return { name, ok: false, fault: 'BAD_NAME', message: name };
    this.processList.push(processInfo(name, name, 'STOPPED'));
    return { name, ok: true };
  }

  removeGroup(name: string): ActionResult {
    this.calls.push(`remove ${name}`);
    const members = this.processList.filter((info) => info.group === name);
    if (members.length === 0) return { name, ok: false, fault: 'BAD_NAME', message: name };
    if (members.some((info) => info.statename === 'RUNNING')) return { name, ok: false, fault: 'STILL_RUNNING', message: name };
    this.processList = this.processList.filter((info) => info.group !== name);
    this.addable.add(name); // still in the config: `add` brings it back
    return { name, ok: true };
  }

  sendStdin(fullName: string, data: Buffer): ActionResult {
    const info = this.find(fullName);
    if (!info) return { name: fullName, ok: false, fault: 'BAD_NAME', message: fullName };
    if (info.statename !== 'RUNNING') return { name: fullName, ok: false, fault: 'NOT_RUNNING', message: fullName };
    this.stdinWrites.push(`${fullName} ${data.toString('utf8')}`);
    return { name: fullName, ok: true };
  }

  mainLogTail(bytes: number): Buffer {
    return this.mainLog.subarray(Math.max(0, this.mainLog.length - bytes));
  }

  followMainLog(onData: (chunk: Buffer) => void): () => void {
    this.mainFollowers.add(onData);
    return () => this.mainFollowers.delete(onData);
  }

  avail(): AvailableProcess[] {
    return [
      { name: 'web:web_00', inUse: true, autostart: true, priority: 999, autorestart: 'unexpected' },
      { name: 'cron:cron', inUse: true, autostart: false, priority: 10, autorestart: 'false' },
    ];
  }

  // --- the XML-RPC face's needs ---
  state: SupervisorStateName = 'RUNNING';
  readonly remoteEvents: string[] = [];

  supervisorState(): SupervisorStateName {
    return this.state;
  }

  identification(): string {
    return 'supervisor';
  }

  logReader(fullName: string, channel: OutputChannel): LogReader | ActionResult {
    if (!this.find(fullName)) return { name: fullName, ok: false, fault: 'BAD_NAME', message: fullName };
    if (fullName === 'cron:cron') return { name: fullName, ok: false, fault: 'NO_FILE', message: '/nonexistent/cron.log' };
    const data = (): Buffer => this.output.get(`${fullName}/${channel}`) ?? Buffer.alloc(0);
    return bufferReader(data);
  }

  mainLogReader(): LogReader {
    return bufferReader(() => this.mainLog);
  }

  clearMainLog(): ActionResult {
    this.mainLog = Buffer.alloc(0);
    return { name: 'supervisord', ok: true };
  }

  configInfo(): ConfigInfo[] {
    return this.processList.map((info) => ({ name: info.name, group: info.group, inuse: true, autostart: true, group_prio: 999, process_prio: 999 }));
  }

  remoteCommunication(type: string, data: string): void {
    this.remoteEvents.push(`${type} ${data}`);
  }
}

function bufferReader(data: () => Buffer): LogReader {
  return {
    size: () => data().length,
    read: (offset, length) => data().subarray(offset, length === 0 ? undefined : offset + length),
  };
}
