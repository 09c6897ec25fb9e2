// Endpoints for the supervisorctl commands beyond process actions: add and
// remove (activate / drop a config group), stdin (fg), maintail (vigil's
// own log). Thin faces over ControlApi, with supervisord's faults.
import type { ActionResult } from '../api.ts';
import { HttpFailure, stringList } from '../http-io.ts';
import { faultReply, refuseWhenShuttingDown } from './context.ts';
import type { Reply, Route, RouteContext } from './context.ts';
import { parseBytes, streamChunks } from './tail.ts';

const FOLLOW_BACKLOG_BYTES = 1024;

// One result per group name, in the order given (supervisorctl do_add/do_remove).
function perGroup(ctx: RouteContext, act: (name: string) => ActionResult): Reply {
  refuseWhenShuttingDown(ctx);
  const names = stringList(ctx.body, 'names', '{"names":["web"]}');
  return { status: 200, body: { ok: true, results: names.map(act) } };
}

// POST /add {"names": [...]}: supervisord addProcessGroup for each.
export const add: Route = {
  method: 'POST',
  handle: (ctx) => perGroup(ctx, (name) => ctx.api.addGroup(name)),
};

// POST /remove {"names": [...]}: supervisord removeProcessGroup for each.
export const remove: Route = {
  method: 'POST',
  handle: (ctx) => perGroup(ctx, (name) => ctx.api.removeGroup(name)),
};

// POST /stdin {"name": "web", "data": "text"}: supervisord sendProcessStdin.
export const stdin: Route = {
  method: 'POST',
  handle: (ctx) => {
    const { name, data } = ctx.body;
    if (typeof name !== 'string' || name === '' || typeof data !== 'string') {
      throw new HttpFailure(400, 'INCORRECT_PARAMETERS', '"name" and "data" must be strings, e.g. {"name":"web","data":"hello\\n"}');
    }
    const result = ctx.api.sendStdin(name.includes(':') ? name : `${name}:${name}`, Buffer.from(data, 'utf8'));
    return result.ok ? { status: 200, body: { ok: true } } : faultReply({ ...result, name });
  },
};

// GET /maintail?bytes=N[&follow=1]: vigil's own log, recent or live.
export const maintail: Route = {
  method: 'GET',
  handle: (ctx) => {
    const follow = ctx.query.get('follow');
    if (follow === '1' || follow === 'true') {
      streamChunks(ctx, 'vigil', ctx.api.mainLogTail(FOLLOW_BACKLOG_BYTES), (onData) => ctx.api.followMainLog(onData));
      return 'streamed';
    }
    const data = ctx.api.mainLogTail(parseBytes(ctx.query.get('bytes')));
    return { status: 200, body: { ok: true, name: 'vigil', channel: 'stdout', data: data.toString('utf8') } };
  },
};
