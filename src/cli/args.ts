// Parses the daemon's command line (`vigil [options] [-c FILE] [-- CMD...]`).
import { UsageError } from '../errors.ts';
import type { LogFormat } from '../log/logger.ts';

export interface DaemonArgs {
  configPath: string | undefined;
  command: string[]; // after `--`; empty when none
  killProcessGroup: boolean;
  successCodes: Set<number>;
  verbosity: number;
  logFormat: LogFormat | undefined;
}

export const HELP = `Usage:
  vigil [options] -- CMD [ARGS...]      run CMD as a container init (like tini)
  vigil [options] [-c FILE] [-- CMD...] supervise the programs of a supervisord-format
                                        config; with CMD, also run it as critical 'main'
  vigil check [-c FILE] [--json]        validate a config, print the resolved processes
  vigil ctl [-c FILE|-s URL] COMMAND    control a running vigil ('vigil ctl help')

Options:
  -c, --configuration FILE  config file; default: $VIGIL_CONFIG, ./vigil.conf, /etc/vigil.conf,
                            then supervisord's paths (./supervisord.conf ... /etc/supervisor/)
  -g                        forward signals to CMD's whole process group, not just CMD
  -e CODE                   exit 0 when CMD exits with CODE (repeatable; e.g. -e 143)
  -s                        accepted for tini compatibility: vigil always registers as a
                            child subreaper when it is not PID 1
  -n, --nodaemon            accepted for supervisord compatibility: vigil never daemonizes
  -v, --verbose             log debug messages (twice: trace)
  --log-format text|json    format of vigil's own log (default: text, or the config's logformat)
  -h, --help                show this help
  -V, --version             print the version
`;

// Parses argv (without node and script); throws UsageError.
export function parseDaemonArgs(argv: readonly string[]): DaemonArgs {
  const args: DaemonArgs = {
    configPath: undefined,
    command: [],
    killProcessGroup: false,
    successCodes: new Set(),
    verbosity: 0,
    logFormat: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`option ${arg} needs a value`);
      return next;
    };
    if (arg === '--') {
      args.command = argv.slice(i + 1);
      if (args.command.length === 0) throw new UsageError('nothing to run after "--"');
      break;
    }
    if (arg === '-c' || arg === '--configuration') args.configPath = value();
    else if (arg.startsWith('--configuration=')) args.configPath = arg.slice('--configuration='.length);
    else if (arg === '-g') args.killProcessGroup = true;
    else if (arg === '-e') args.successCodes.add(parseExitCode(value()));
    else if (arg === '-s' || arg === '-n' || arg === '--nodaemon') continue;
    else if (arg === '-v' || arg === '--verbose') args.verbosity++;
    else if (arg === '-vv') args.verbosity += 2;
    else if (arg === '--log-format') args.logFormat = parseLogFormat(value());
    else if (arg.startsWith('--log-format=')) args.logFormat = parseLogFormat(arg.slice('--log-format='.length));
    else if (!arg.startsWith('-')) {
      // tini accepts `tini CMD` without `--`; so does vigil when no config is named.
      args.command = argv.slice(i);
      break;
    } else throw new UsageError(`unknown option '${arg}' (see vigil --help)`);
  }
  return args;
}

function parseExitCode(text: string): number {
  const code = Number(text);
  if (!/^\d+$/.test(text) || code > 255) {
    throw new UsageError(`-e expects an exit code from 0 to 255, got '${text}'`);
  }
  return code;
}

function parseLogFormat(text: string): LogFormat {
  if (text === 'text' || text === 'json') return text;
  throw new UsageError(`--log-format expects text or json, got '${text}'`);
}

// -v is debug, -vv (or -v -v) trace; without it, `fallback` (the config's
// loglevel in supervisor mode, info in init mode).
export function levelForVerbosity<Level extends string>(verbosity: number, fallback: Level): Level | 'debug' | 'trace' {
  return verbosity >= 2 ? 'trace' : verbosity === 1 ? 'debug' : fallback;
}

// Init mode is what the arguments ask for: a command and no config.
export function isInitMode(args: DaemonArgs): boolean {
  return args.configPath === undefined && args.command.length > 0;
}
