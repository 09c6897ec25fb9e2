// State of one `vigil ctl` run: where output goes and the exit status, which
// follows supervisorctl's rules (supervisorctl.py LSBInitExitStatuses,
// LSBStatusExitStatuses, set_exitstatus_from_xmlrpc_fault).
import type { FaultName } from '../control/api.ts';
import { callServer } from './client.ts';
import type { ServerReply } from './client.ts';
import type { ServerTarget } from './discover.ts';
import type { LineReader } from './line-reader.ts';

export const EXIT = {
  SUCCESS: 0,
  GENERIC: 1,
  INVALID_ARGS: 2,
  STATUS_NOT_RUNNING: 3, // LSBStatusExitStatuses.NOT_RUNNING
  STATUS_UNKNOWN: 4, // LSBStatusExitStatuses.UNKNOWN
  INSUFFICIENT_PRIVILEGES: 4, // upcheck: connection refused
  NOT_RUNNING: 7, // upcheck: no such socket file; dead-program faults
} as const;

// Faults after which the program is not running: exit 7.
const DEAD_PROGRAM_FAULTS: ReadonlySet<string> = new Set(['SPAWN_ERROR', 'ABNORMAL_TERMINATION', 'NOT_RUNNING']);

export interface CtlIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  // Lines typed by the user (fg, the interactive shell); process.stdin when absent.
  stdin?: NodeJS.ReadableStream;
}

export class Session {
  exitStatus: number = EXIT.SUCCESS;
  // The user's input lines, once the shell or `fg` has opened them.
  lines: LineReader | undefined;
  // True in the interactive shell: shutdown and reload ask first, as supervisorctl does.
  interactive = false;
  constructor(
    readonly io: CtlIo,
    public target: ServerTarget,
    readonly json: boolean,
  ) {}

  // supervisorctl's ctl.output: one line on stdout.
  output(line: string): void {
    this.io.stdout(`${line}\n`);
  }

  // vigil's own explanations (why a name or a socket failed) go to stderr, so
  // stdout stays exactly what supervisorctl prints for scripts that parse it.
  hint(text: string): void {
    if (!this.json) this.io.stderr(`vigil ctl: ${text}\n`);
  }

  outputJson(value: unknown): void {
    this.io.stdout(`${JSON.stringify(value)}\n`);
  }

  call(method: 'GET' | 'POST', path: string, body?: object): Promise<ServerReply> {
    return callServer(this.target, method, path, body);
  }

  // A reply no command-specific rule covered: supervisorctl's catch-all
  // ('error: ...', exit 1).
  unexpected(reply: ServerReply): void {
    const error = replyError(reply.body);
    if (this.json) this.outputJson(reply.body);
    else this.output(`error: ${error ? `${error.fault}: ${error.message}` : `HTTP ${reply.status}`}`);
    this.exitStatus = EXIT.GENERIC;
  }

  setExitFromFault(fault: FaultName | undefined, ignored?: FaultName): void {
    if (fault === undefined || fault === ignored) return;
    this.exitStatus = DEAD_PROGRAM_FAULTS.has(fault) ? EXIT.NOT_RUNNING : EXIT.GENERIC;
  }
}

// The error of a non-2xx reply, if the body has one.
export function replyError(body: Record<string, unknown>): { fault: string; message: string } | undefined {
  const error = body['error'];
  if (typeof error !== 'object' || error === null) return undefined;
  const { fault, message } = error as { fault?: unknown; message?: unknown };
  return { fault: typeof fault === 'string' ? fault : 'FAILED', message: typeof message === 'string' ? message : '' };
}
