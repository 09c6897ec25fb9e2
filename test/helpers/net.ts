// Local TCP helpers for tests: a free port, and plain HTTP exchanges.
import { request } from 'node:http';
import { createServer } from 'node:net';

// A port nobody listens on right now (the kernel's pick, released at once).
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

export interface HttpReply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface HttpCall {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  auth?: string; // user:password
}

// One request to a TCP port or a unix socket; rejects after 10 s.
export function httpCall(target: { port: number } | { socketPath: string }, call: HttpCall): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        ...target,
        host: '127.0.0.1',
        method: call.method ?? 'GET',
        path: call.path,
        headers: call.headers ?? {},
        agent: false,
        timeout: 10_000,
        ...(call.auth !== undefined ? { auth: call.auth } : {}),
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${call.method ?? 'GET'} ${call.path} timed out`)));
    req.on('error', reject);
    req.end(call.body);
  });
}
