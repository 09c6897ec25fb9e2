// vigil's entry point: `--version`, `--help` and `ctl` here; init mode and
// everything else (check, the supervisor) in parts loaded on demand.
//
// Why parts: `vigil ctl status` runs in health checks and `docker exec`,
// where its start-up is the latency. V8 parses every function of a script it
// loads (lazily compiled, but pre-parsed), so the client must not be in the
// same script as the daemon's code. The build embeds the daemon part in this
// file, inside a comment that the client's path only skips over
// (src/load-part.ts, scripts/build.mjs): one file still, and the client
// parses a sixth of it. Init mode (vigil -- CMD, tini's use) has a small part
// of its own for the same reason.
import { HELP, isInitMode, parseDaemonArgs } from './cli/args.ts';
import { loadPart } from './load-part.ts';
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
  if (first === 'ctl') {
    const { runCtl } = await import('./ctl/run-ctl.ts');
    return runCtl(argv.slice(1), out);
  }
  const { runMain } = await loadPart(wantsInitMode(argv) ? 'init' : 'daemon');
  return runMain(argv, out);
}

// Bad arguments go to the daemon part, which says what is wrong with them.
function wantsInitMode(argv: string[]): boolean {
  try {
    return argv[0] !== 'check' && isInitMode(parseDaemonArgs(argv));
  } catch {
    return false;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`vigil: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(70); // EX_SOFTWARE
  },
);
