// ctl commands that act on processes by name: status, start, stop, restart,
// signal, clear, pid. Output and exit codes follow supervisorctl.py's do_*.
import type { ActionResult, ProcessInfo } from '../control/api.ts';
import type { ServerReply } from './client.ts';
import { isGroupSpec, splitNamespec } from '../control/names.ts';
import type { UnknownName } from '../control/protocol.ts';
import type { CtlCommand } from './command.ts';
import { suggestNames } from './hints.ts';
import { clearMessage, signalMessage, startMessage, statusLines, stopMessage } from './messages.ts';
import { EXIT, replyError } from './session.ts';
import type { Session } from './session.ts';

// supervisor/states.py STOPPED_STATES: status exits 3 when any is listed.
const STOPPED_STATES = new Set(['STOPPED', 'EXITED', 'FATAL', 'UNKNOWN']);

function query(names: readonly string[]): string {
  return names.map((name) => `name=${encodeURIComponent(name)}`).join('&');
}

function isAllUnknown(reply: ServerReply): boolean {
  return reply.status === 404 && replyError(reply.body)?.fault === 'BAD_NAME';
}

// The per-process results of an action reply; when no name matched (404) the
// server acted on nothing and every name asked for is unknown.
function resultsOf(reply: ServerReply, names: readonly string[], field = 'results'): ActionResult[] | undefined {
  if (reply.status === 200) return reply.body[field] as ActionResult[];
  if (!isAllUnknown(reply)) return undefined;
  return names.map((name) => ({ name, ok: false, fault: 'BAD_NAME', message: 'no such process' }));
}

function unknownLine(name: string): string {
  return isGroupSpec(name) ? `${splitNamespec(name).group}: ERROR (no such group)` : `${name}: ERROR (no such process)`;
}

export const status: CtlCommand = {
  upcheck: true,
  help: ['status <name>\t\tGet status for a single process', 'status <gname>:*\tGet status for all processes in a group', 'status <name> <name>\tGet status for multiple named processes', 'status\t\t\tGet all process status info'],
  async run(session, names) {
    const reply = await session.call('GET', `/status${names.length > 0 ? `?${query(names)}` : ''}`);
    let infos: ProcessInfo[];
    let unknown: string[];
    if (reply.status === 200) {
      infos = reply.body['processes'] as ProcessInfo[];
      unknown = (reply.body['unknown'] as UnknownName[]).map((entry) => entry.name);
    } else if (isAllUnknown(reply)) {
      infos = [];
      unknown = [...names];
    } else return session.unexpected(reply);
    if (session.json) session.outputJson(reply.body);
    for (const name of unknown) {
      if (!session.json) session.output(unknownLine(name));
      session.exitStatus = EXIT.STATUS_UNKNOWN;
    }
    if (!session.json) statusLines(infos).forEach((line) => session.output(line));
    // Checked after the unknown names, so 3 wins over 4 as in supervisorctl.
    if (infos.some((info) => STOPPED_STATES.has(info.statename))) session.exitStatus = EXIT.STATUS_NOT_RUNNING;
    await suggestNames(session, unknown);
  },
};

function actionCommand(options: {
  verb: 'start' | 'stop' | 'clear';
  help: string[];
  noNamesExit: number;
  message: (result: ActionResult) => string;
  unknownGroupExit: number;
  ignored?: 'ALREADY_STARTED' | 'NOT_RUNNING';
}): CtlCommand {
  return {
    upcheck: true,
    help: options.help,
    async run(session, names) {
      if (names.length === 0) {
        session.output(`Error: ${options.verb} requires a process name`);
        options.help.forEach((line) => session.output(line));
        session.exitStatus = options.noNamesExit;
        return;
      }
      const reply = await session.call('POST', `/${options.verb}`, { names });
      const results = resultsOf(reply, names);
      if (!results) return session.unexpected(reply);
      if (session.json) session.outputJson(reply.body);
      reportResults(session, results, options);
      await suggestNames(session, unknownNames(results));
    },
  };
}

function unknownNames(results: readonly ActionResult[]): string[] {
  return [...new Set(results.flatMap((result) => (!result.ok && result.fault === 'BAD_NAME' ? [result.name] : [])))];
}

function reportResults(
  session: Session,
  results: readonly ActionResult[],
  options: { message: (result: ActionResult) => string; unknownGroupExit: number; ignored?: 'ALREADY_STARTED' | 'NOT_RUNNING' },
): void {
  for (const result of results) {
    if (!session.json) session.output(options.message(result));
    if (!result.ok && result.fault === 'BAD_NAME' && isGroupSpec(result.name)) session.exitStatus = options.unknownGroupExit;
    else session.setExitFromFault(result.ok ? undefined : result.fault, options.ignored);
  }
}

const START = {
  message: startMessage,
  unknownGroupExit: EXIT.INVALID_ARGS,
  ignored: 'ALREADY_STARTED',
} as const;
const STOP = { message: stopMessage, unknownGroupExit: EXIT.GENERIC, ignored: 'NOT_RUNNING' } as const;

export const start = actionCommand({
  verb: 'start',
  help: ['start <name>\t\tStart a process', 'start <gname>:*\t\tStart all processes in a group', 'start <name> <name>\tStart multiple processes or groups', 'start all\t\tStart all processes'],
  noNamesExit: EXIT.INVALID_ARGS,
  ...START,
});

export const stop = actionCommand({
  verb: 'stop',
  help: ['stop <name>\t\tStop a process', 'stop <gname>:*\t\tStop all processes in a group', 'stop <name> <name>\tStop multiple processes or groups', 'stop all\t\tStop all processes'],
  noNamesExit: EXIT.GENERIC,
  ...STOP,
});

export const clear = actionCommand({
  verb: 'clear',
  help: ["clear <name>\t\tClear a process' log files.", "clear <name> <name>\tClear multiple process' log files", "clear all\t\tClear all process' log files"],
  noNamesExit: EXIT.GENERIC,
  message: clearMessage,
  unknownGroupExit: EXIT.GENERIC,
});

const RESTART_HELP = ['restart <name>\t\tRestart a process', 'restart <gname>:*\tRestart all processes in a group', 'restart <name> <name>\tRestart multiple processes or groups', 'restart all\t\tRestart all processes', 'Note: restart does not reread config files. For that, see reread and update.'];

// supervisorctl restart = do_stop then do_start: all stop lines, then all start lines.
export const restart: CtlCommand = {
  upcheck: true,
  help: RESTART_HELP,
  async run(session, names) {
    if (names.length === 0) {
      session.output('Error: restart requires a process name');
      RESTART_HELP.forEach((line) => session.output(line));
      session.exitStatus = EXIT.GENERIC;
      return;
    }
    const reply = await session.call('POST', '/restart', { names });
    const stopped = resultsOf(reply, names, 'stopped');
    const started = resultsOf(reply, names, 'started');
    if (!stopped || !started) return session.unexpected(reply);
    if (session.json) session.outputJson(reply.body);
    reportResults(session, stopped, STOP);
    reportResults(session, started, START);
    await suggestNames(session, unknownNames(stopped));
  },
};

const SIGNAL_HELP = ['signal <signal name> <name>\t\tSignal a process', 'signal <signal name> <gname>:*\t\tSignal all processes in a group', 'signal <signal name> <name> <name>\tSignal multiple processes or groups', 'signal <signal name> all\t\tSignal all processes'];

export const signal: CtlCommand = {
  upcheck: true,
  help: SIGNAL_HELP,
  async run(session, args) {
    const [sig, ...names] = args;
    if (sig === undefined || names.length === 0) {
      session.output('Error: signal requires a signal name and a process name');
      SIGNAL_HELP.forEach((line) => session.output(line));
      session.exitStatus = EXIT.GENERIC;
      return;
    }
    const reply = await session.call('POST', '/signal', { signal: sig, names });
    let results = resultsOf(reply, names);
    // A signal name the server refuses outright fails every name.
    if (!results && replyError(reply.body)?.fault === 'BAD_SIGNAL') {
      results = names.map((name) => ({ name, ok: false, fault: 'BAD_SIGNAL', message: 'bad signal name' }));
    }
    if (!results) return session.unexpected(reply);
    if (session.json) session.outputJson(reply.body);
    reportResults(session, results, { message: (result) => signalMessage(result), unknownGroupExit: EXIT.GENERIC });
    await suggestNames(session, unknownNames(results));
  },
};

export const pid: CtlCommand = {
  upcheck: true,
  help: ['pid\t\t\tGet the PID of supervisord.', 'pid <name>\t\tGet the PID of a single child process by name.', 'pid all\t\t\tGet the PID of every child process, one per line.'],
  async run(session, names) {
    const reply = await session.call('GET', `/pid${names.length > 0 ? `?${query(names)}` : ''}`);
    let pids: { name: string; pid: number }[];
    let unknown: string[];
    if (reply.status === 200 && typeof reply.body['pid'] === 'number') {
      if (session.json) session.outputJson(reply.body);
      else session.output(String(reply.body['pid']));
      return;
    } else if (reply.status === 200) {
      pids = reply.body['pids'] as { name: string; pid: number }[];
      unknown = ((reply.body['unknown'] ?? []) as UnknownName[]).map((entry) => entry.name);
    } else if (isAllUnknown(reply)) {
      pids = [];
      unknown = [...names];
    } else return session.unexpected(reply);
    if (session.json) session.outputJson(reply.body);
    for (const entry of pids) {
      if (!session.json) session.output(String(entry.pid));
      // supervisorctl: a named process that is not running exits 7 (not for `all`).
      if (entry.pid === 0 && !names.includes('all')) session.exitStatus = EXIT.NOT_RUNNING;
    }
    for (const name of unknown) {
      if (!session.json) session.output(`No such process ${name}`);
      session.exitStatus = EXIT.GENERIC;
    }
    await suggestNames(session, unknown);
  },
};
