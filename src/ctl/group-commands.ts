// ctl add / remove (supervisorctl do_add, do_remove) and open (do_open).
import type { ActionResult } from '../control/api.ts';
import type { CtlCommand } from './command.ts';
import { status } from './process-commands.ts';
import { EXIT } from './session.ts';
import type { Session } from './session.ts';

async function perGroup(session: Session, verb: 'add' | 'remove', names: string[]): Promise<ActionResult[] | undefined> {
  // supervisorctl sends nothing for no names, and prints nothing.
  if (names.length === 0) return [];
  const reply = await session.call('POST', `/${verb}`, { names });
  if (reply.status === 503) {
    // the whole server is shutting down: every name gets supervisorctl's line
    return names.map((name) => ({ name, ok: false, fault: 'SHUTDOWN_STATE', message: name }));
  }
  if (reply.status !== 200) {
    session.unexpected(reply);
    return undefined;
  }
  if (session.json) session.outputJson(reply.body);
  return reply.body['results'] as ActionResult[];
}

export const add: CtlCommand = {
  upcheck: false,
  help: ['add <name> [...]\tActivates any updates in config for process/group'],
  async run(session, names) {
    const results = await perGroup(session, 'add', names);
    for (const result of results ?? []) {
      let line = `${result.name}: added process group`;
      if (!result.ok && result.fault === 'SHUTDOWN_STATE') line = 'ERROR: shutting down';
      // supervisorctl leaves the exit status alone for this one.
      else if (!result.ok && result.fault === 'ALREADY_ADDED') line = 'ERROR: process group already active';
      else if (!result.ok) line = result.fault === 'BAD_NAME' ? `ERROR: no such process/group: ${result.name}` : `ERROR: ${result.fault}: ${result.message}`;
      if (!result.ok && result.fault !== 'ALREADY_ADDED') session.exitStatus = EXIT.GENERIC;
      if (!session.json) session.output(line);
    }
  },
};

export const remove: CtlCommand = {
  upcheck: false,
  help: ['remove <name> [...]\tRemoves process/group from active config'],
  async run(session, names) {
    const results = await perGroup(session, 'remove', names);
    for (const result of results ?? []) {
      let line = `${result.name}: removed process group`;
      if (!result.ok) {
        session.exitStatus = EXIT.GENERIC;
        if (result.fault === 'STILL_RUNNING') line = `ERROR: process/group still running: ${result.name}`;
        else if (result.fault === 'BAD_NAME') line = `ERROR: no such process/group: ${result.name}`;
        else line = `ERROR: ${result.fault}: ${result.message}`;
      }
      if (!session.json) session.output(line);
    }
  },
};

// open URL: talk to another server from now on, and show its status.
export const open: CtlCommand = {
  upcheck: false,
  help: ['open <url>\tConnect to a remote supervisord process.', '\t\t(for UNIX domain socket, use unix:///socket/path)'],
  async run(session, args) {
    const url = args.join(' ').trim();
    if (!/^(unix|http):/.test(url)) {
      session.output('ERROR: url must be http:// or unix://');
      session.exitStatus = EXIT.GENERIC;
      return;
    }
    session.target = { ...session.target, url, source: 'given with open' };
    const before = session.exitStatus;
    await status.run(session, []);
    session.exitStatus = before;
  },
};
