// Everything of vigil but `ctl`: dispatches to `check`, init mode or the
// supervisor. src/main.ts loads it only for those (src/load-daemon.ts).
import { levelForVerbosity, parseDaemonArgs } from './cli/args.ts';
import { UsageError } from './errors.ts';
import type { Logger } from './log/logger.ts';

export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
}

export async function runMain(argv: string[], out: Output): Promise<number> {
  if (argv[0] === 'check') {
    const { runCheck } = await import('./commands/check.ts');
    return runCheck(argv.slice(1), out);
  }
  let args;
  try {
    args = parseDaemonArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      out.stderr(`vigil: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const level = levelForVerbosity(args.verbosity, 'info');
  if (args.configPath === undefined && args.command.length > 0) {
    // Loaded here, not at the top: init mode (vigil -- CMD) does not pay for
    // the supervisor.
    const [{ createLogger }, { runInit }] = await Promise.all([
      import('./log/logger.ts'),
      import('./init/run-init.ts'),
    ]);
    const logger = createLogger({ level, format: args.logFormat ?? 'text' });
    containCrashes(logger);
    return runInit({
      command: args.command,
      killProcessGroup: args.killProcessGroup,
      successCodes: args.successCodes,
      logger,
    });
  }
  const { runDaemon } = await import('./daemon/run-daemon.ts');
  return runDaemon(args, containCrashes);
}

// PID 1 must never die of a bug: an unexpected exception is logged and contained.
function containCrashes(logger: Logger): void {
  process.on('uncaughtException', (error) => {
    logger.error({ err: error }, 'unexpected error (contained; please report it)');
  });
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: reason }, 'unhandled rejection (contained; please report it)');
  });
}
