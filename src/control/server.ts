// The control server: HTTP/1.1 + JSON on a unix socket (and optionally TCP
// with basic auth), one handler per command (routes/), hardened against bad
// clients: bounded bodies, timeouts, a connection cap, and no handler error
// ever escapes into the supervisor.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '../log/logger.ts';
import type { ControlApi } from './api.ts';
import { checkBasicAuth } from './auth.ts';
import { HttpFailure, errorBody, rawErrorResponse, readJsonBody, sendJson } from './http-io.ts';
import { checkInetOptions, listenInet, listenUnix } from './listen.ts';
import type { InetListenOptions, UnixListenOptions } from './listen.ts';
import { ROUTES } from './routes/index.ts';
import type { ServerState } from './routes/context.ts';
import { handleXmlRpc, sendHtmlError } from './xmlrpc/http.ts';
import { handleLogtail, isLogtailPath } from './xmlrpc/logtail.ts';
import { StatusFeed } from './web/events.ts';
import { isLoopbackHostHeader, isSameOriginRequest } from './web/origin.ts';

export type { InetListenOptions, UnixListenOptions } from './listen.ts';

export interface ControlLimits {
  maxBodyBytes: number; // larger request bodies get 413
  headersTimeoutMs: number; // a client must send its headers within this (408)
  requestTimeoutMs: number; // ... and its whole request within this
  idleTimeoutMs: number; // a connection with no traffic is closed
  keepAliveTimeoutMs: number;
  maxConnections: number; // further connections are closed at once
  maxFollowBufferBytes: number; // a tail -f reader this far behind is dropped
  probeTimeoutMs: number; // how long a live socket owner gets to answer
}

export const DEFAULT_LIMITS: Readonly<ControlLimits> = {
  maxBodyBytes: 64 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  idleTimeoutMs: 60_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 256,
  maxFollowBufferBytes: 1024 * 1024,
  probeTimeoutMs: 2_000,
};

export interface ControlServerOptions {
  api: ControlApi;
  unix?: UnixListenOptions;
  inet?: InetListenOptions;
  logger: Logger;
  limits?: Partial<ControlLimits>;
}

export interface ControlServer {
  readonly unixPath: string | undefined;
  // The bound TCP port (useful with port 0), undefined without inet.
  readonly inetPort: number | undefined;
  // Stops listening, ends tail -f streams and closes every connection.
  close(): Promise<void>;
}

// Starts the listeners; rejects with a ControlServerError when one cannot start.
export async function startControlServer(options: ControlServerOptions): Promise<ControlServer> {
  const { api, logger } = options;
  const limits: ControlLimits = { ...DEFAULT_LIMITS, ...options.limits };
  if (!options.unix && !options.inet) throw new TypeError('startControlServer needs unix and/or inet options');
  if (options.inet) checkInetOptions(options.inet);
  const state: ServerState = { follows: new Set(), feed: new StatusFeed(api, logger) };
  const servers: Server[] = [];
  // Connections with a request being answered: the idle limit is for idle
  // connections, never for a /start waiting out startsecs or a tail -f.
  const busy = new Map<Socket, number>();

  const handle = (req: IncomingMessage, res: ServerResponse, credentials: InetListenOptions | undefined): void => {
    const socket = req.socket;
    busy.set(socket, (busy.get(socket) ?? 0) + 1);
    res.once('close', () => {
      const left = (busy.get(socket) ?? 1) - 1;
      if (left > 0) busy.set(socket, left);
      else busy.delete(socket);
    });
    handleRequest(req, res, credentials).catch((error: unknown) => {
      if (clientWentAway(req, error)) {
        // The client hung up mid-request: its business, not a vigil error.
        logger.debug(`control: client went away during ${req.method} ${req.url}`);
        res.destroy();
        return;
      }
      logger.error({ err: error, method: req.method, url: req.url }, 'control: request handler failed');
      sendJson(res, 500, errorBody('FAILED', 'internal error; see the vigil log'));
    });
  };

  const handleRequest = async (req: IncomingMessage, res: ServerResponse, inet: InetListenOptions | undefined): Promise<void> => {
    // Before authentication: a forged request is refused whoever sent it.
    const refusal = refuseCrossSite(req, inet);
    if (refusal !== undefined) {
      req.resume();
      sendJson(res, 403, errorBody('FORBIDDEN', refusal));
      return;
    }
    if (inet?.username !== undefined && inet.username !== '' && !isOpenProbe(req)) {
      if (!checkBasicAuth(req.headers.authorization, { username: inet.username, password: inet.password ?? '' })) {
        // No detail: whether the user or the password was wrong is not said.
        // The realm is supervisord's (medusa auth_handler), for its clients.
        req.resume();
        const challenge = { 'WWW-Authenticate': 'Basic realm="default"', Connection: 'close' };
        if (isSupervisordPath(req.url)) sendHtmlError(res, 401, challenge);
        else sendJson(res, 401, errorBody('UNAUTHORIZED', 'unauthorized'), challenge);
        return;
      }
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    // supervisord's faces: XML-RPC (supervisorctl, childutils, monitoring) and its log streams.
    if (url.pathname.startsWith('/RPC2')) return handleXmlRpc(req, res, { api, logger });
    if (isLogtailPath(url.pathname)) return handleLogtail(req, res, url.pathname, { api, logger, state, maxFollowBuffer: limits.maxFollowBufferBytes });
    const route = ROUTES.get(url.pathname.replace(/\/+$/, '') || '/');
    if (!route) {
      req.resume();
      sendJson(res, 404, errorBody('UNKNOWN_METHOD', `no endpoint ${url.pathname}; see GET /version, /status, ... in the README`));
      return;
    }
    if (req.method !== route.method) {
      req.resume();
      sendJson(res, 405, errorBody('UNKNOWN_METHOD', `${url.pathname} accepts ${route.method}, not ${req.method}`), { Allow: route.method });
      return;
    }
    try {
      const body = req.method === 'POST' ? await readJsonBody(req, limits.maxBodyBytes) : (req.resume(), {});
      const reply = await route.handle({ api, logger, state, query: url.searchParams, body, req, res, maxFollowBuffer: limits.maxFollowBufferBytes });
      if (reply !== 'streamed') sendJson(res, reply.status, reply.body);
    } catch (error) {
      if (!(error instanceof HttpFailure)) throw error;
      // After a 413 the rest of the body is not worth reading: close.
      const headers: Record<string, string> = error.status === 413 ? { Connection: 'close' } : {};
      sendJson(res, error.status, errorBody(error.fault, error.message), headers);
    }
  };

  const makeServer = (inet: InetListenOptions | undefined): Server => {
    const server = createServer(
      {
        requestTimeout: limits.requestTimeoutMs,
        headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
        keepAliveTimeout: limits.keepAliveTimeoutMs,
        // How often node checks the two timeouts above (default 30 s).
        connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4))),
      },
      (req, res) => handle(req, res, inet),
    );
    server.maxConnections = limits.maxConnections;
    server.timeout = limits.idleTimeoutMs;
    server.on('timeout', (socket: Socket) => {
      // Busy: the timer re-arms and fires again after another idle period.
      if (!busy.has(socket)) socket.destroy();
    });
    server.on('drop', () => logger.debug('control: connection refused, too many open connections'));
    server.on('clientError', (error: Error & { code?: string }, socket: Socket) => onClientError(error, socket));
    server.on('error', (error) => logger.error({ err: error }, 'control: server error'));
    servers.push(server);
    return server;
  };

  try {
    if (options.unix) await listenUnix(makeServer(undefined), options.unix, limits.probeTimeoutMs, 1024);
    if (options.inet) await listenInet(makeServer(options.inet), options.inet, 1024);
  } catch (error) {
    await Promise.all(servers.map(closeServer));
    throw error;
  }
  const tcp = options.inet ? servers[servers.length - 1]?.address() : undefined;
  logger.info(
    { socket: options.unix?.path, port: typeof tcp === 'object' && tcp ? tcp.port : undefined },
    'control: listening',
  );

  return {
    unixPath: options.unix?.path,
    inetPort: typeof tcp === 'object' && tcp ? tcp.port : undefined,
    async close(): Promise<void> {
      state.feed.close();
      for (const res of state.follows) res.end();
      state.follows.clear();
      await Promise.all(servers.map(closeServer));
    },
  };
}

// Probes that need no credentials from loopback: a kubelet-style or podman
// health check inside the container (curl localhost) carries none, and
// neither says more than whether vigil and its programs are up.
const OPEN_ON_LOOPBACK = new Set(['/healthz', '/readyz']);

function isOpenProbe(req: IncomingMessage): boolean {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '');
  if (!OPEN_ON_LOOPBACK.has(path)) return false;
  const address = req.socket.remoteAddress ?? '';
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

// Why a request that a browser may have been tricked into sending is refused,
// or undefined. Every state change is a POST, so only those are checked for
// their Origin; GETs change nothing and other sites cannot read the answers.
function refuseCrossSite(req: IncomingMessage, inet: InetListenOptions | undefined): string | undefined {
  if (req.method !== 'GET' && req.method !== 'HEAD' && !isSameOriginRequest(req.headers)) {
    return `cross-origin request refused (Origin ${req.headers.origin ?? 'absent'}, Host ${req.headers.host ?? 'absent'})`;
  }
  // Without credentials (the unix socket, or TCP on loopback), a page on a
  // rebound DNS name would be "same origin". On TCP every request must name
  // localhost or an IP; on the socket (reached by a browser only through a
  // tunnel such as ssh -L) only browsers are held to it, as clients like
  // requests-unixsocket put the socket path in Host.
  const open = inet === undefined || inet.username === undefined || inet.username === '';
  const fromBrowser = req.headers['sec-fetch-mode'] !== undefined;
  if (open && (inet !== undefined || fromBrowser) && !isLoopbackHostHeader(req.headers.host)) {
    return `Host ${req.headers.host ?? 'absent'} refused: without credentials only requests to localhost or an IP address are answered`;
  }
  return undefined;
}

// True when a request failed because its client closed the connection (the
// body stream errors with 'aborted' / ECONNRESET).
function clientWentAway(req: IncomingMessage, error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ECONNRESET' || (error instanceof Error && error.message === 'aborted')) return true;
  // req.destroyed alone is no sign: a fully read request is destroyed too.
  return !req.complete && req.socket.destroyed;
}

// Malformed HTTP, oversized headers, timeouts: answer with a status if the
// socket can still take it, then close. Never throws.
function onClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, reason, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'request headers too large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'request not received in time']
        : [400, 'Bad Request', `malformed HTTP request (${error.code ?? 'parse error'})`];
  socket.end(rawErrorResponse(status, reason, status === 400 ? 'INCORRECT_PARAMETERS' : 'BAD_ARGUMENTS', message));
  socket.destroySoon();
}

function isSupervisordPath(url: string | undefined): boolean {
  const path = url ?? '';
  return path.startsWith('/RPC2') || isLogtailPath(path);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    // Keep-alive and half-read connections would hold close() open forever.
    server.closeAllConnections();
  });
}
