// Endpoints that act on processes by name: start, stop, restart, signal, clear.
import { fullName, resolveName, unknownNameMessage } from '../names.ts';
import type { ActionResult, ControlApi } from '../api.ts';
import { HttpFailure, stringList } from '../http-io.ts';
import { noneResolved, refuseWhenShuttingDown } from './context.ts';
import type { Reply, Route } from './context.ts';

interface Outcome {
  results: ActionResult[];
  resolvedAny: boolean;
}

type PerProcess = (api: ControlApi, fullName: string) => ActionResult | Promise<ActionResult>;

function badName(name: string): ActionResult {
  return { name, ok: false, fault: 'BAD_NAME', message: unknownNameMessage(name) };
}

// Runs `action` name by name, as supervisorctl does; a group (or `all`) is
// acted on in parallel like supervisord's start/stopProcessGroup, stopping in
// reverse start order. `all` anywhere means all, and only that.
async function actOnNames(
  api: ControlApi,
  names: readonly string[],
  action: PerProcess,
  order: 'start' | 'stop',
): Promise<Outcome> {
  const results: ActionResult[] = [];
  let resolvedAny = false;
  for (const name of names.includes('all') ? ['all'] : names) {
    const matched = resolveName(api.processes(), name);
    if (!matched) {
      results.push(badName(name));
      continue;
    }
    resolvedAny = true;
    const targets = order === 'stop' && matched.length > 1 ? [...matched].reverse() : matched;
    const settled = await Promise.all(targets.map((info) => action(api, fullName(info))));
    results.push(...settled);
  }
  return { results, resolvedAny };
}

function reply({ results, resolvedAny }: Outcome): Reply {
  if (!resolvedAny) return noneResolved(results.flatMap((result) => (result.ok ? [] : [result])));
  return { status: 200, body: { ok: true, results } };
}


const EXAMPLE = '{"names":["web","worker:*"]}';

export const start: Route = {
  method: 'POST',
  handle: async (ctx) => {
    refuseWhenShuttingDown(ctx);
    const names = stringList(ctx.body, 'names', EXAMPLE);
    return reply(await actOnNames(ctx.api, names, (api, name) => api.start(name), 'start'));
  },
};

export const stop: Route = {
  method: 'POST',
  handle: async (ctx) => {
    refuseWhenShuttingDown(ctx);
    const names = stringList(ctx.body, 'names', EXAMPLE);
    return reply(await actOnNames(ctx.api, names, (api, name) => api.stop(name), 'stop'));
  },
};

// supervisorctl's restart is stop of every name, then start of every name.
export const restart: Route = {
  method: 'POST',
  handle: async (ctx) => {
    refuseWhenShuttingDown(ctx);
    const names = stringList(ctx.body, 'names', EXAMPLE);
    const stopped = await actOnNames(ctx.api, names, (api, name) => api.stop(name), 'stop');
    const started = await actOnNames(ctx.api, names, (api, name) => api.start(name), 'start');
    if (!stopped.resolvedAny) return reply(stopped);
    return { status: 200, body: { ok: true, stopped: stopped.results, started: started.results } };
  },
};

export const signal: Route = {
  method: 'POST',
  handle: async (ctx) => {
    refuseWhenShuttingDown(ctx);
    const sig = ctx.body['signal'];
    if (typeof sig !== 'string' || !/^[A-Za-z0-9+]{1,16}$/.test(sig)) {
      throw new HttpFailure(400, 'BAD_SIGNAL', `"signal" must be a signal name or number such as "HUP" or "SIGUSR1", got ${JSON.stringify(sig)}`);
    }
    const names = stringList(ctx.body, 'names', '{"signal":"HUP","names":["web"]}');
    return reply(await actOnNames(ctx.api, names, (api, name) => api.signal(name, sig), 'start'));
  },
};

export const clear: Route = {
  method: 'POST',
  handle: async (ctx) => {
    refuseWhenShuttingDown(ctx);
    const names = stringList(ctx.body, 'names', EXAMPLE);
    return reply(await actOnNames(ctx.api, names, (api, name) => api.clear(name), 'start'));
  },
};
