// Init mode as a whole (vigil [options] -- CMD, no config): its logger, the
// crash guard, and the run. Shared by both bundled parts that can start it
// (src/init-main.ts, src/daemon-main.ts).
import type { DaemonArgs } from '../cli/args.ts';
import { levelForVerbosity } from '../cli/args.ts';
import { containCrashes } from '../log/contain-crashes.ts';
import { createLogger } from '../log/logger.ts';
import { runInit } from './run-init.ts';

export function runInitMode(args: DaemonArgs): Promise<number> {
  const logger = createLogger({ level: levelForVerbosity(args.verbosity, 'info'), format: args.logFormat ?? 'text' });
  containCrashes(logger);
  return runInit({
    command: args.command,
    killProcessGroup: args.killProcessGroup,
    successCodes: args.successCodes,
    logger,
  });
}
