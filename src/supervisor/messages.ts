// supervisord 4.x's log and spawnerr texts, copied from supervisor/process.py
// and options.py so that people grepping logs for `gave up:` or `spawnerr:`
// find vigil's lines too. Pure string builders; machine.ts decides when.
import { exitDescription, normalSignalName } from '../model/index.ts';
import type { ExitStatus } from '../model/index.ts';

// A signal as the config or a client spelled it, as supervisord prints it.
const signalName = (signal: string): string => normalSignalName(signal) ?? signal;

// The last lines a child wrote before it exited (stderr, or stdout when stderr
// is redirected or empty), for the messages that say why it failed.
export interface LastOutput {
  readonly channel: 'stdout' | 'stderr';
  readonly lines: readonly string[];
}

// `stderr: "a\nb"`: the lines as one JSON string (quotes and control
// characters escaped), or '' when there are none.
export function outputDetail(output: LastOutput | undefined): string {
  if (output === undefined || output.lines.length === 0) return '';
  return `${output.channel}: ${JSON.stringify(output.lines.join('\n'))}`;
}

// The last `count` non-empty lines of `data`, each cut to `maxChars`.
export function lastLines(data: Buffer, count = 3, maxChars = 200): string[] {
  const lines = data
    .toString('utf8')
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line !== '');
  return lines.slice(-count).map((line) => (line.length > maxChars ? `${line.slice(0, maxChars)}...` : line));
}

// Python's repr() of a str, for messages built with %r.
export function pythonRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
  return quote === "'" ? `'${escaped.replace(/'/g, "\\'")}'` : `"${escaped}"`;
}

// Process lifecycle lines, in process.py order.
export const processMessages = {
  spawned: (name: string, pid: number): string => `spawned: '${name}' with pid ${pid}`,
  spawnerr: (message: string): string => `spawnerr: ${message}`,
  alreadyRunning: (name: string): string => `process '${name}' already running`,
  success: (name: string, startsecs: number): string =>
    `success: ${name} entered RUNNING state, process has stayed up for > than ${startsecs} seconds (startsecs)`,
  exited: (name: string, exit: ExitStatus, expected: boolean): string =>
    `exited: ${name} (${exitDescription(exit)}; ${expected ? 'expected' : 'not expected'})`,
  stopped: (name: string, exit: ExitStatus): string => `stopped: ${name} (${exitDescription(exit)})`,
  gaveUp: (name: string): string => `gave up: ${name} entered FATAL state, too many start retries too quickly`,
  waitingToStop: (name: string): string => `waiting for ${name} to stop`,
  killInBackoff: (name: string): string => `Attempted to kill ${name}, which is in BACKOFF state.`,
  killNotRunning: (name: string, signal: string): string =>
    `attempted to kill ${name} with sig ${signalName(signal)} but it wasn't running`,
  killing: (name: string, pid: number, toGroup: boolean, signal: string): string =>
    `killing ${name} (pid ${pid}) ${toGroup ? 'process group ' : ''}with signal ${signalName(signal)}`,
  killingWithSigkill: (name: string, pid: number): string => `killing '${name}' (${pid}) with SIGKILL`,
  killProblem: (name: string, pid: number, detail: string): string =>
    `unknown problem killing ${name} (${pid}):${detail}`,
  signalNotRunning: (name: string, signal: string): string =>
    `attempted to send ${name} sig ${signalName(signal)} but it wasn't running`,
  sending: (name: string, pid: number, signal: string): string =>
    `sending ${name} (pid ${pid}) sig ${signalName(signal)}`,
  signalProblem: (name: string, pid: number, detail: string): string =>
    `unknown problem sending sig ${name} (${pid}):${detail}`,
  unknownState: (name: string): string => `${name} is in an unknown process state`,
} as const;

// spawnerr texts (process.py spawn(), options.py check_execv_args()); the
// runner picks one and feeds it to the machine as `spawnFailed`.
export const spawnErrors = {
  exitedTooQuickly: 'Exited too quickly (process log may have details)',
  // vigil: says how it exited and its last output line (issue 10) instead of
  // pointing at a log that in a container is usually vigil's own stdout.
  exitedTooQuicklyWith: (exit: ExitStatus, output: LastOutput | undefined): string => {
    const last = output === undefined ? undefined : { ...output, lines: output.lines.slice(-1) };
    const detail = outputDetail(last);
    return `Exited too quickly (${exitDescription(exit)}${detail === '' ? '' : `; ${detail}`})`;
  },
  badExitCode: (status: number): string => `Bad exit code ${status}`,
  cantParseCommand: (command: string, reason: string): string =>
    `can't parse command ${pythonRepr(command)}: ${reason}`,
  commandEmpty: 'command is empty',
  cantFindCommand: (filename: string): string => `can't find command ${pythonRepr(filename)}`,
  isDirectory: (filename: string): string => `command at ${pythonRepr(filename)} is a directory`,
  notExecutable: (filename: string): string => `command at ${pythonRepr(filename)} is not executable`,
  noPermission: (filename: string): string => `no permission to run command ${pythonRepr(filename)}`,
  tooManyOpenFiles: (name: string): string => `too many open files to spawn '${name}'`,
  tooManyProcesses: (name: string): string => `Too many processes in process table to spawn '${name}'`,
  forkError: (name: string, errno: string): string => `unknown error during fork for '${name}': ${errno}`,
} as const;
