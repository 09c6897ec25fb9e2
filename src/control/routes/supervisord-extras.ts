// The JSON face of what supervisorctl has and the other endpoints did not:
// maintail (vigil's own log), fg (stdin), add and remove (process groups).
// Same ControlApi calls as the XML-RPC methods, so both faces agree.
import { streamFollow } from '../follow-stream.ts';
import { HttpFailure, stringList } from '../http-io.ts';
import { resolveName, unknownNameMessage } from '../names.ts';
import { faultReply, refuseWhenShuttingDown } from './context.ts';
import type { Route } from './context.ts';
import { parseBytes } from './tail.ts';

const FOLLOW_BACKLOG_BYTES = 1024;

// GET /maintail?bytes=1600[&follow=1]: the last bytes of vigil's own log
// ({ok, data}), or with follow=1 a chunked stream of it.
export const maintail: Route = {
  method: 'GET',
  handle: (ctx) => {
    const { api, query } = ctx;
    const follow = query.get('follow');
    const readTail = (bytes: number): Buffer => {
      try {
        const reader = api.mainLogReader();
        return reader.read(Math.max(0, reader.size() - bytes), 0);
      } catch {
        return Buffer.alloc(0); // the logfile was just removed (clearLog)
      }
    };
    if (follow === '1' || follow === 'true') {
      const headers = { 'Content-Type': 'application/octet-stream' };
      streamFollow({ req: ctx.req, res: ctx.res, state: ctx.state, logger: ctx.logger, maxBuffer: ctx.maxFollowBuffer, headers, what: 'maintail' }, (onData) => api.followMainLog(onData), () => readTail(FOLLOW_BACKLOG_BYTES));
      return 'streamed';
    }
    return { status: 200, body: { ok: true, data: readTail(parseBytes(query.get('bytes'))).toString('utf8') } };
  },
};

// POST /stdin {"name": "web", "data": "text"}: writes to one running process's stdin (fg).
export const stdin: Route = {
  method: 'POST',
  handle: (ctx) => {
    refuseWhenShuttingDown(ctx);
    const { name, data } = ctx.body;
    if (typeof name !== 'string' || typeof data !== 'string') {
      throw new HttpFailure(400, 'BAD_ARGUMENTS', 'stdin needs {"name": "PROCESS", "data": "text"}');
    }
    const matched = resolveName(ctx.api.processes(), name);
    if (!matched) throw new HttpFailure(404, 'BAD_NAME', unknownNameMessage(name));
    if (matched.length !== 1) throw new HttpFailure(400, 'BAD_ARGUMENTS', `'${name}' names ${matched.length} processes; fg takes one`);
    const [info] = matched as [(typeof matched)[number]];
    const result = ctx.api.sendStdin(`${info.group}:${info.name}`, Buffer.from(data, 'utf8'));
    return result.ok ? { status: 200, body: { ok: true } } : faultReply(result);
  },
};

// POST /add {"groups": [...]} and /remove: supervisorctl add/remove, group by
// group; per-group results as the other action endpoints give them.
function groupAction(act: 'addGroup' | 'removeGroup'): Route {
  return {
    method: 'POST',
    handle: (ctx) => {
      refuseWhenShuttingDown(ctx);
      const groups = stringList(ctx.body, 'groups', '{"groups":["web"]}');
      return { status: 200, body: { ok: true, results: groups.map((group) => ctx.api[act](group)) } };
    },
  };
}

export const add = groupAction('addGroup');
export const remove = groupAction('removeGroup');
