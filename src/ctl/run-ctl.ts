// `vigil ctl`: a thin client of the control socket that speaks supervisorctl's
// language (output, messages, exit codes), so its users' scripts keep working.
// Kept light: it runs inside `docker exec`, where startup time is the latency.
import { UsageError, VigilError } from '../errors.ts';
import { AuthRequiredError, ServerUnreachableError } from './client.ts';
import { COMMANDS } from './commands.ts';
import { EXIT, Session } from './session.ts';
import type { CtlIo } from './session.ts';
import { resolveServerUrl } from './discover.ts';
import type { ServerTarget, ServerUrlOptions } from './discover.ts';
import { ConfigError, ConfigNotFoundError } from '../config/errors.ts';

const USAGE = `Usage: vigil ctl [-c FILE | -s URL] [-u USER -p PASS] [--json] COMMAND [ARGS...]

Options:
  -c, --configuration FILE  config to find the control socket in (default: the daemon's lookup)
  -s, --serverurl URL       unix:///path/to/socket or http://host:port
  -u, --username USER       user for the server's basic auth
  -p, --password PASS       password for the server's basic auth
  --json                    print the server's answers as JSON, one object per line
  -h, --help                this help

Commands: status start stop restart signal pid tail clear reread update reload
shutdown avail version help ('vigil ctl help COMMAND' for details)
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

function help(io: CtlIo, topic: string | undefined): number {
  if (topic === undefined) {
    io.stdout(USAGE);
    return EXIT.SUCCESS;
  }
  const command = COMMANDS.get(topic);
  if (!command) {
    io.stdout(`*** No help on ${topic}\n`);
    return EXIT.GENERIC;
  }
  io.stdout(command.help.map((line) => `${line}\n`).join(''));
  return EXIT.SUCCESS;
}

// Runs one ctl command; resolves to the exit status (supervisorctl's codes).
export async function runCtl(argv: string[], io: CtlIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let args: CtlArgs;
  try {
    args = parseCtlArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`vigil ctl: ${error.message}\n`);
    return EXIT.INVALID_ARGS;
  }
  const [name, ...rest] = args.command;
  if (args.help || name === undefined || name === 'help') return help(io, args.help ? undefined : rest[0]);
  const command = COMMANDS.get(name);
  if (!command) {
    io.stdout(`*** Unknown syntax: ${args.command.join(' ')}\n`);
    return EXIT.GENERIC;
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
  try {
    await command.run(session, rest);
  } catch (error) {
    if (error instanceof AuthRequiredError) {
      report(session, 'UNAUTHORIZED', 'Server requires authentication');
      return EXIT.GENERIC;
    }
    if (error instanceof ServerUnreachableError) return unreachable(session, name, command.upcheck, error.code);
    if (!(error instanceof VigilError)) throw error;
    // e.g. a server URL that is neither unix:// nor http://
    report(session, error.code, `error: ${error.message}`);
    return EXIT.GENERIC;
  }
  return session.exitStatus;
}

function report(session: Session, fault: string, message: string, code?: string): void {
  if (session.json) session.outputJson({ error: { fault, message, ...(code ? { code } : {}) } });
  else session.output(message);
}

// supervisorctl's upcheck() messages and codes (refused: 4, no socket file: 7);
// commands it runs without an upcheck fail with `error: ...` and 1; status
// always exits 4 when the server cannot be reached.
function unreachable(session: Session, name: string, upcheck: boolean, code: string): number {
  const url = session.target.url;
  const what = code === 'ECONNREFUSED' ? 'refused connection' : code === 'ENOENT' ? 'no such file' : `cannot connect (${code})`;
  if (name === 'shutdown') {
    report(session, 'UNREACHABLE', `ERROR: ${url} ${what} (already shut down?)`, code);
    return EXIT.GENERIC;
  }
  if (!upcheck) {
    report(session, 'UNREACHABLE', `error: ${url} ${what}`, code);
    return EXIT.GENERIC;
  }
  report(session, 'UNREACHABLE', `${url} ${what}`, code);
  if (name === 'status') return EXIT.STATUS_UNKNOWN;
  if (code === 'ECONNREFUSED') return EXIT.INSUFFICIENT_PRIVILEGES;
  if (code === 'ENOENT') return EXIT.NOT_RUNNING;
  return EXIT.GENERIC;
}
