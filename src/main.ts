// vigil's entry point: dispatches to init mode, the supervisor, `check` or `ctl`.
import { HELP, levelForVerbosity, parseDaemonArgs } from './cli/args.ts';
import { UsageError } from './errors.ts';
import type { Logger } from './log/logger.ts';
import { VERSION } from './version.ts';

const out = {
  stdout: (text: string): void => void process.stdout.write(text),
  stderr: (text: string): void => void process.stderr.write(text),
};

async function main(argv: string[]): Promise<number> {
  const first = argv[0];
  if (first === '--version' || first === '-V') {
    out.stdout(`vigil ${VERSION}\n`);
    return 0;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    out.stdout(HELP);
    return 0;
  }
  if (first === 'check') {
    const { runCheck } = await import('./commands/check.ts');
    return runCheck(argv.slice(1), out);
  }
  if (first === 'ctl') {
    const { runCtl } = await import('./ctl/run-ctl.ts');
    return runCtl(argv.slice(1), out);
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
    // Loaded here, not at the top: `vigil ctl` (health checks, docker exec)
    // should not pay for the logger and the supervisor at every call.
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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`vigil: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(70); // EX_SOFTWARE
  },
);
