// ctl maintail (vigil's own log) and fg (a process in the foreground: its
// output live, the user's lines to its stdin): supervisorctl do_maintail, do_fg.
import type { ProcessInfo } from '../control/api.ts';
import type { CtlCommand } from './command.ts';
import { suggestNames } from './hints.ts';
import { openLineReader } from './line-reader.ts';
import { EXIT, replyError } from './session.ts';
import type { Session } from './session.ts';
import { follow, openLive, parseByteCount, pipeLive } from './tail-command.ts';

const MAINTAIL_HELP = [
  'maintail -f \tContinuous tail of supervisor main log file (Ctrl-C to exit)',
  'maintail -100\tlast 100 *bytes* of supervisord main log file',
  'maintail\tlast 1600 *bytes* of supervisor main log file',
  '',
];

export const maintail: CtlCommand = {
  upcheck: true,
  help: MAINTAIL_HELP,
  async run(session, args) {
    const fail = (message: string, showHelp = false): void => {
      session.output(message);
      session.exitStatus = EXIT.GENERIC;
      if (showHelp) MAINTAIL_HELP.forEach((line) => session.output(line));
    };
    if (args.length > 1) return fail('Error: too many arguments', true);
    let bytes = 1600;
    const [arg] = args;
    if (arg !== undefined) {
      if (!arg.startsWith('-')) return fail(`Error: bad argument ${arg}`);
      if (arg === '-f') {
        return follow(session, '/maintail?follow=1', async (body) => {
          session.unexpected({ status: 500, body });
        });
      }
      const count = parseByteCount(arg.slice(1));
      if (count === undefined) return fail(`Error: bad argument ${arg}`);
      bytes = count;
    }
    const reply = await session.call('GET', `/maintail?bytes=${bytes}`);
    if (reply.status !== 200) return session.unexpected(reply);
    if (session.json) session.outputJson(reply.body);
    else session.output(String(reply.body['data']));
  },
};

const FG_HELP = ['fg <process>\tConnect to a process in foreground mode', '\t\tCtrl-C to exit'];

// getProcessInfo(name): one process, or undefined when the name is not one.
async function processInfo(session: Session, name: string): Promise<ProcessInfo | undefined> {
  const reply = await session.call('GET', `/status?name=${encodeURIComponent(name)}`);
  const infos = reply.status === 200 ? (reply.body['processes'] as ProcessInfo[]) : [];
  const single = infos.length === 1 && !name.endsWith(':') && !name.endsWith(':*') && name !== 'all';
  return single ? infos[0] : undefined;
}

export const fg: CtlCommand = {
  upcheck: true,
  help: FG_HELP,
  async run(session, names) {
    if (names.length === 0) {
      session.output('ERROR: no process name supplied');
      session.exitStatus = EXIT.GENERIC;
      FG_HELP.forEach((line) => session.output(line));
      return;
    }
    if (names.length > 1) {
      session.output('ERROR: too many process names supplied');
      session.exitStatus = EXIT.GENERIC;
      return;
    }
    const name = names[0] as string;
    const info = await processInfo(session, name);
    if (!info) {
      session.output('ERROR: bad process name supplied');
      session.exitStatus = EXIT.GENERIC;
      await suggestNames(session, [name]);
      return;
    }
    if (info.statename !== 'RUNNING') {
      session.output('ERROR: process not running');
      session.exitStatus = EXIT.GENERIC;
      return;
    }
    const fullName = `${info.group}:${info.name}`;
    session.output('==> Press Ctrl-C to exit <==');
    const ignore = async (): Promise<void> => undefined;
    const streams = await Promise.all(
      (['stdout', 'stderr'] as const).map((channel) => openLive(session, `/tail?name=${encodeURIComponent(fullName)}&channel=${channel}&follow=1`, ignore)),
    );
    const pipes = streams.flatMap((live) => (live ? [pipeLive(session, live)] : []));
    const reader = session.lines ?? (session.lines = await openLineReader(session.io));
    const onInterrupt = (): void => reader.close();
    process.once('SIGINT', onInterrupt);
    try {
      await forwardInput(session, name, fullName, reader);
    } finally {
      process.off('SIGINT', onInterrupt);
      for (const pipe of pipes) pipe.stop();
    }
  },
};

// Each line the user types goes to the process's stdin, until end of input,
// Ctrl-C, or the process is gone (supervisorctl's messages for each).
async function forwardInput(session: Session, name: string, fullName: string, reader: NonNullable<Session['lines']>): Promise<void> {
  for (;;) {
    const line = await reader.next();
    if (line === null) return session.output('Exiting foreground');
    const reply = await session.call('POST', '/stdin', { name: fullName, data: `${line}\n` });
    const error = replyError(reply.body);
    if (reply.status !== 200) {
      session.output(error?.fault === 'NOT_RUNNING' ? 'Process got killed' : `ERROR: ${error?.fault ?? 'FAILED'}: ${error?.message ?? ''}`);
      return session.output('Exiting foreground');
    }
    const info = await processInfo(session, name);
    if (info?.statename !== 'RUNNING') {
      session.output('Process got killed');
      return session.output('Exiting foreground');
    }
  }
}
