// GET /events: the web page's push stream (server-sent events). One feed per
// server listens to the supervisor's change notifications while at least one
// page is open, coalesces bursts (a `stop all` of 100 programs is hundreds of
// transitions) into one message per interval, and sends each page only what
// changed. Pages never poll.
import type { ServerResponse } from 'node:http';
import type { ControlApi, ProcessInfo } from '../api.ts';
import type { ChangesEvent, StatusEvent } from '../protocol.ts';
import type { Logger } from '../../log/logger.ts';
import { lexical } from '../routes/info.ts';
import type { Route } from '../routes/context.ts';
import { diffStatus, keyedSnapshot } from './status-diff.ts';

const COALESCE_MS = 50; // at most ~20 messages a second, whatever the churn
const HEARTBEAT_MS = 25_000; // under common proxy idle timeouts (30-60 s)
const MAX_BEHIND_BYTES = 1024 * 1024; // a page this far behind is dropped

export class StatusFeed {
  private readonly clients = new Set<ServerResponse>();
  private last = new Map<string, string>();
  private unwatch: (() => void) | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly api: ControlApi,
    private readonly logger: Logger,
  ) {}

  get size(): number {
    return this.clients.size;
  }

  // Starts a client off with the whole table, then keeps it current.
  add(res: ServerResponse): void {
    if (this.clients.size === 0) this.startWatching();
    this.clients.add(res);
    res.once('close', () => this.drop(res));
    const processes = lexical(this.api.processes());
    // The first client's snapshot is the baseline for every later diff; a
    // later client gets the current table, which the pending diff then
    // repeats harmlessly (rows are replaced, not appended).
    if (this.clients.size === 1) this.last = keyedSnapshot(processes);
    this.send(res, 'status', { processes } satisfies StatusEvent);
  }

  // Ends every stream (server closing).
  close(): void {
    for (const res of this.clients) res.end();
    this.clients.clear();
    this.stopWatching();
  }

  private drop(res: ServerResponse): void {
    this.clients.delete(res);
    if (this.clients.size === 0) this.stopWatching();
  }

  private startWatching(): void {
    this.unwatch = this.api.watch(() => this.schedule());
    this.heartbeat = setInterval(() => this.broadcast(': ping\n\n'), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private stopWatching(): void {
    this.unwatch?.();
    this.unwatch = undefined;
    clearInterval(this.heartbeat);
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
  }

  private schedule(): void {
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      this.flush();
    }, COALESCE_MS);
  }

  private flush(): void {
    if (this.clients.size === 0) return;
    let processes: ProcessInfo[];
    try {
      processes = lexical(this.api.processes());
    } catch (error) {
      this.logger.error({ err: error }, 'control: status for the event stream failed');
      return;
    }
    const diff = diffStatus(this.last, processes);
    this.last = keyedSnapshot(processes);
    if (diff.changed.length === 0 && diff.removed.length === 0) return;
    this.broadcast(frame('changes', diff satisfies ChangesEvent));
  }

  private broadcast(text: string): void {
    for (const res of this.clients) this.write(res, text);
  }

  private send(res: ServerResponse, event: string, data: object): void {
    this.write(res, frame(event, data));
  }

  // Never let a stalled page hold memory: drop it, it reconnects and gets a
  // fresh snapshot.
  private write(res: ServerResponse, text: string): void {
    if (res.destroyed) return;
    if (res.writableLength > MAX_BEHIND_BYTES) {
      this.logger.warn('control: dropping an event-stream client that does not keep up');
      res.destroy();
      return;
    }
    res.write(text);
  }
}

function frame(event: string, data: object): string {
  // JSON has no raw newlines, so one data: line is a whole message.
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export const events: Route = {
  method: 'GET',
  handle: ({ req, res, state }) => {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no',
      'X-Content-Type-Options': 'nosniff',
    });
    // The browser's EventSource reconnects after this long when cut off.
    res.write('retry: 2000\n\n');
    // A page may sit open for days without a change: no idle timeout.
    req.socket.setTimeout(0);
    state.follows.add(res);
    res.once('close', () => state.follows.delete(res));
    state.feed.add(res);
    return 'streamed';
  },
};
