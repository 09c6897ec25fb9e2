// What a ctl command is: a handler plus supervisorctl's help text for it.
import type { Session } from './session.ts';

export interface CtlCommand {
  // supervisorctl calls upcheck() first for these: an unreachable server then
  // exits 4 (refused) or 7 (no socket file) instead of 1.
  upcheck: boolean;
  help: string[];
  run(session: Session, args: string[]): Promise<void>;
}
