// The ctl command table.
import type { CtlCommand } from './command.ts';
import { clear, pid, restart, signal, start, status, stop } from './process-commands.ts';
import { avail, reload, reread, shutdown, update, version } from './server-commands.ts';
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
]);
