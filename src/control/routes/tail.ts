// GET /tail?name=&channel=&bytes=[&follow=1]: recent output of one process,
// or (follow=1) a chunked stream of its live output until the client leaves.
import { fullName, resolveName, unknownNameMessage } from '../names.ts';
import type { ActionResult, OutputChannel } from '../api.ts';
import { streamFollow } from '../follow-stream.ts';
import { HttpFailure } from '../http-io.ts';
import { faultReply } from './context.ts';
import type { Route, RouteContext } from './context.ts';

const DEFAULT_BYTES = 1600; // supervisorctl tail's default
const FOLLOW_BACKLOG_BYTES = 1024; // supervisord's tail_f_producer starts this far back
const MAX_BYTES = 1024 * 1024;

function parseChannel(value: string | null): OutputChannel {
  if (value === null || value === 'stdout') return 'stdout';
  if (value === 'stderr') return 'stderr';
  throw new HttpFailure(400, 'BAD_ARGUMENTS', `channel must be stdout or stderr, got '${value}'`);
}

// Any size is accepted, as supervisord's readProcessStdoutLog does (a tail
// of more than there is returns what there is); at most 1 MiB is sent.
export function parseBytes(value: string | null): number {
  if (value === null) return DEFAULT_BYTES;
  if (!/^\d+$/.test(value)) throw new HttpFailure(400, 'BAD_ARGUMENTS', `bytes must be a non-negative integer, got '${value}'`);
  return Math.min(Number(value), MAX_BYTES);
}

// Tail reads one process: a name that stands for several is refused.
function resolveOne(ctx: RouteContext, name: string | null): string {
  if (name === null || name === '') throw new HttpFailure(400, 'BAD_ARGUMENTS', 'tail needs ?name=PROCESS');
  const matched = resolveName(ctx.api.processes(), name);
  if (!matched) throw new HttpFailure(404, 'BAD_NAME', unknownNameMessage(name));
  // A group is no process name to supervisord's readProcessStdoutLog either.
  if (matched.length !== 1 || name.endsWith(':') || name.endsWith(':*') || name === 'all') {
    const names = matched.map(fullName).join(', ');
    throw new HttpFailure(404, 'BAD_NAME', `'${name}' names ${matched.length === 1 ? 'a group' : `${matched.length} processes`} (${names}); tail one of them`);
  }
  return fullName(matched[0] as (typeof matched)[number]);
}

export const tail: Route = {
  method: 'GET',
  handle: (ctx) => {
    const { query } = ctx;
    const name = resolveOne(ctx, query.get('name'));
    const channel = parseChannel(query.get('channel'));
    const follow = query.get('follow');
    if (follow === '1' || follow === 'true') return followOutput(ctx, name, channel);
    const output = ctx.api.tail(name, channel, parseBytes(query.get('bytes')));
    if (!Buffer.isBuffer(output)) return output.ok ? { status: 200, body: { ok: true, name, channel, data: '' } } : faultReply(output);
    return { status: 200, body: { ok: true, name, channel, data: output.toString('utf8') } };
  },
};

function followOutput(ctx: RouteContext, name: string, channel: OutputChannel): 'streamed' | ReturnType<typeof faultReply> {
  const { api } = ctx;
  const bytes = ctx.query.get('bytes');
  const backlog = api.tail(name, channel, bytes === null ? FOLLOW_BACKLOG_BYTES : parseBytes(bytes));
  const failed = streamChunks(ctx, name, Buffer.isBuffer(backlog) ? backlog : Buffer.alloc(0), (onData) => api.follow(name, channel, onData));
  if (failed) return faultReply(failed.ok ? { name, ok: false, fault: 'FAILED', message: 'follow failed' } : failed);
  return 'streamed';
}

// Answers with a chunked stream: `backlog`, then every chunk `subscribe`
// delivers, until the client leaves or the server closes. Returns the
// subscription's failure, if it failed (then nothing was written).
export function streamChunks(
  ctx: RouteContext,
  what: string,
  backlog: Buffer,
  subscribe: (onData: (chunk: Buffer) => void) => (() => void) | ActionResult,
): ActionResult | undefined {
  const stream = { req: ctx.req, res: ctx.res, state: ctx.state, logger: ctx.logger, maxBuffer: ctx.maxFollowBuffer, what };
  return streamFollow({ ...stream, headers: { 'Content-Type': 'application/octet-stream' } }, subscribe, () => backlog);
}
