// ctl tail: `tail [-f] [-BYTES] NAME [stdout|stderr]` (supervisorctl do_tail).
import type { IncomingMessage } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import { NotVigilError, isSupervisordServer, openStream } from './client.ts';
import type { Stream } from './client.ts';
import type { CtlCommand } from './command.ts';
import { suggestNames } from './hints.ts';
import { EXIT, replyError } from './session.ts';
import type { Session } from './session.ts';

const HELP = [
  'tail [-f] <name> [stdout|stderr] (default stdout)',
  'Ex:',
  'tail -f <name>\t\tContinuous tail of named process stdout',
  '\t\t\tCtrl-C to exit.',
  'tail -100 <name>\tlast 100 *bytes* of process stdout',
  'tail <name> stderr\tlast 1600 *bytes* of process stderr',
];

function fail(session: Session, message: string, showHelp = false): void {
  session.output(message);
  session.exitStatus = EXIT.GENERIC;
  if (showHelp) HELP.forEach((line) => session.output(line));
}

// supervisorctl's messages for the faults of readProcessStdoutLog.
export async function tailError(session: Session, name: string, body: Record<string, unknown>, subject = name): Promise<void> {
  const error = replyError(body);
  const reason =
    error?.fault === 'BAD_NAME' ? 'no such process name' : error?.fault === 'NO_FILE' ? 'no log file' : error?.fault === 'FAILED' ? 'unknown error reading log' : (error?.message ?? 'unknown error');
  if (session.json) session.outputJson(body);
  else session.output(`${subject}: ERROR (${reason})`);
  session.exitStatus = EXIT.GENERIC;
  if (error?.fault === 'BAD_NAME') await suggestNames(session, [name]);
}

// supervisorctl's -N modifier: Python's int() of what follows the dash.
export function parseByteCount(what: string): number | undefined {
  const text = what.trim().replace(/_/g, '');
  return /^[+]?\d+$/.test(text) ? Number(text) : undefined;
}

export const tail: CtlCommand = {
  upcheck: true,
  help: HELP,
  async run(session, input) {
    const args = [...input];
    if (args.length < 1) return fail(session, 'Error: too few arguments', true);
    if (args.length > 3) return fail(session, 'Error: too many arguments', true);
    const modifier = args[0]?.startsWith('-') ? args.shift() : undefined;
    let name: string;
    let channel = 'stdout';
    if (args.length === 1) name = args[0] as string;
    else if (args.length > 1) {
      name = args[0] as string;
      channel = (args[args.length - 1] as string).toLowerCase();
      if (channel !== 'stdout' && channel !== 'stderr') return fail(session, `Error: bad channel '${channel}'`);
    } else return fail(session, 'Error: tail requires process name');
    let bytes: number | 'follow' = 1600;
    if (modifier !== undefined) {
      const what = modifier.slice(1);
      const count = parseByteCount(what);
      if (what === 'f') bytes = 'follow';
      else if (count !== undefined) bytes = count;
      else return fail(session, `Error: bad argument ${modifier}`);
    }
    const params = `name=${encodeURIComponent(name)}&channel=${channel}`;
    if (bytes === 'follow') return follow(session, `/tail?${params}&follow=1`, (body) => tailError(session, name, body));
    const reply = await session.call('GET', `/tail?${params}&bytes=${bytes}`);
    if (reply.status !== 200) return tailError(session, name, reply.body);
    if (session.json) session.outputJson(reply.body);
    else session.output(String(reply.body['data']));
  },
};

// Reads a non-200 answer of a stream request as JSON ({} when it is not).
async function errorBody(target: Session['target'], res: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of res as AsyncIterable<Buffer>) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    const server = res.headers['server'] as string | undefined;
    throw new NotVigilError(target.url, isSupervisordServer(server), `HTTP ${res.statusCode ?? 0}${server !== undefined ? ` from ${server}` : ''}`);
  }
}

// Opens a live stream; resolves to the response, or undefined after
// `onError` handled a refusal.
export async function openLive(session: Session, path: string, onError: (body: Record<string, unknown>) => Promise<void>): Promise<{ stream: Stream; res: IncomingMessage } | undefined> {
  const stream = openStream(session.target, path);
  const { status, res } = await stream.response;
  if (status === 200) return { stream, res };
  await onError(await errorBody(session.target, res));
  return undefined;
}

// Copies a live stream to stdout (as text, or {data} objects with --json)
// until it ends or `stop` is called; resolves then.
export function pipeLive(session: Session, live: { stream: Stream; res: IncomingMessage }): { done: Promise<void>; stop: () => void } {
  const decoder = new StringDecoder('utf8');
  const write = (text: string): void => {
    if (text === '') return;
    if (session.json) session.outputJson({ data: text });
    else session.io.stdout(text);
  };
  let stop: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      write(decoder.end());
      resolve();
    };
    stop = () => {
      live.stream.cancel();
      finish();
    };
    live.res.on('data', (chunk: Buffer) => write(decoder.write(chunk)));
    live.res.once('end', finish);
    live.res.once('error', finish);
    live.res.once('close', finish);
  });
  return { done, stop };
}

// tail -f / maintail -f: streams live output until the server ends it or the
// user presses Ctrl-C (then an empty line, as supervisorctl prints).
export async function follow(session: Session, path: string, onError: (body: Record<string, unknown>) => Promise<void>): Promise<void> {
  const live = await openLive(session, path, onError);
  if (!live) return;
  if (!session.json) session.output('==> Press Ctrl-C to exit <==');
  const piping = pipeLive(session, live);
  const onInterrupt = (): void => {
    if (!session.json) session.output('');
    piping.stop();
  };
  process.once('SIGINT', onInterrupt);
  await piping.done;
  process.off('SIGINT', onInterrupt);
}
