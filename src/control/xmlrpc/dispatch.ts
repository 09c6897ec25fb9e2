// The method table (`supervisor.*` and `system.*`) and the call itself, with
// supervisord's rules (xmlrpc.py traverse, SystemNamespaceRPCInterface):
// exactly `namespace.method`, no leading underscore, arity checked
// (INCORRECT_PARAMETERS), SHUTDOWN_STATE outside RUNNING, and a multicall
// that answers each call's result or fault struct in order.
import type { XmlRpcValue } from './codec.ts';
import { XmlRpcFault } from './faults.ts';
import { LOG_METHODS } from './log-methods.ts';
import { method, stringArg } from './method.ts';
import type { MethodContext, MethodSpec } from './method.ts';
import { PROCESS_METHODS } from './process-methods.ts';
import { SUPERVISOR_METHODS } from './supervisor-methods.ts';

const SUPERVISOR_NAMESPACE: Readonly<Record<string, MethodSpec>> = { ...SUPERVISOR_METHODS, ...PROCESS_METHODS, ...LOG_METHODS };

function lookup(name: string): MethodSpec | undefined {
  const parts = name.split('.');
  if (parts.length !== 2) return undefined;
  const [namespace = '', methodName = ''] = parts;
  if (methodName.startsWith('_')) return undefined;
  const table = namespace === 'supervisor' ? SUPERVISOR_NAMESPACE : namespace === 'system' ? SYSTEM_METHODS : undefined;
  return table && Object.hasOwn(table, methodName) ? table[methodName] : undefined;
}

function allMethodNames(): string[] {
  return [
    ...Object.keys(SUPERVISOR_NAMESPACE).map((name) => `supervisor.${name}`),
    ...Object.keys(SYSTEM_METHODS).map((name) => `system.${name}`),
  ].sort();
}

// Calls one method; throws XmlRpcFault for faults, anything else is a bug.
export async function callMethod(ctx: MethodContext, name: string, params: XmlRpcValue[]): Promise<XmlRpcValue> {
  const spec = lookup(name);
  if (!spec) throw new XmlRpcFault('UNKNOWN_METHOD');
  const required = spec.params.filter((p) => !p.optional).length;
  if (params.length < required || params.length > spec.params.length) throw new XmlRpcFault('INCORRECT_PARAMETERS');
  if (spec.checkState && ctx.api.supervisorState() !== 'RUNNING') throw new XmlRpcFault('SHUTDOWN_STATE');
  return spec.call(ctx, params);
}

async function multicall(ctx: MethodContext, calls: XmlRpcValue | undefined): Promise<XmlRpcValue> {
  if (!Array.isArray(calls)) throw new XmlRpcFault('INCORRECT_PARAMETERS');
  const results: XmlRpcValue[] = [];
  // One after the other, as supervisord runs them: a later call sees the
  // effects of an earlier one (stop, then start).
  for (const call of calls) {
    try {
      if (call === null || typeof call !== 'object' || Array.isArray(call)) throw new XmlRpcFault('INCORRECT_PARAMETERS', 'No methodName');
      const name = call['methodName'];
      const params = call['params'] ?? [];
      if (typeof name !== 'string') throw new XmlRpcFault('INCORRECT_PARAMETERS', 'No methodName');
      if (name === 'system.multicall') throw new XmlRpcFault('INCORRECT_PARAMETERS', 'Recursive system.multicall forbidden');
      if (!Array.isArray(params)) throw new XmlRpcFault('INCORRECT_PARAMETERS');
      // supervisord appends each result as is (not wrapped in a one-item array).
      results.push(await callMethod(ctx, name, params));
    } catch (error) {
      if (error instanceof XmlRpcFault) results.push({ faultCode: error.code, faultString: error.text });
      else {
        ctx.logger.error({ err: error }, 'XML-RPC: a call inside system.multicall failed');
        results.push({ faultCode: 30, faultString: `FAILED: ${(error as Error).message}` });
      }
    }
  }
  return results;
}

const SYSTEM_METHODS: Readonly<Record<string, MethodSpec>> = {
  listMethods: method('array', '', 'Return an array listing the available method names', () => allMethodNames(), { checkState: false }),
  methodHelp: method(
    'string',
    'string name',
    "Return a string showing the method's documentation",
    (_ctx, [name]) => {
      const spec = lookup(stringArg(name));
      if (!spec) throw new XmlRpcFault('SIGNATURE_UNSUPPORTED');
      return spec.help;
    },
    { checkState: false },
  ),
  methodSignature: method(
    'array',
    'string name',
    'Return an array describing the method signature in the form [rtype, ptype, ptype...]',
    (_ctx, [name]) => {
      const spec = lookup(stringArg(name));
      if (!spec) throw new XmlRpcFault('SIGNATURE_UNSUPPORTED');
      return [spec.returns, ...spec.params.map((p) => p.type)];
    },
    { checkState: false },
  ),
  multicall: method('array', 'array calls', 'Process an array of calls, and return an array of results.', (ctx, [calls]) => multicall(ctx, calls), {
    checkState: false,
  }),
};
