// Init mode on its own (vigil [options] -- CMD): src/main.ts loads this part
// instead of the daemon part when the arguments ask for init mode, so that
// vigil used as tini compiles a few KB rather than the supervisor
// (src/load-part.ts). The arguments were parsed once already; parsing is pure.
import { parseDaemonArgs } from './cli/args.ts';
import { runInitMode } from './init/init-mode.ts';
import type { Output } from './daemon-main.ts';

export function runMain(argv: string[], _out: Output): Promise<number> {
  return runInitMode(parseDaemonArgs(argv));
}
