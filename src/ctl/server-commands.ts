// ctl commands about the supervisor and its config: version, avail, reread,
// update, reload, shutdown. Texts follow supervisorctl.py's do_*.
import type { AvailableProcess, ConfigChanges } from '../control/api.ts';
import type { UnknownName } from '../control/protocol.ts';
import type { CtlCommand } from './command.ts';
import { availLine } from './messages.ts';
import { EXIT, replyError } from './session.ts';
import type { Session } from './session.ts';

// Commands that take no arguments say so, like supervisorctl.
function refuseArguments(session: Session, verb: string, args: string[], help: string[]): boolean {
  if (args.length === 0) return false;
  session.output(`Error: ${verb} accepts no arguments`);
  help.forEach((line) => session.output(line));
  session.exitStatus = EXIT.GENERIC;
  return true;
}

function shuttingDown(session: Session, body: Record<string, unknown>, text: string): boolean {
  if (replyError(body)?.fault !== 'SHUTDOWN_STATE') return false;
  if (session.json) session.outputJson(body);
  else session.output(text);
  session.exitStatus = EXIT.GENERIC;
  return true;
}

// supervisorctl asks before reload and shutdown in its interactive shell.
async function confirmed(session: Session, question: string): Promise<boolean> {
  if (!session.interactive || !session.lines) return true;
  const answer = await session.lines.next(question);
  return (answer ?? '').toLowerCase().startsWith('y');
}

export const version: CtlCommand = {
  upcheck: true,
  help: ['version\t\t\tShow the version of the remote supervisord process'],
  async run(session, args) {
    if (refuseArguments(session, 'version', args, this.help)) return;
    const reply = await session.call('GET', '/version');
    if (reply.status !== 200) return session.unexpected(reply);
    if (session.json) session.outputJson(reply.body);
    else session.output(String(reply.body['version']));
  },
};

export const avail: CtlCommand = {
  upcheck: false,
  help: ['avail\t\t\tDisplay all configured processes'],
  async run(session, args) {
    if (refuseArguments(session, 'avail', args, this.help)) return;
    const reply = await session.call('GET', '/avail');
    if (shuttingDown(session, reply.body, 'ERROR: supervisor shutting down')) return;
    if (reply.status !== 200) return session.unexpected(reply);
    if (session.json) return session.outputJson(reply.body);
    (reply.body['processes'] as AvailableProcess[]).forEach((entry) => session.output(availLine(entry)));
  },
};

// supervisorctl _formatChanges: sorted `name: available|changed|disappeared`.
function formatChanges(session: Session, changes: ConfigChanges): void {
  const entries = new Map<string, string>();
  for (const name of changes.added) entries.set(name, 'available');
  for (const name of changes.changed) entries.set(name, 'changed');
  for (const name of changes.removed) entries.set(name, 'disappeared');
  if (entries.size === 0) return session.output('No config updates to processes');
  for (const name of [...entries.keys()].sort()) session.output(`${name}: ${entries.get(name)}`);
}

function cantReread(session: Session, body: Record<string, unknown>): boolean {
  const error = replyError(body);
  if (error?.fault !== 'CANT_REREAD') return false;
  if (session.json) session.outputJson(body);
  // supervisorctl prints the xmlrpc faultString, which starts with the fault name.
  else session.output(`ERROR: CANT_REREAD: ${error.message}`);
  session.exitStatus = EXIT.GENERIC;
  return true;
}

export const reread: CtlCommand = {
  upcheck: false,
  help: ["reread \t\t\tReload the daemon's configuration files without add/remove"],
  async run(session, args) {
    if (refuseArguments(session, 'reread', args, this.help)) return;
    const reply = await session.call('POST', '/reread');
    if (shuttingDown(session, reply.body, 'ERROR: supervisor shutting down') || cantReread(session, reply.body)) return;
    if (reply.status !== 200) return session.unexpected(reply);
    if (session.json) return session.outputJson(reply.body);
    formatChanges(session, reply.body['changes'] as ConfigChanges);
  },
};

export const update: CtlCommand = {
  upcheck: false,
  help: ['update\t\t\tReload config and add/remove as necessary, and will restart affected programs', 'update all\t\tReload config and add/remove as necessary, and will restart affected programs', 'update <gname> [...]\tUpdate specific groups'],
  async run(session, groups) {
    const reply = await session.call('POST', '/update', groups.length > 0 ? { groups } : {});
    if (shuttingDown(session, reply.body, 'ERROR: already shutting down') || cantReread(session, reply.body)) return;
    let unknown: string[];
    let changes: ConfigChanges;
    if (reply.status === 200) {
      unknown = ((reply.body['unknown'] ?? []) as UnknownName[]).map((entry) => entry.name);
      changes = reply.body['changes'] as ConfigChanges;
    } else if (reply.status === 404 && replyError(reply.body)?.fault === 'BAD_NAME') {
      unknown = groups.filter((group) => group !== 'all');
      changes = { added: [], changed: [], removed: [] };
    } else return session.unexpected(reply);
    if (session.json) session.outputJson(reply.body);
    for (const group of unknown) {
      if (!session.json) session.output(`ERROR: no such group: ${group}`);
      session.exitStatus = EXIT.GENERIC;
    }
    if (session.json) return;
    // The order supervisorctl's do_update acts in: removed, changed, added.
    for (const group of changes.removed) session.output(`${group}: stopped`), session.output(`${group}: removed process group`);
    for (const group of changes.changed) session.output(`${group}: stopped`), session.output(`${group}: updated process group`);
    for (const group of changes.added) session.output(`${group}: added process group`);
  },
};

export const reload: CtlCommand = {
  upcheck: false,
  help: ['reload \t\tRestart the remote supervisord.'],
  async run(session, args) {
    if (refuseArguments(session, 'reload', args, this.help)) return;
    if (!(await confirmed(session, 'Really restart the remote supervisord process y/N? '))) return;
    const reply = await session.call('POST', '/reload');
    if (shuttingDown(session, reply.body, 'ERROR: already shutting down')) return;
    if (reply.status !== 200) return session.unexpected(reply);
    // supervisorctl's wording, kept verbatim for scripts that match on it.
    if (session.json) session.outputJson(reply.body);
    else session.output('Restarted supervisord');
  },
};

export const shutdown: CtlCommand = {
  upcheck: false,
  help: ['shutdown \tShut the remote supervisord down.'],
  async run(session, args) {
    if (refuseArguments(session, 'shutdown', args, this.help)) return;
    if (!(await confirmed(session, 'Really shut the remote supervisord process down y/N? '))) return;
    const reply = await session.call('POST', '/shutdown');
    if (replyError(reply.body)?.fault === 'SHUTDOWN_STATE') {
      // supervisorctl prints this one without changing the exit status.
      if (session.json) session.outputJson(reply.body);
      else session.output('ERROR: already shutting down');
      return;
    }
    if (reply.status !== 200) return session.unexpected(reply);
    if (session.json) session.outputJson(reply.body);
    else session.output('Shut down');
  },
};
