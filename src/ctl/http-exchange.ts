// One HTTP/1.1 request and its whole answer over node:net, for `vigil ctl`.
// Why not node:http: loading it and going through its Agent cost ~20 ms of a
// ~120 ms `vigil ctl status` (node --cpu-prof: the http module's load, and the
// Agent's calculateServerName -> net.isIPv6, whose regex compiles on first use),
// which is the latency of `docker exec app vigil ctl status`. The control
// server's answers are simple: `Connection: close`, a Content-Length (sendJson)
// or, from a proxy, chunked; nothing else is needed.
import { connect } from 'node:net';
import type { NetConnectOpts } from 'node:net';

export interface RawReply {
  status: number;
  body: Buffer;
  server?: string; // the Server header: `Medusa/1.12` is supervisord
}

// A reply that is not HTTP (the socket belongs to something else, or broke off).
export class MalformedReplyError extends Error {
  readonly code = 'EPROTO';
}

export function httpExchange(
  where: NetConnectOpts,
  method: string,
  path: string,
  headers: Readonly<Record<string, string>>,
  payload?: string,
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const lines = [`${method} ${path} HTTP/1.1`, 'Host: localhost', 'Connection: close'];
    for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
    // A POST always says how long its body is, so the server never waits for more.
    if (payload !== undefined || method !== 'GET') lines.push(`Content-Length: ${Buffer.byteLength(payload ?? '')}`);
    const socket = connect(where);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      try {
        resolve(parseReply(Buffer.concat(chunks)));
      } catch (error) {
        reject(error);
      }
    });
    socket.write(`${lines.join('\r\n')}\r\n\r\n${payload ?? ''}`);
  });
}

function parseReply(data: Buffer): RawReply {
  const headEnd = data.indexOf('\r\n\r\n');
  if (headEnd < 0) throw new MalformedReplyError(`the server closed the connection without a complete HTTP answer (${data.length} bytes)`);
  const [statusLine = '', ...headerLines] = data.subarray(0, headEnd).toString('latin1').split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1];
  if (status === undefined) throw new MalformedReplyError(`not an HTTP answer: ${JSON.stringify(statusLine.slice(0, 80))}`);
  const header = (name: string): string | undefined => {
    const line = headerLines.find((text) => text.toLowerCase().startsWith(`${name}:`));
    return line?.slice(name.length + 1).trim();
  };
  let body = data.subarray(headEnd + 4);
  if (header('transfer-encoding')?.toLowerCase() === 'chunked') body = dechunk(body);
  else {
    const length = Number(header('content-length'));
    if (Number.isInteger(length) && length >= 0) body = body.subarray(0, length);
  }
  const server = header('server');
  return { status: Number(status), body, ...(server !== undefined ? { server } : {}) };
}

// RFC 9112 section 7.1; chunk extensions and trailers are skipped.
function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
