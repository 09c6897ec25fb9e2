// GET /tail?name=&channel=&bytes=[&follow=1]: recent output of one process,
// or (follow=1) a chunked stream of its live output until the client leaves.
import { fullName, resolveName, unknownNameMessage } from '../names.ts';
import type { OutputChannel } from '../api.ts';
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

export function parseBytes(value: string | null): number {
  if (value === null) return DEFAULT_BYTES;
  const bytes = Number(value);
  if (!/^\d+$/.test(value) || bytes > MAX_BYTES) {
    throw new HttpFailure(400, 'BAD_ARGUMENTS', `bytes must be an integer from 0 to ${MAX_BYTES}, got '${value}'`);
  }
  return bytes;
}

// Tail reads one process: a name that stands for several is refused.
function resolveOne(ctx: RouteContext, name: string | null): string {
  if (name === null || name === '') throw new HttpFailure(400, 'BAD_ARGUMENTS', 'tail needs ?name=PROCESS');
  const matched = resolveName(ctx.api.processes(), name);
  if (!matched) throw new HttpFailure(404, 'BAD_NAME', unknownNameMessage(name));
  if (matched.length !== 1) {
    const names = matched.map(fullName).join(', ');
    throw new HttpFailure(400, 'BAD_ARGUMENTS', `'${name}' names ${matched.length} processes (${names}); tail one of them`);
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
  const { api, res, req, state, logger } = ctx;
  // Checked first: a name that vanished between resolve and here is a fault, not a stream.
  const probe = api.follow(name, channel, () => undefined);
  if (typeof probe !== 'function') return faultReply(probe.ok ? { name, ok: false, fault: 'FAILED', message: 'follow failed' } : probe);
  probe();
  const subscribe = (onData: (chunk: Buffer) => void): (() => void) => {
    const unsubscribe = api.follow(name, channel, onData);
    return typeof unsubscribe === 'function' ? unsubscribe : () => undefined;
  };
  const bytes = ctx.query.get('bytes');
  const backlogBytes = bytes === null ? FOLLOW_BACKLOG_BYTES : parseBytes(bytes);
  const backlog = (): Buffer => {
    const data = api.tail(name, channel, backlogBytes);
    return Buffer.isBuffer(data) ? data : Buffer.alloc(0);
  };
  const headers = { 'Content-Type': 'application/octet-stream' };
  streamFollow({ req, res, state, logger, maxBuffer: ctx.maxFollowBuffer, headers, what: name }, subscribe, backlog);
  return 'streamed';
}
