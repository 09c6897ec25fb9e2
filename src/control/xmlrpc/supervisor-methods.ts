// supervisor.* methods about the supervisor itself and its configuration:
// versions, state, shutdown/restart, reloadConfig and add/remove of groups
// (what `supervisorctl reread/update/add/remove/avail` call).
import { ConfigError } from '../../config/errors.ts';
import { ShuttingDownError } from '../../supervisor/config-reload.ts';
import { XmlRpcFault } from './faults.ts';
import { method, stringArg, throwIfFailed } from './method.ts';
import type { MethodSpec } from './method.ts';

// rpcinterface.py API_VERSION: supervisorctl refuses any other.
export const API_VERSION = '3.0';

// A config that no longer parses, or a shutdown under way; anything else is a bug.
function configFault(error: unknown): unknown {
  if (error instanceof ConfigError) return new XmlRpcFault('CANT_REREAD', error.message);
  if (error instanceof ShuttingDownError) return new XmlRpcFault('SHUTDOWN_STATE');
  return error;
}

const getAPIVersion = method('string', '', 'Return the version of the RPC API used by supervisord', () => API_VERSION);

export const SUPERVISOR_METHODS: Readonly<Record<string, MethodSpec>> = {
  getAPIVersion,
  getVersion: getAPIVersion,
  // vigil's own version: `supervisorctl version` shows what is running.
  getSupervisorVersion: method('string', '', 'Return the version of the supervisor package in use by supervisord', (ctx) => ctx.api.version()),
  getIdentification: method('string', '', 'Return identifying string of supervisord', (ctx) => ctx.api.identification()),
  // Only ever RUNNING: in any other state every method answers SHUTDOWN_STATE.
  getState: method('struct', '', 'Return current state of supervisord as a struct', () => ({ statecode: 1, statename: 'RUNNING' })),
  getPID: method('int', '', 'Return the PID of supervisord', () => process.pid),
  shutdown: method('boolean', '', 'Shut down the supervisor process', (ctx) => {
    ctx.afterReply(() => ctx.api.shutdown());
    return true;
  }),
  // vigil reads the config before restarting: one that no longer parses is
  // CANT_REREAD and nothing stops (supervisord would stop and fail to start).
  restart: method('boolean', '', 'Restart the supervisor process', (ctx) => {
    let restart: () => void;
    try {
      restart = ctx.api.reload();
    } catch (error) {
      throw configFault(error);
    }
    ctx.afterReply(restart);
    return true;
  }),
  reloadConfig: method('array', '', 'Reload the configuration: [[added, changed, removed]] group names', (ctx) => {
    try {
      const { added, changed, removed } = ctx.api.reread();
      return [[added, changed, removed]];
    } catch (error) {
      throw configFault(error);
    }
  }),
  addProcessGroup: method('boolean', 'string name', 'Update the config for a running process from config file.', (ctx, [name]) => {
    const group = stringArg(name);
    return throwIfFailed(ctx.api.addGroup(group), group);
  }),
  removeProcessGroup: method('boolean', 'string name', 'Remove a stopped process from the active configuration.', (ctx, [name]) => {
    const group = stringArg(name);
    return throwIfFailed(ctx.api.removeGroup(group), group);
  }),
  getAllConfigInfo: method('array', '', 'Get info about all available process configurations.', (ctx) => ctx.api.configInfo()),
  sendRemoteCommEvent: method(
    'boolean',
    'string type, string data',
    'Send an event that will be received by event listener subprocesses subscribing to the RemoteCommunicationEvent.',
    (ctx, [type, data]) => {
      ctx.api.remoteCommunication(stringArg(type), stringArg(data));
      return true;
    },
    { checkState: false },
  ),
};
