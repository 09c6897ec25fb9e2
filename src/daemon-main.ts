// Everything of vigil but `ctl`: dispatches to `check`, init mode or the
// supervisor. src/main.ts loads it only for those (src/load-part.ts).
import { isInitMode, parseDaemonArgs } from './cli/args.ts';
import { UsageError } from './errors.ts';
import { runInitMode } from './init/init-mode.ts';
import { containCrashes } from './log/contain-crashes.ts';

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
  if (isInitMode(args)) return runInitMode(args);
  const { runDaemon } = await import('./daemon/run-daemon.ts');
  return runDaemon(args, containCrashes);
}
