// GET /tail?name=&channel=&bytes=[&follow=1]: recent output of one process,
// or (follow=1) a chunked stream of its live output until the client leaves.
import { fullName, resolveName, unknownNameMessage } from '../names.ts';
import type { OutputChannel } from '../api.ts';
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

function parseBytes(value: string | null): number {
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
  const bytes = ctx.query.get('bytes');
  const backlog = api.tail(name, channel, bytes === null ? FOLLOW_BACKLOG_BYTES : parseBytes(bytes));
  const onData = (chunk: Buffer): void => {
    if (res.destroyed) return;
    // The supervisor must never wait on a ctl client: a reader that falls
    // this far behind is dropped rather than buffered without bound.
    if (res.writableLength > ctx.maxFollowBuffer) {
      logger.warn({ name }, 'control: dropping a tail -f client that does not keep up');
      res.destroy();
      return;
    }
    res.write(chunk);
  };
  // Subscribe before answering so no chunk falls between backlog and stream;
  // both calls are synchronous, so nothing can be emitted in between.
  const unsubscribe = api.follow(name, channel, onData);
  if (typeof unsubscribe !== 'function') return faultReply(unsubscribe.ok ? { name, ok: false, fault: 'FAILED', message: 'follow failed' } : unsubscribe);
  res.writeHead(200, {
    'Content-Type': 'application/octet-stream',
    'Cache-Control': 'no-store',
    'X-Accel-Buffering': 'no',
  });
  if (Buffer.isBuffer(backlog) && backlog.length > 0) res.write(backlog);
  // Live output may be silent for hours: the idle timeout does not apply.
  req.socket.setTimeout(0);
  state.follows.add(res);
  const stop = (): void => {
    state.follows.delete(res);
    unsubscribe();
  };
  res.once('close', stop);
  return 'streamed';
}
