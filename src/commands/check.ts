// `vigil check [-c FILE] [--json]`: resolves a config like the daemon would and
// prints its processes without starting anything. Exit 0 when valid, 2 when not.
import { ConfigError, ConfigNotFoundError, findConfigPath, formatProblem, formatWarning, loadConfig } from '../config/index.ts';
import type { LogfileTarget, ProcessConfig, ResolvedConfig } from '../config/index.ts';
import { UsageError } from '../errors.ts';

export interface CheckOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const USAGE = 'usage: vigil check [-c FILE] [--json]';

interface CheckArgs {
  configPath: string | undefined;
  json: boolean;
  help: boolean;
}

function parseCheckArgs(argv: readonly string[]): CheckArgs {
  const args: CheckArgs = { configPath: undefined, json: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--json') args.json = true;
    else if (arg === '-h' || arg === '--help') args.help = true;
    else if (arg === '-c' || arg === '--configuration') {
      const value = argv[++i];
      if (value === undefined) throw new UsageError(`option ${arg} needs a value; ${USAGE}`);
      args.configPath = value;
    } else if (arg.startsWith('--configuration=')) args.configPath = arg.slice('--configuration='.length);
    else throw new UsageError(`unexpected argument '${arg}'; ${USAGE}`);
  }
  return args;
}

// supervisord's resolved logfile: a path, its Automatic sentinel as "AUTO", None as null.
function logfileJson(target: LogfileTarget): string | null {
  return target.kind === 'path' ? target.path : target.kind === 'auto' ? 'AUTO' : null;
}

// One process in supervisord's key names (the schema test/tools/supervisord_resolve.py prints).
export function processJson(process: ProcessConfig): Record<string, unknown> {
  return {
    name: process.name,
    group: process.group,
    command: process.command,
    priority: process.priority,
    autostart: process.autostart,
    autorestart: process.autorestart,
    startsecs: process.startsecs,
    startretries: process.startretries,
    exitcodes: process.exitcodes,
    stopsignal: process.stopsignal,
    stopwaitsecs: process.stopwaitsecs,
    stopasgroup: process.stopasgroup,
    killasgroup: process.killasgroup,
    user: process.user?.name ?? null,
    directory: process.directory,
    umask: process.umask,
    environment: process.environment,
    redirect_stderr: process.redirect_stderr,
    stdout_logfile: logfileJson(process.stdout_logfile),
    stdout_logfile_maxbytes: process.stdout_logfile_maxbytes,
    stdout_logfile_backups: process.stdout_logfile_backups,
    stderr_logfile: logfileJson(process.stderr_logfile),
    stderr_logfile_maxbytes: process.stderr_logfile_maxbytes,
    stderr_logfile_backups: process.stderr_logfile_backups,
  };
}

function allProcesses(config: ResolvedConfig): ProcessConfig[] {
  return config.groups.flatMap((group) => group.processes);
}

function table(config: ResolvedConfig): string {
  const processes = allProcesses(config);
  const header = ['NAME', 'GROUP', 'KIND', 'PRIORITY', 'AUTOSTART', 'AUTORESTART', 'STOPSIGNAL', 'COMMAND'];
  const rows = processes.map((process) => [
    process.name,
    process.group,
    process.kind === 'eventlistener' ? 'listener' : process.critical ? 'critical' : 'program',
    String(process.priority),
    String(process.autostart),
    process.autorestart,
    process.stopsignal,
    process.command.replace(/\n/g, ' '),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] as string).length)),
  );
  const line = (cells: string[]): string =>
    cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] as number))).join('  ');
  const groups = config.groups.length;
  const summary = `${config.file}: OK, ${groups} group${groups === 1 ? '' : 's'}, ${processes.length} process${processes.length === 1 ? '' : 'es'}`;
  return [summary, '', line(header), ...rows.map(line)].join('\n') + '\n';
}

export async function runCheck(argv: string[], out: CheckOutput, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let args: CheckArgs;
  try {
    args = parseCheckArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    out.stderr(`vigil check: ${error.message}\n`);
    return 2;
  }
  if (args.help) {
    out.stdout(`${USAGE}\n  -c FILE   the config (default: $VIGIL_CONFIG, ./vigil.conf, /etc/vigil.conf, supervisord's paths)\n  --json    print {"config": PATH, "processes": [...]} with supervisord's key names\n`);
    return 0;
  }
  try {
    const path = args.configPath ?? findConfigPath(env);
    const { config, warnings } = loadConfig(path, env);
    for (const warning of warnings) out.stderr(`${formatWarning(warning)}\n`);
    if (args.json) {
      out.stdout(`${JSON.stringify({ config: config.file, processes: allProcesses(config).map(processJson) }, null, 2)}\n`);
    } else out.stdout(table(config));
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) out.stderr(`${formatProblem(problem)}\n`);
      out.stderr(`vigil check: ${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}; nothing would start\n`);
      return 2;
    }
    if (error instanceof ConfigNotFoundError) {
      out.stderr(`vigil check: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
