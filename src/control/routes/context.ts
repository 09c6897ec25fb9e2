// What every endpoint handler gets, and what it returns.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../log/logger.ts';
import type { ActionResult, ControlApi, FaultName } from '../api.ts';
import { HttpFailure } from '../http-io.ts';
import type { ResponseBody } from '../protocol.ts';
import type { StatusFeed } from '../web/events.ts';

export interface ServerState {
  // Open `tail?follow=1` streams, ended when the server closes.
  follows: Set<ServerResponse>;
  // The web page's push stream (GET /events).
  feed: StatusFeed;
}

export interface RouteContext {
  api: ControlApi;
  logger: Logger;
  state: ServerState;
  query: URLSearchParams;
  body: Record<string, unknown>; // {} for GET
  req: IncomingMessage;
  res: ServerResponse;
  maxFollowBuffer: number;
}

// `streamed`: the handler wrote the response itself (tail -f).
export type Reply = { status: number; body: ResponseBody } | 'streamed';

export interface Route {
  method: 'GET' | 'POST';
  handle(ctx: RouteContext): Reply | Promise<Reply>;
}

// SHUTDOWN_STATE once shutdown has begun; the supervisor is the one place
// that knows (SIGTERM, a critical exit and ctl shutdown all go through it).
export function refuseWhenShuttingDown(ctx: RouteContext): void {
  if (ctx.api.isShuttingDown()) throw new HttpFailure(503, 'SHUTDOWN_STATE', 'vigil is shutting down');
}

// HTTP status for a whole-request fault.
export function faultStatus(fault: FaultName): number {
  switch (fault) {
    case 'BAD_NAME':
    case 'NO_FILE':
      return 404;
    case 'BAD_ARGUMENTS':
    case 'BAD_SIGNAL':
      return 400;
    case 'NOT_RUNNING':
    case 'ALREADY_STARTED':
    case 'STILL_RUNNING':
      return 409;
    case 'CANT_REREAD':
      return 422;
    case 'SHUTDOWN_STATE':
      return 503;
    default:
      return 500;
  }
}

export function faultReply(result: Extract<ActionResult, { ok: false }>): Reply {
  return { status: faultStatus(result.fault), body: { error: { fault: result.fault, message: result.message } } };
}

// 404 BAD_NAME when not one of the names asked for matched a process; when
// some did, the endpoint answers 200 and lists the others (supervisorctl acts
// on the good names and reports the bad ones).
export function noneResolved(missing: readonly { message: string }[]): Reply {
  const message = missing.map((entry) => entry.message).join('; ');
  return { status: 404, body: { error: { fault: 'BAD_NAME', message } } };
}
