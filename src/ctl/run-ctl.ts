// `vigil ctl`: a thin client of the control socket that speaks supervisorctl's
// language (output, messages, exit codes), so its users' scripts keep working.
// Kept light: it runs inside `docker exec`, where startup time is the latency.
import { UsageError } from '../errors.ts';
import { executeLine } from './dispatch.ts';
import { EXIT, Session } from './session.ts';
import type { CtlIo } from './session.ts';
import { resolveServerUrl } from './discover.ts';
import type { ServerTarget, ServerUrlOptions } from './discover.ts';
import { ConfigError, ConfigNotFoundError } from '../config/errors.ts';

const USAGE = `Usage: vigil ctl [-c FILE | -s URL] [-u USER -p PASS] [--json] [COMMAND [ARGS...]]

Options:
  -c, --configuration FILE  config to find the control socket in (default: the daemon's lookup)
  -s, --serverurl URL       unix:///path/to/socket or http://host:port
  -u, --username USER       user for the server's basic auth
  -p, --password PASS       password for the server's basic auth
  --json                    print the server's answers as JSON, one object per line
  -h, --help                this help

Commands: status start stop restart signal pid tail maintail fg clear add remove
reread update reload shutdown avail version open help ('vigil ctl help COMMAND'
for details). Without a command: supervisorctl's interactive shell.
`;

interface CtlArgs extends ServerUrlOptions {
  json: boolean;
  help: boolean;
  command: string[];
}

const VALUE_OPTIONS: Readonly<Record<string, 'configPath' | 'serverUrl' | 'username' | 'password'>> = {
  '-c': 'configPath',
  '--configuration': 'configPath',
  '-s': 'serverUrl',
  '--serverurl': 'serverUrl',
  '-u': 'username',
  '--username': 'username',
  '-p': 'password',
  '--password': 'password',
};

function parseCtlArgs(argv: readonly string[]): CtlArgs {
  const args: CtlArgs = { json: false, help: false, command: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const key = VALUE_OPTIONS[flag];
    if (key !== undefined) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new UsageError(`option ${flag} needs a value`);
      args[key] = value;
    } else if (arg === '--json') args.json = true;
    else if (arg === '-h' || arg === '--help') args.help = true;
    else if (arg.startsWith('-')) throw new UsageError(`unknown option '${arg}' (see vigil ctl --help)`);
    else {
      // Options end at the command: `tail -f web` keeps its -f. `--json` is
      // taken anywhere (`vigil ctl status --json` is how scripts write it);
      // no process name starts with `--`.
      args.command = argv.slice(i).filter((word) => word !== '--json');
      if (args.command.length < argv.length - i) args.json = true;
      break;
    }
  }
  return args;
}

// Runs one ctl command, or the interactive shell when there is none; resolves
// to the exit status (supervisorctl's codes).
export async function runCtl(argv: string[], io: CtlIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let args: CtlArgs;
  try {
    args = parseCtlArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`vigil ctl: ${error.message}\n`);
    return EXIT.INVALID_ARGS;
  }
  if (args.help) {
    io.stdout(USAGE);
    return EXIT.SUCCESS;
  }
  let target: ServerTarget;
  try {
    target = resolveServerUrl(args, env);
  } catch (error) {
    // A -c or $VIGIL_CONFIG that is missing or invalid: supervisorctl's
    // "Error: could not find config file", exit 2.
    if (!(error instanceof ConfigError || error instanceof ConfigNotFoundError)) throw error;
    io.stderr(`vigil ctl: ${error.message}\n`);
    return EXIT.INVALID_ARGS;
  }
  const session = new Session(io, target, args.json);
  if (args.command.length === 0) {
    const { runShell } = await import('./shell.ts');
    return runShell(session);
  }
  await executeLine(session, args.command);
  return session.exitStatus;
}
