// The ctl command table.
import type { CtlCommand } from './command.ts';
import { clear, pid, restart, signal, start, status, stop } from './process-commands.ts';
import { avail, reload, reread, shutdown, update, version } from './server-commands.ts';
import { add, open, remove } from './group-commands.ts';
import { fg, maintail } from './stream-commands.ts';
import { tail } from './tail-command.ts';

export const COMMANDS: ReadonlyMap<string, CtlCommand> = new Map<string, CtlCommand>([
  ['status', status],
  ['start', start],
  ['stop', stop],
  ['restart', restart],
  ['signal', signal],
  ['pid', pid],
  ['tail', tail],
  ['clear', clear],
  ['reread', reread],
  ['update', update],
  ['reload', reload],
  ['shutdown', shutdown],
  ['avail', avail],
  ['version', version],
  ['maintail', maintail],
  ['fg', fg],
  ['add', add],
  ['remove', remove],
  ['open', open],
]);
