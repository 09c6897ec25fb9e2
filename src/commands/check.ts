// `vigil check [-c FILE] [--json] [--strict]`: resolves a config like the
// daemon would and prints its processes without starting anything, with every
// problem and warning at once (and what will fail at spawn). Exit 0 when
// valid, 2 when not; --strict also fails on warnings.
import {
  ConfigError, ConfigNotFoundError, destinationLabel, findConfigPath, formatNotice, formatProblem, formatWarning,
  loadConfig, preflight,
} from '../config/index.ts';
import type { ConfigProblem, ConfigWarning, LogfileTarget, ProcessConfig, ResolvedConfig } from '../config/index.ts';
import { UsageError } from '../errors.ts';

export interface CheckOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const USAGE = 'usage: vigil check [-c FILE] [--json] [--strict]';

interface CheckArgs {
  configPath: string | undefined;
  json: boolean;
  strict: boolean;
  help: boolean;
}

function parseCheckArgs(argv: readonly string[]): CheckArgs {
  const args: CheckArgs = { configPath: undefined, json: false, strict: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--json') args.json = true;
    else if (arg === '--strict') args.strict = true;
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
    // What vigil does where it differs from supervisord's value above (the
    // parity tests compare everything but this field).
    vigil: {
      stdout_destination: destinationLabel(process, 'stdout', false),
      stderr_destination: destinationLabel(process, 'stderr', false),
    },
  };
}

function allProcesses(config: ResolvedConfig): ProcessConfig[] {
  return config.groups.flatMap((group) => group.processes);
}

function table(config: ResolvedConfig): string {
  const processes = allProcesses(config);
  const header = ['NAME', 'GROUP', 'KIND', 'PRIORITY', 'AUTOSTART', 'AUTORESTART', 'STOPSIGNAL', 'STDOUT', 'STDERR', 'COMMAND'];
  const rows = processes.map((process) => [
    process.name,
    process.group,
    process.kind === 'eventlistener' ? 'listener' : process.critical ? 'critical' : 'program',
    String(process.priority),
    String(process.autostart),
    process.autorestart,
    process.stopsignal,
    destinationLabel(process, 'stdout', false),
    destinationLabel(process, 'stderr', false),
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
    out.stdout(
      `${USAGE}\n  -c FILE   the config (default: $VIGIL_CONFIG, ./vigil.conf, /etc/vigil.conf, supervisord's paths)\n` +
        '  --json    print {"config": PATH, "processes": [...]} with supervisord\'s key names (and vigil\'s destinations)\n' +
        '  --strict  exit 2 on warnings too\n',
    );
    return 0;
  }
  try {
    const path = args.configPath ?? findConfigPath(env);
    const { config, warnings, notices } = loadConfig(path, env);
    const all = sortByPlace([...warnings, ...preflight(config, env)]);
    for (const notice of notices) out.stderr(`${formatNotice(notice)}\n`);
    for (const warning of all) out.stderr(`${formatWarning(warning)}\n`);
    if (args.strict && all.length > 0) {
      out.stderr(`vigil check: ${all.length} warning${all.length === 1 ? '' : 's'} (--strict); nothing would start\n`);
      return 2;
    }
    if (args.json) {
      out.stdout(`${JSON.stringify({ config: config.file, processes: allProcesses(config).map(processJson) }, null, 2)}\n`);
    } else out.stdout(table(config));
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      // Every problem and every warning, in file order, so one run shows all.
      const lines = sortByPlace<ConfigProblem | ConfigWarning>([...error.problems, ...error.warnings]).map((item) =>
        'value' in item ? formatProblem(item) : formatWarning(item),
      );
      for (const line of lines) out.stderr(`${line}\n`);
      const count = error.problems.length;
      out.stderr(`vigil check: ${count} problem${count === 1 ? '' : 's'}; nothing would start\n`);
      return 2;
    }
    if (error instanceof ConfigNotFoundError) {
      out.stderr(`vigil check: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

// By file (in the order first seen), then line; stable within a line.
function sortByPlace<T extends { file: string; line: number }>(items: T[]): T[] {
  const fileOrder = new Map<string, number>();
  for (const item of items) if (!fileOrder.has(item.file)) fileOrder.set(item.file, fileOrder.size);
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) =>
      (fileOrder.get(a.item.file) as number) - (fileOrder.get(b.item.file) as number) ||
      a.item.line - b.item.line ||
      a.index - b.index,
    )
    .map(({ item }) => item);
}
