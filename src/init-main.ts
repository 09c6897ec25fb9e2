// Init mode on its own (vigil [options] -- CMD, no config): src/main.ts loads
// this part instead of the daemon part when the arguments ask for init mode,
// so that vigil used as tini compiles a few KB rather than the supervisor
// (src/load-part.ts). The arguments were parsed once already; parsing is pure.
import { levelForVerbosity, parseDaemonArgs } from './cli/args.ts';
import type { Output } from './daemon-main.ts';
import { runInit } from './init/run-init.ts';
import { containCrashes } from './log/contain-crashes.ts';
import { createLogger } from './log/logger.ts';

export function runMain(argv: string[], _out: Output): Promise<number> {
  const args = parseDaemonArgs(argv);
  const logger = createLogger({ level: levelForVerbosity(args.verbosity, 'info'), format: args.logFormat ?? 'text' });
  containCrashes(logger);
  return runInit({
    command: args.command,
    killProcessGroup: args.killProcessGroup,
    successCodes: args.successCodes,
    logger,
  });
}
