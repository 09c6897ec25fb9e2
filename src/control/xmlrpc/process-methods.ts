// supervisor.* methods that act on processes: start, stop, signal, info
// (supervisor/rpcinterface.py). Group and "all" operations answer with one
// status struct per process they acted on, as make_allfunc does.
import { isRunningState, isSignallableState } from '../../model/index.ts';
import type { ActionResult, ProcessInfo } from '../api.ts';
import { splitNamespec } from '../names.ts';
import type { XmlRpcValue } from './codec.ts';
import { XmlRpcFault } from './faults.ts';
import { boolArg, fullNameOf, method, resolve, resolveProcess, resultStruct, stringArg, throwIfFailed } from './method.ts';
import type { MethodContext, MethodSpec } from './method.ts';

// Faults supervisord raises before anything is spawned: they come first in a
// group's answer, ahead of those that waited (make_allfunc's two passes).
const IMMEDIATE = new Set(['BAD_NAME', 'NO_FILE', 'NOT_EXECUTABLE', 'ALREADY_STARTED', 'NOT_RUNNING', 'BAD_SIGNAL', 'FAILED']);

type Act = (ctx: MethodContext, info: ProcessInfo) => ActionResult | Promise<ActionResult>;

// Acts on every process that passes `wanted`, all at once, and lists the outcomes.
async function actOnAll(ctx: MethodContext, processes: ProcessInfo[], wanted: (info: ProcessInfo) => boolean, act: Act): Promise<XmlRpcValue> {
  const chosen = processes.filter(wanted);
  const results = await Promise.all(chosen.map((info) => act(ctx, info)));
  const structs = chosen.map((info, i) => ({ result: results[i] as ActionResult, struct: resultStruct(info, results[i] as ActionResult) }));
  const immediate = structs.filter(({ result }) => !result.ok && IMMEDIATE.has(result.fault));
  return [...immediate, ...structs.filter((entry) => !immediate.includes(entry))].map(({ struct }) => struct);
}

const isRunning = (info: ProcessInfo): boolean => isRunningState(info.statename);
const isSignallable = (info: ProcessInfo): boolean => isSignallableState(info.statename);

function groupMembers(ctx: MethodContext, group: string): ProcessInfo[] {
  const members = ctx.api.processes().filter((info) => info.group === group);
  if (members.length === 0) throw new XmlRpcFault('BAD_NAME', group);
  return members;
}

const startOne = (wait: boolean): Act => (ctx, info) => ctx.api.start(fullNameOf(info), { wait });
const stopOne = (wait: boolean): Act => (ctx, info) => ctx.api.stop(fullNameOf(info), { wait });
const signalOne = (signal: string): Act => (ctx, info) => ctx.api.signal(fullNameOf(info), signal);

function startGroup(ctx: MethodContext, group: string, wait: boolean): Promise<XmlRpcValue> {
  return actOnAll(ctx, groupMembers(ctx, group), (info) => !isRunning(info), startOne(wait));
}

function stopGroup(ctx: MethodContext, group: string, wait: boolean): Promise<XmlRpcValue> {
  return actOnAll(ctx, groupMembers(ctx, group), isRunning, stopOne(wait));
}

function signalGroup(ctx: MethodContext, group: string, signal: string): Promise<XmlRpcValue> {
  return actOnAll(ctx, groupMembers(ctx, group), isSignallable, signalOne(signal));
}

// getProcessInfo's struct, fields in supervisord's order (`logfile` is its
// backward-compatible alias of stdout_logfile).
export function infoStruct(info: ProcessInfo): XmlRpcValue {
  return {
    name: info.name,
    group: info.group,
    start: info.start,
    stop: info.stop,
    now: info.now,
    state: info.state,
    statename: info.statename,
    spawnerr: info.spawnerr,
    exitstatus: info.exitstatus,
    logfile: info.stdout_logfile,
    stdout_logfile: info.stdout_logfile,
    stderr_logfile: info.stderr_logfile,
    pid: info.pid,
    description: info.description,
  };
}

// supervisord's getAllProcessInfo order: by group name, then process name.
function lexical(infos: ProcessInfo[]): ProcessInfo[] {
  const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return [...infos].sort((a, b) => byName(a.group, b.group) || byName(a.name, b.name));
}

export const PROCESS_METHODS: Readonly<Record<string, MethodSpec>> = {
  startProcess: method('boolean', 'string name, boolean wait?', 'Start a process', async (ctx, [name, wait]) => {
    const spec = stringArg(name);
    const { group, process } = resolve(ctx.api, spec);
    if (!process) return startGroup(ctx, group, boolArg(wait, true));
    return throwIfFailed(await ctx.api.start(fullNameOf(process), { wait: boolArg(wait, true) }), spec);
  }),
  startProcessGroup: method('array', 'string name, boolean wait?', "Start all processes in the group named 'name'", (ctx, [name, wait]) =>
    startGroup(ctx, stringArg(name), boolArg(wait, true)),
  ),
  startAllProcesses: method('array', 'boolean wait?', 'Start all processes listed in the configuration file', (ctx, [wait]) =>
    actOnAll(ctx, ctx.api.processes(), (info) => !isRunning(info), startOne(boolArg(wait, true))),
  ),
  stopProcess: method('boolean', 'string name, boolean wait?', 'Stop a process named by name', async (ctx, [name, wait]) => {
    const spec = stringArg(name);
    const { group, process } = resolve(ctx.api, spec);
    if (!process) return stopGroup(ctx, group, boolArg(wait, true));
    if (!isRunning(process)) throw new XmlRpcFault('NOT_RUNNING', spec);
    return throwIfFailed(await ctx.api.stop(fullNameOf(process), { wait: boolArg(wait, true) }), spec);
  }),
  stopProcessGroup: method('array', 'string name, boolean wait?', "Stop all processes in the process group named 'name'", (ctx, [name, wait]) =>
    stopGroup(ctx, stringArg(name), boolArg(wait, true)),
  ),
  stopAllProcesses: method('array', 'boolean wait?', 'Stop all processes in the process list', (ctx, [wait]) =>
    actOnAll(ctx, ctx.api.processes(), isRunning, stopOne(boolArg(wait, true))),
  ),
  signalProcess: method('boolean', 'string name, string signal', 'Send an arbitrary UNIX signal to the process named by name', (ctx, [name, signal]) => {
    const spec = stringArg(name);
    const sig = stringArg(signal);
    const { process } = resolve(ctx.api, spec);
    if (!process) return signalGroup(ctx, splitNamespec(spec).group, sig);
    return throwIfFailed(ctx.api.signal(fullNameOf(process), sig), spec);
  }),
  signalProcessGroup: method('array', 'string name, string signal', "Send a signal to all processes in the group named 'name'", (ctx, [name, signal]) =>
    signalGroup(ctx, stringArg(name), stringArg(signal)),
  ),
  signalAllProcesses: method('array', 'string signal', 'Send a signal to all processes in the process list', (ctx, [signal]) => {
    const sig = stringArg(signal);
    return actOnAll(ctx, ctx.api.processes(), isSignallable, signalOne(sig));
  }),
  getProcessInfo: method('struct', 'string name', 'Get info about a process named name', (ctx, [name]) =>
    infoStruct(resolveProcess(ctx.api, stringArg(name))),
  ),
  getAllProcessInfo: method('array', '', 'Get info about all processes', (ctx) => lexical(ctx.api.processes()).map(infoStruct)),
};

