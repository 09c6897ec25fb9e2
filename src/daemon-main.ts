// `check` and the supervisor: src/main.ts loads this part for every command
// line that is neither `ctl` nor init mode (src/init-main.ts), bad ones
// included, which are answered here (src/load-part.ts).
import { parseDaemonArgs } from './cli/args.ts';
import { UsageError } from './errors.ts';
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
  const { runDaemon } = await import('./daemon/run-daemon.ts');
  return runDaemon(args, containCrashes);
}
