// supervisord's log streams (supervisor/http.py logtail_handler and
// mainlogtail_handler), which `supervisorctl tail -f`, `fg` and `maintail -f`
// read: GET /logtail/NAME[/stdout|stderr] and GET /mainlogtail, chunked, the
// last 1 KiB and then live output. vigil streams a process's ring buffer, so
// this works whatever its log destination (supervisord needs a log file).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../log/logger.ts';
import type { ControlApi, OutputChannel } from '../api.ts';
import { streamFollow } from '../follow-stream.ts';
import { splitNamespec } from '../names.ts';
import type { ServerState } from '../routes/context.ts';
import { sendHtmlError } from './http.ts';

const BACKLOG_BYTES = 1024; // http.py: tail_f_producer(request, logfile, 1024)
const HEADERS = { 'Content-Type': 'text/plain;charset=utf-8' };

export interface LogtailDeps {
  api: ControlApi;
  logger: Logger;
  state: ServerState;
  maxFollowBuffer: number;
}

export function isLogtailPath(pathname: string): boolean {
  return pathname.startsWith('/logtail') || pathname.startsWith('/mainlogtail');
}

// `/logtail/web:web_00/stderr` -> the process and channel, or undefined (404).
function target(api: ControlApi, pathname: string): { fullName: string; channel: OutputChannel } | undefined {
  let path: string;
  try {
    path = decodeURIComponent(pathname).replace(/^\/+/, '');
  } catch {
    return undefined;
  }
  const [, rest] = path.split(/\/(.*)/s);
  if (!rest) return undefined;
  const slash = rest.indexOf('/');
  const spec = slash === -1 ? rest : rest.slice(0, slash);
  const channel = slash === -1 ? 'stdout' : rest.slice(slash + 1);
  if (channel !== 'stdout' && channel !== 'stderr') return undefined;
  const { group, process } = splitNamespec(spec);
  const info = api.processes().find((p) => p.group === group && p.name === process);
  return info ? { fullName: `${info.group}:${info.name}`, channel } : undefined;
}

export function handleLogtail(req: IncomingMessage, res: ServerResponse, pathname: string, deps: LogtailDeps): void {
  req.resume();
  if (req.method !== 'GET') return sendHtmlError(res, 400);
  const { api } = deps;
  const stream = { req, res, state: deps.state, logger: deps.logger, maxBuffer: deps.maxFollowBuffer, headers: HEADERS, what: pathname };
  if (pathname.startsWith('/mainlogtail')) {
    streamFollow(stream, (onData) => api.followMainLog(onData), () => {
      try {
        const reader = api.mainLogReader();
        return reader.read(Math.max(0, reader.size() - BACKLOG_BYTES), 0);
      } catch {
        return Buffer.alloc(0); // the logfile was removed (clearLog): live lines only
      }
    });
    return;
  }
  const found = target(api, pathname);
  if (!found) return sendHtmlError(res, 404);
  const { fullName, channel } = found;
  const follow = (onData: (chunk: Buffer) => void): (() => void) => {
    const unsubscribe = api.follow(fullName, channel, onData);
    return typeof unsubscribe === 'function' ? unsubscribe : () => undefined;
  };
  streamFollow(stream, follow, () => {
    const backlog = api.tail(fullName, channel, BACKLOG_BYTES);
    return Buffer.isBuffer(backlog) ? backlog : Buffer.alloc(0);
  });
}
