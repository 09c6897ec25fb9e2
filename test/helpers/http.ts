// One HTTP request to a running vigil's control server (unix socket or TCP
// port), with a deadline; resolves with the status, headers and body text.
import { request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';

export interface HttpReply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export type HttpTarget = { socketPath: string } | { port: number; host?: string };

export function httpGet(target: HttpTarget, path: string, headers: Record<string, string> = {}): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const where = 'socketPath' in target ? { socketPath: target.socketPath } : { host: target.host ?? '127.0.0.1', port: target.port };
    const req = request({ ...where, path, method: 'GET', headers, timeout: 10_000, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path}: no answer within 10 s`)));
    req.on('error', reject);
    req.end();
  });
}

// GET /status as parsed JSON: the processes by name.
export async function statusByName(socketPath: string): Promise<Map<string, Record<string, unknown>>> {
  const reply = await httpGet({ socketPath }, '/status');
  const body = JSON.parse(reply.text) as { processes: Array<Record<string, unknown>> };
  return new Map(body.processes.map((p) => [String(p.name), p]));
}
