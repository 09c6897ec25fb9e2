// The HTTP side of `vigil ctl`: one request per command over a plain socket
// (http-exchange.ts, for start-up time); tail -f streams over node:http,
// loaded only then.
import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import type { NetConnectOpts } from 'node:net';
import { VigilError, errnoCode } from '../errors.ts';
import type { ServerTarget } from './discover.ts';
import { httpExchange } from './http-exchange.ts';

// The server could not be reached; `code` is the errno (ENOENT, ECONNREFUSED, ...).
export class ServerUnreachableError extends VigilError {}

// The server answered 401: no or wrong credentials.
export class AuthRequiredError extends VigilError {
  constructor() {
    super('EAUTH', 'Server requires authentication');
  }
}

// The server answered, but it is not vigil: supervisord (its HTTP server is
// Medusa) or something else that does not speak vigil's JSON.
export class NotVigilError extends VigilError {
  constructor(
    readonly url: string,
    readonly isSupervisord: boolean,
    detail: string,
  ) {
    super('ENOTVIGIL', detail);
  }
}

// supervisord's HTTP server names itself Medusa in every answer.
export function isSupervisordServer(server: string | undefined): boolean {
  return server !== undefined && /^medusa\b/i.test(server);
}

export interface ServerReply {
  status: number;
  body: Record<string, unknown>;
}

function requestOptions(target: ServerTarget, method: string, path: string): RequestOptions {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (target.username !== undefined) {
    const token = Buffer.from(`${target.username}:${target.password ?? ''}`).toString('base64');
    headers['Authorization'] = `Basic ${token}`;
  }
  const base = { method, path, headers, agent: false as const };
  if (target.url.startsWith('unix://')) return { ...base, socketPath: target.url.slice('unix://'.length) };
  let url: URL;
  try {
    url = new URL(target.url);
  } catch {
    throw new VigilError('EURL', `server URL must be unix:///path or http://host:port, got '${target.url}'`);
  }
  if (url.protocol !== 'http:') throw new VigilError('EURL', `server URL must be unix:///path or http://host:port, got '${target.url}'`);
  return { ...base, host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port || 80) };
}

function unreachable(target: ServerTarget, error: unknown): ServerUnreachableError {
  const code = errnoCode(error) ?? 'EIO';
  return new ServerUnreachableError(code, `${target.url}: ${(error as Error).message}`, { cause: error });
}

// Sends one request and parses the JSON answer.
export async function callServer(target: ServerTarget, method: 'GET' | 'POST', path: string, body?: object): Promise<ServerReply> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const options = requestOptions(target, method, path);
  const headers = { ...(options.headers as Record<string, string>), ...(payload !== undefined ? { 'Content-Type': 'application/json' } : {}) };
  const where: NetConnectOpts = options.socketPath !== undefined
    ? { path: options.socketPath }
    : { host: options.host ?? 'localhost', port: Number(options.port) };
  let reply;
  try {
    reply = await httpExchange(where, method, path, headers, payload);
  } catch (error) {
    throw unreachable(target, error);
  }
  if (reply.status === 401) throw new AuthRequiredError();
  const text = reply.body.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const supervisord = isSupervisordServer(reply.server);
    // Not the body: an HTML error page says nothing useful on a terminal.
    throw new NotVigilError(target.url, supervisord, `HTTP ${reply.status}${reply.server !== undefined ? ` from ${reply.server}` : ''}, not JSON`);
  }
  const object = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  return { status: reply.status, body: object };
}

export interface Stream {
  // The response head: status and, for errors, the JSON body.
  response: Promise<{ status: number; res: IncomingMessage }>;
  cancel(): void;
}

// Opens a streaming GET (tail -f); the caller reads `res`.
export function openStream(target: ServerTarget, path: string): Stream {
  let req: ClientRequest | undefined;
  let cancelled = false;
  const options = requestOptions(target, 'GET', path);
  const response = import('node:http').then(
    ({ request }) =>
      new Promise<{ status: number; res: IncomingMessage }>((resolve, reject) => {
        req = request(options, (res) => {
          if (res.statusCode === 401) {
            res.resume();
            reject(new AuthRequiredError());
          } else resolve({ status: res.statusCode ?? 0, res });
        });
        req.on('error', (error) => reject(unreachable(target, error)));
        req.end();
        if (cancelled) req.destroy();
      }),
  );
  return {
    response,
    cancel: () => {
      cancelled = true;
      req?.destroy();
    },
  };
}
