// What an XML-RPC method is here, and the helpers every method group shares:
// argument checks, supervisord's name lookup (_getGroupAndProcess), and the
// result structs of its group operations (make_allfunc).
import type { Logger } from '../../log/logger.ts';
import type { ActionResult, ControlApi, ProcessInfo } from '../api.ts';
import { makeNamespec, splitNamespec } from '../names.ts';
export { fullName as fullNameOf } from '../names.ts';
import type { XmlRpcValue } from './codec.ts';
import { FAULT_CODES, XmlRpcFault } from './faults.ts';
import type { XmlRpcFaultName } from './faults.ts';

export interface MethodContext {
  api: ControlApi;
  logger: Logger;
  // Runs `act` once the answer has been sent (shutdown, restart): acting first
  // could close this very connection before the reply is out.
  afterReply(act: () => void): void;
}

export interface Param {
  type: string; // XML-RPC type name, for methodSignature
  name: string;
  optional: boolean;
}

export interface MethodSpec {
  returns: string;
  params: readonly Param[];
  help: string;
  // supervisord's _update(): SHUTDOWN_STATE unless the supervisor is RUNNING.
  checkState: boolean;
  call(ctx: MethodContext, args: XmlRpcValue[]): XmlRpcValue | Promise<XmlRpcValue>;
}

// method('boolean', 'string name, boolean wait?', 'Start a process', fn):
// the types give methodSignature, `?` marks a parameter with a default.
export function method(
  returns: string,
  params: string,
  help: string,
  call: MethodSpec['call'],
  options: { checkState?: boolean } = {},
): MethodSpec {
  const parsed = params
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const [type = '', rawName = ''] = part.split(/\s+/);
      return { type, name: rawName.replace(/\?$/, ''), optional: rawName.endsWith('?') };
    });
  const doc = [help, '', ...parsed.map((p) => `@param ${p.type} ${p.name}`), `@return ${returns} result`].join('\n');
  return { returns, params: parsed, help: doc, checkState: options.checkState ?? true, call };
}

export function stringArg(value: XmlRpcValue | undefined): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw new XmlRpcFault('INCORRECT_PARAMETERS');
}

// Python's int(x): numbers, and strings of digits.
export function intArg(value: XmlRpcValue | undefined): number {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) return Number(value);
  throw new XmlRpcFault('INCORRECT_PARAMETERS');
}

// Python truthiness: clients send wait as <boolean> or as <int>.
export function boolArg(value: XmlRpcValue | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (Array.isArray(value)) return value.length > 0;
  if (value !== null && typeof value === 'object') return Object.keys(value).length > 0;
  return Boolean(value);
}

export interface Resolved {
  group: string;
  members: ProcessInfo[]; // the group's processes, in start order
  process: ProcessInfo | undefined; // undefined: the whole group was named
}

// rpcinterface.py _getGroupAndProcess: `grp:name`, `grp:*`/`grp:` (the
// group), `name` (process name of the same-named group). No other guessing.
export function resolve(api: ControlApi, name: string): Resolved {
  const { group, process } = splitNamespec(name);
  const members = api.processes().filter((info) => info.group === group);
  if (members.length === 0) throw new XmlRpcFault('BAD_NAME', name);
  if (process === undefined) return { group, members, process: undefined };
  const found = members.find((info) => info.name === process);
  if (!found) throw new XmlRpcFault('BAD_NAME', name);
  return { group, members, process: found };
}

export function resolveProcess(api: ControlApi, name: string): ProcessInfo {
  const { process } = resolve(api, name);
  if (!process) throw new XmlRpcFault('BAD_NAME', name);
  return process;
}

// A failed ActionResult as supervisord's RPCError: the detail is the name as
// the caller wrote it where supervisord puts the name, else the message.
export function faultOf(result: Extract<ActionResult, { ok: false }>, nameAsGiven: string): XmlRpcFault {
  const fault = (result.fault in FAULT_CODES ? result.fault : 'FAILED') as XmlRpcFaultName;
  return new XmlRpcFault(fault, result.message === result.name ? nameAsGiven : result.message);
}

export function throwIfFailed(result: ActionResult, nameAsGiven: string): true {
  if (!result.ok) throw faultOf(result, nameAsGiven);
  return true;
}

// One entry of a group operation's answer (make_allfunc).
export function resultStruct(info: ProcessInfo, result: ActionResult): XmlRpcValue {
  if (result.ok) return { name: info.name, group: info.group, status: FAULT_CODES.SUCCESS, description: 'OK' };
  const fault = faultOf(result, makeNamespec(info.group, info.name));
  return { name: info.name, group: info.group, status: fault.code, description: fault.text };
}
