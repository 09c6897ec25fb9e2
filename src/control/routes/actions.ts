// Endpoints that act on processes by name: start, stop, restart, signal, clear.
import { isRunningState, isSignallableState } from '../../model/index.ts';
import { fullName, resolveName, unknownNameMessage } from '../names.ts';
import type { ActionResult, ControlApi, ProcessInfo } from '../api.ts';
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

// Which members of a group (or of `all`) an action applies to, as
// supervisord's make_allfunc predicates: startProcessGroup skips running
// members, stopProcessGroup stopped ones, signalProcessGroup those without a
// live pid; they get no result line at all (supervisorctl prints nothing for
// them and its exit status is untouched). A single named process is always
// acted on, so it gets its ALREADY_STARTED / NOT_RUNNING answer.
export type GroupFilter = (info: ProcessInfo) => boolean;
export const GROUP_FILTERS = {
  start: (info: ProcessInfo) => !isRunningState(info.statename),
  stop: (info: ProcessInfo) => isRunningState(info.statename),
  signal: (info: ProcessInfo) => isSignallableState(info.statename),
  clear: () => true,
} as const satisfies Record<string, GroupFilter>;

function namesOneProcess(spec: string): boolean {
  return spec !== 'all' && !spec.endsWith(':') && !spec.endsWith(':*');
}

// Runs `action` name by name, as supervisorctl does; a group (or `all`) is
// acted on in parallel like supervisord's start/stopProcessGroup, stopping in
// reverse start order. Results are listed in supervisord's process order
// (priority, then name), whatever order the actions finished in. `all`
// anywhere means all, and only that.
async function actOnNames(
  api: ControlApi,
  names: readonly string[],
  action: PerProcess,
  order: 'start' | 'stop',
  filter: GroupFilter,
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
    const single = namesOneProcess(name) && matched.length === 1;
    const targets = single ? matched : matched.filter(filter);
    const acting = order === 'stop' ? [...targets].reverse() : targets;
    const settled = new Map<string, ActionResult>();
    await Promise.all(acting.map(async (info) => settled.set(fullName(info), await action(api, fullName(info)))));
    results.push(...answerOrder(targets.map((info) => settled.get(fullName(info)) as ActionResult)));
  }
  return { results, resolvedAny };
}

// supervisord's make_allfunc answers first what it decided at once (faults
// found before acting, starts with startsecs=0), then its deferred results
// as they complete: failed starts (crashed within startsecs) before those
// that waited out startsecs. Within each, process order. Stops all wait
// alike, so they keep process order.
const DEFERRED_FAULTS: ReadonlySet<string> = new Set(['SPAWN_ERROR', 'ABNORMAL_TERMINATION']);
function answerOrder(results: readonly ActionResult[]): ActionResult[] {
  const rank = (result: ActionResult): number => (result.ok ? (result.waited ? 2 : 0) : DEFERRED_FAULTS.has(result.fault) ? 1 : 0);
  return results.map((result, index) => ({ result, index })).sort((a, b) => rank(a.result) - rank(b.result) || a.index - b.index).map(({ result }) => result);
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
    return reply(await actOnNames(ctx.api, names, (api, name) => api.start(name), 'start', GROUP_FILTERS.start));
  },
};

export const stop: Route = {
  method: 'POST',
  handle: async (ctx) => {
    refuseWhenShuttingDown(ctx);
    const names = stringList(ctx.body, 'names', EXAMPLE);
    return reply(await actOnNames(ctx.api, names, (api, name) => api.stop(name), 'stop', GROUP_FILTERS.stop));
  },
};

// supervisorctl's restart is stop of every name, then start of every name.
export const restart: Route = {
  method: 'POST',
  handle: async (ctx) => {
    refuseWhenShuttingDown(ctx);
    const names = stringList(ctx.body, 'names', EXAMPLE);
    const stopped = await actOnNames(ctx.api, names, (api, name) => api.stop(name, { restarting: true }), 'stop', GROUP_FILTERS.stop);
    const started = await actOnNames(ctx.api, names, (api, name) => api.start(name), 'start', GROUP_FILTERS.start);
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
    return reply(await actOnNames(ctx.api, names, (api, name) => api.signal(name, sig), 'start', GROUP_FILTERS.signal));
  },
};

export const clear: Route = {
  method: 'POST',
  handle: async (ctx) => {
    refuseWhenShuttingDown(ctx);
    const names = stringList(ctx.body, 'names', EXAMPLE);
    return reply(await actOnNames(ctx.api, names, (api, name) => api.clear(name), 'start', GROUP_FILTERS.clear));
  },
};
