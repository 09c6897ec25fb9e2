// One supervisorctl command line, as its Controller.onecmd runs it: the
// command's handler, `help`, or "*** Unknown syntax"; connection and
// protocol failures turned into supervisorctl's lines and exit codes, with
// vigil's explanation on stderr.
import { VigilError } from '../errors.ts';
import { AuthRequiredError, NotVigilError, ServerUnreachableError } from './client.ts';
import { COMMANDS } from './commands.ts';
import { explainUnreachable } from './hints.ts';
import { EXIT } from './session.ts';
import type { Session } from './session.ts';

// cmd.Cmd's print_topics for supervisorctl's command set (which vigil ctl has).
const HELP_TABLE = [
  '',
  'default commands (type help <topic>):',
  '=====================================',
  'add    exit      open  reload  restart   start   tail   ',
  'avail  fg        pid   remove  shutdown  status  update ',
  'clear  maintail  quit  reread  signal    stop    version',
  '',
];

// Topics that are not commands of their own here.
const OTHER_HELP: ReadonlyMap<string, readonly string[]> = new Map([
  ['help', ['help\t\tPrint a list of available actions', 'help <action>\tPrint help for <action>']],
  ['quit', ['quit\tExit the supervisor shell.']],
  ['exit', ['exit\tExit the supervisor shell.']],
]);

function help(session: Session, topic: string | undefined): void {
  if (topic === undefined) return HELP_TABLE.forEach((line) => session.output(line));
  const other = OTHER_HELP.get(topic);
  if (other) return other.forEach((line) => session.output(line));
  const command = COMMANDS.get(topic);
  // supervisorctl: unknown topics say so and exit 0.
  if (!command) return session.output(`*** No help on ${topic}`);
  command.help.forEach((line) => session.output(line));
}

// Runs one command line (already split into words). Returns true when the
// shell should end (quit, exit, EOF).
export async function executeLine(session: Session, words: readonly string[]): Promise<boolean> {
  const [name, ...args] = words;
  if (name === undefined) return false;
  if (name === 'help') {
    help(session, args[0]);
    return false;
  }
  if (name === 'quit' || name === 'exit' || name === 'EOF') {
    session.output('');
    return true;
  }
  const command = COMMANDS.get(name);
  if (!command) {
    session.output(`*** Unknown syntax: ${words.join(' ')}`);
    session.exitStatus = EXIT.GENERIC;
    return false;
  }
  try {
    await command.run(session, args);
  } catch (error) {
    failed(session, name, command.upcheck, error);
  }
  return false;
}

function report(session: Session, fault: string, message: string, code?: string): void {
  if (session.json) session.outputJson({ error: { fault, message, ...(code ? { code } : {}) } });
  else session.output(message);
}

function failed(session: Session, name: string, upcheck: boolean, error: unknown): void {
  if (error instanceof AuthRequiredError) {
    report(session, 'UNAUTHORIZED', 'Server requires authentication');
    session.exitStatus = EXIT.GENERIC;
  } else if (error instanceof ServerUnreachableError) {
    session.exitStatus = unreachable(session, name, upcheck, error.code);
    explainUnreachable(session, error.code);
  } else if (error instanceof NotVigilError) {
    const what = error.isSupervisord ? 'supervisord, not vigil' : 'not vigil';
    report(session, 'NOT_VIGIL', `error: ${error.url} is ${what} (${error.message})`);
    session.hint(
      error.isSupervisord
        ? `this is supervisord, not vigil: use supervisorctl for it, or point vigil ctl at vigil's socket with -c FILE or -s unix:///path`
        : `the server at ${error.url} does not speak vigil's control protocol; point vigil ctl at vigil's socket with -c FILE or -s unix:///path`,
    );
    session.exitStatus = EXIT.GENERIC;
  } else if (error instanceof VigilError) {
    // e.g. a server URL that is neither unix:// nor http://
    report(session, error.code, `error: ${error.message}`);
    session.exitStatus = EXIT.GENERIC;
  } else throw error;
}

// supervisorctl's upcheck() messages and codes (refused: 4, no socket file: 7);
// commands it runs without an upcheck fail with `error: ...` and 1; status
// exits 4 when the server cannot be reached. Other errnos (EACCES) are an
// exception in supervisorctl: `error: ...`, exit 1.
function unreachable(session: Session, name: string, upcheck: boolean, code: string): number {
  const url = session.target.url;
  const what = code === 'ECONNREFUSED' ? 'refused connection' : code === 'ENOENT' ? 'no such file' : undefined;
  if (what === undefined) {
    report(session, 'UNREACHABLE', `error: ${url}: ${code === 'EACCES' ? 'permission denied' : code}`, code);
    return EXIT.GENERIC;
  }
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
  return EXIT.NOT_RUNNING;
}
