// Binding the control server: the unix socket (stale-socket takeover, mode,
// owner) and the optional TCP listener (loopback unless credentials are set).
import { chmodSync, chownSync, lstatSync, unlinkSync } from 'node:fs';
import { request } from 'node:http';
import type { Server } from 'node:http';
import { errnoCode } from '../errors.ts';
import { isLoopbackHost } from './auth.ts';
import { ControlServerError } from './errors.ts';

export interface UnixListenOptions {
  path: string;
  chmod?: number; // default 0o700
  chown?: { uid: number; gid: number };
}

export interface InetListenOptions {
  host: string; // '' or '*' for every interface
  port: number;
  username?: string;
  password?: string; // plain or '{SHA}' + hex sha1
  // Serve a non-loopback address without credentials (the config's explicit opt-in).
  allowUnauthenticated?: boolean;
}

type Probe = { kind: 'stale' } | { kind: 'absent' } | { kind: 'vigil'; pid: number } | { kind: 'other'; detail: string };

// Asks whoever listens on `path` who they are (GET /version).
function probeSocket(path: string, timeoutMs: number): Promise<Probe> {
  return new Promise((resolve) => {
    const req = request({ socketPath: path, path: '/version', agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', () => resolve({ kind: 'other', detail: 'a server that broke off its answer' }));
      res.on('end', () => {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { pid?: unknown };
          if (typeof body.pid === 'number') return resolve({ kind: 'vigil', pid: body.pid });
        } catch {
          // not JSON: some other server
        }
        resolve({ kind: 'other', detail: `a server that is not vigil (HTTP ${res.statusCode})` });
      });
    });
    req.on('timeout', () => {
      req.destroy();
      resolve({ kind: 'other', detail: `a process that accepts connections but did not answer within ${timeoutMs} ms` });
    });
    req.on('error', (error) => {
      const code = errnoCode(error);
      // ECONNREFUSED on a unix socket: the file is there but nobody listens
      // (the previous owner died without unlinking it).
      if (code === 'ECONNREFUSED') resolve({ kind: 'stale' });
      else if (code === 'ENOENT') resolve({ kind: 'absent' });
      // After a timeout this is the destroy's own error: already resolved above.
      else resolve({ kind: 'other', detail: `a server that failed the probe (${code ?? String(error)})` });
    });
    req.end();
  });
}

// Makes `path` free to bind: removes a stale socket, refuses a live one.
async function claimSocketPath(path: string, probeTimeoutMs: number): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return;
    throw new ControlServerError('ECONTROL_PATH', `cannot inspect control socket ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (!isSocket) {
    throw new ControlServerError('ECONTROL_PATH', `control socket path ${path} exists and is not a socket; refusing to replace it`);
  }
  const probe = await probeSocket(path, probeTimeoutMs);
  if (probe.kind === 'vigil') {
    throw new ControlServerError('ECONTROL_IN_USE', `another vigil is already listening on ${path} (pid ${probe.pid})`);
  }
  if (probe.kind === 'other') throw new ControlServerError('ECONTROL_IN_USE', `${path} is in use by ${probe.detail}`);
  if (probe.kind === 'stale') {
    try {
      unlinkSync(path);
    } catch (error) {
      if (errnoCode(error) !== 'ENOENT') throw new ControlServerError('ECONTROL_PATH', `cannot remove stale control socket ${path}: ${(error as Error).message}`, { cause: error });
    }
  }
}

function listenOn(server: Server, target: { path: string } | { host?: string; port: number }, backlog: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen({ ...target, backlog }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

export async function listenUnix(server: Server, options: UnixListenOptions, probeTimeoutMs: number, backlog: number): Promise<void> {
  const { path } = options;
  await claimSocketPath(path, probeTimeoutMs);
  const mode = options.chmod ?? 0o700;
  // bind(2) creates the socket file with the umask's mode; a tight umask for the
  // duration of the (synchronous) bind means there is no moment when other
  // users could connect before the chmod below. Files created meanwhile by
  // libuv's thread pool could only come out stricter, never looser.
  const previousUmask = process.umask(0o077);
  let listening: Promise<void>;
  try {
    listening = listenOn(server, { path }, backlog);
  } finally {
    process.umask(previousUmask);
  }
  try {
    await listening;
  } catch (error) {
    const detail = errnoCode(error) === 'EADDRINUSE' ? 'another process bound it just now' : (error as Error).message;
    throw new ControlServerError('ECONTROL_LISTEN', `cannot listen on control socket ${path}: ${detail}`, { cause: error });
  }
  try {
    chmodSync(path, mode);
    if (options.chown) chownSync(path, options.chown.uid, options.chown.gid);
  } catch (error) {
    server.close();
    throw new ControlServerError('ECONTROL_PATH', `cannot set mode/owner of control socket ${path}: ${(error as Error).message}`, { cause: error });
  }
}

// Checks the TCP listener's settings before anything is bound.
export function checkInetOptions(options: InetListenOptions): void {
  const hasUser = options.username !== undefined && options.username !== '';
  const hasPassword = options.password !== undefined && options.password !== '';
  if (hasUser !== hasPassword) {
    throw new ControlServerError('ECONTROL_AUTH', '[inet_http_server] needs both username and password, or neither');
  }
  if (!hasUser && !isLoopbackHost(options.host) && options.allowUnauthenticated !== true) {
    const shown = options.host === '' || options.host === '*' ? '*' : options.host;
    throw new ControlServerError(
      'ECONTROL_INSECURE',
      `refusing to listen on ${shown}:${options.port} without credentials: anyone who can reach it could run commands as vigil; ` +
        'set username and password in [inet_http_server], or listen on 127.0.0.1',
    );
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    throw new ControlServerError('ECONTROL_PORT', `[inet_http_server] port must be 0-65535, got ${options.port}`);
  }
}

export async function listenInet(server: Server, options: InetListenOptions, backlog: number): Promise<void> {
  const all = options.host === '' || options.host === '*';
  const host = options.host.replace(/^\[(.*)\]$/, '$1');
  try {
    await listenOn(server, all ? { port: options.port } : { host, port: options.port }, backlog);
  } catch (error) {
    throw new ControlServerError('ECONTROL_LISTEN', `cannot listen on ${options.host}:${options.port}: ${(error as Error).message}`, { cause: error });
  }
}
