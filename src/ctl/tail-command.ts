// ctl tail: `tail [-f] [-BYTES] NAME [stdout|stderr]` (supervisorctl do_tail).
import { StringDecoder } from 'node:string_decoder';
import { openStream } from './client.ts';
import type { CtlCommand } from './command.ts';
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
function tailError(session: Session, name: string, body: Record<string, unknown>): void {
  const error = replyError(body);
  const reason =
    error?.fault === 'BAD_NAME' ? 'no such process name' : error?.fault === 'NO_FILE' ? 'no log file' : error?.fault === 'FAILED' ? 'unknown error reading log' : (error?.message ?? 'unknown error');
  if (session.json) session.outputJson(body);
  else session.output(`${name}: ERROR (${reason})`);
  session.exitStatus = EXIT.GENERIC;
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
      if (what === 'f') bytes = 'follow';
      else if (/^\d+$/.test(what)) bytes = Number(what);
      else return fail(session, `Error: bad argument ${modifier}`);
    }
    const params = `name=${encodeURIComponent(name)}&channel=${channel}`;
    if (bytes === 'follow') return follow(session, name, `/tail?${params}&follow=1`);
    const reply = await session.call('GET', `/tail?${params}&bytes=${bytes}`);
    if (reply.status !== 200) return tailError(session, name, reply.body);
    if (session.json) session.outputJson(reply.body);
    else session.output(String(reply.body['data']));
  },
};

// Streams live output until the server ends it or the user presses Ctrl-C.
async function follow(session: Session, name: string, path: string): Promise<void> {
  const stream = openStream(session.target, path);
  const { status, res } = await stream.response;
  if (status !== 200) {
    const chunks: Buffer[] = [];
    for await (const chunk of res as AsyncIterable<Buffer>) chunks.push(chunk);
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    } catch {
      // a non-JSON error: reported as unknown below
    }
    return tailError(session, name, body);
  }
  if (!session.json) session.output('==> Press Ctrl-C to exit <==');
  const decoder = new StringDecoder('utf8');
  const write = (text: string): void => {
    if (text === '') return;
    if (session.json) session.outputJson({ data: text });
    else session.io.stdout(text);
  };
  await new Promise<void>((resolve) => {
    const onInterrupt = (): void => {
      if (!session.json) session.output('');
      stream.cancel();
      finish();
    };
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      process.off('SIGINT', onInterrupt);
      write(decoder.end());
      resolve();
    };
    process.once('SIGINT', onInterrupt);
    res.on('data', (chunk: Buffer) => write(decoder.write(chunk)));
    res.once('end', finish);
    res.once('error', finish);
    res.once('close', finish);
  });
}
