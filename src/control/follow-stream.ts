// A chunked HTTP answer that sends a backlog, then live output until the
// client leaves: `GET /tail?follow=1` and supervisord's /logtail and
// /mainlogtail. The supervisor never waits on a reader: one that falls too
// far behind is disconnected.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../log/logger.ts';
import type { ActionResult } from './api.ts';
import type { ServerState } from './routes/context.ts';

export interface FollowStream {
  req: IncomingMessage;
  res: ServerResponse;
  state: ServerState;
  logger: Logger;
  maxBuffer: number;
  headers: Record<string, string>;
  what: string; // for the log line when a reader is dropped
}

// `subscribe` must be called before the backlog is read, in the same tick,
// so no chunk falls between the two; pass the backlog as a thunk. A
// subscription that fails returns its ActionResult, which is returned here
// (then nothing was written).
export function streamFollow(
  stream: FollowStream,
  subscribe: (onData: (chunk: Buffer) => void) => (() => void) | ActionResult,
  backlog: () => Buffer,
): ActionResult | undefined {
  const { req, res, state, logger } = stream;
  const onData = (chunk: Buffer): void => {
    if (res.destroyed) return;
    // The supervisor must never wait on a reader: one that falls this far
    // behind is dropped rather than buffered without bound.
    if (res.writableLength > stream.maxBuffer) {
      logger.warn({ name: stream.what }, 'control: dropping a tail -f client that does not keep up');
      res.destroy();
      return;
    }
    res.write(chunk);
  };
  const unsubscribe = subscribe(onData);
  if (typeof unsubscribe !== 'function') return unsubscribe;
  const head = backlog();
  res.writeHead(200, { 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no', ...stream.headers });
  // The head goes out now, not with the first chunk: a client waits for it
  // before it shows anything (fg opens stdout and stderr, often both silent).
  res.flushHeaders();
  if (head.length > 0) res.write(head);
  // Live output may be silent for hours: the idle timeout does not apply.
  req.socket.setTimeout(0);
  state.follows.add(res);
  res.once('close', () => {
    state.follows.delete(res);
    unsubscribe();
  });
  return undefined;
}
