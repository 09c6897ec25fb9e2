// Endpoints for the configuration and the supervisor itself: reread, update,
// reload, shutdown.
import { ConfigError } from '../../config/errors.ts';
import { ShuttingDownError } from '../../supervisor/config-reload.ts';
import { HttpFailure } from '../http-io.ts';
import type { UnknownName } from '../protocol.ts';
import { refuseWhenShuttingDown } from './context.ts';
import type { Route, RouteContext } from './context.ts';

// A config that does not parse is the caller's problem (CANT_REREAD, with every
// error the parser found; nothing changed); shutdown having begun is
// SHUTDOWN_STATE; anything else is a bug and becomes a 500.
function configFailure(error: unknown): unknown {
  if (error instanceof ConfigError) return new HttpFailure(422, 'CANT_REREAD', error.message);
  if (error instanceof ShuttingDownError) return new HttpFailure(503, 'SHUTDOWN_STATE', error.message);
  return error;
}

async function guarded<T>(act: () => T | Promise<T>): Promise<T> {
  try {
    return await act();
  } catch (error) {
    throw configFailure(error);
  }
}

function reread(ctx: RouteContext): ReturnType<RouteContext['api']['reread']> {
  try {
    return ctx.api.reread();
  } catch (error) {
    throw configFailure(error);
  }
}

export const rereadRoute: Route = {
  method: 'POST',
  handle: (ctx) => {
    refuseWhenShuttingDown(ctx);
    return { status: 200, body: { ok: true, changes: reread(ctx) } };
  },
};

// POST /update [{groups:[...]}]: supervisorctl update; unknown groups are
// reported and the known ones still updated.
export const update: Route = {
  method: 'POST',
  handle: async (ctx) => {
    refuseWhenShuttingDown(ctx);
    const groups = ctx.body['groups'];
    if (groups !== undefined && (!Array.isArray(groups) || !groups.every((g) => typeof g === 'string'))) {
      throw new HttpFailure(400, 'BAD_ARGUMENTS', '"groups" must be an array of group names, e.g. {"groups":["web"]}');
    }
    const wanted = (groups as string[] | undefined)?.filter((g) => g !== 'all') ?? [];
    if (wanted.length === 0) return { status: 200, body: { ok: true, changes: await guarded(() => ctx.api.update()) } };
    // New groups are not in processes() yet: a reread shows them as added.
    const known = new Set([...ctx.api.processes().map((info) => info.group), ...reread(ctx).added]);
    const unknown: UnknownName[] = wanted
      .filter((g) => !known.has(g))
      .map((g) => ({ name: g, fault: 'BAD_NAME', message: `no such group: ${g}` }));
    const valid = wanted.filter((g) => known.has(g));
    if (valid.length === 0) return { status: 404, body: { error: { fault: 'BAD_NAME', message: unknown.map((u) => u.message).join('; ') } } };
    return { status: 200, body: { ok: true, changes: await guarded(() => ctx.api.update(valid)), unknown } };
  },
};

// reload and shutdown answer first and act once the answer is on its way:
// acting first could close this very connection before the reply is sent.
function afterReply(ctx: RouteContext, what: string, act: () => void): void {
  ctx.res.once('finish', () => {
    try {
      act();
    } catch (error) {
      ctx.logger.error({ err: error }, `control: ${what} failed`);
    }
  });
}

export const reload: Route = {
  method: 'POST',
  handle: (ctx) => {
    refuseWhenShuttingDown(ctx);
    let restart: () => void;
    try {
      restart = ctx.api.reload();
    } catch (error) {
      throw configFailure(error);
    }
    afterReply(ctx, 'reload', restart);
    return { status: 200, body: { ok: true } };
  },
};

export const shutdown: Route = {
  method: 'POST',
  handle: (ctx) => {
    refuseWhenShuttingDown(ctx);
    afterReply(ctx, 'shutdown', () => ctx.api.shutdown());
    return { status: 200, body: { ok: true } };
  },
};
