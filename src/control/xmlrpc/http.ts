// The HTTP side of supervisord's XML-RPC face: POST /RPC2 (any path starting
// with it, as supervisord matches), answered with text/xml; errors that are
// not faults get supervisord's (medusa's) HTML error page and status.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../log/logger.ts';
import type { ControlApi } from '../api.ts';
import { MalformedCallError, parseCall, serializeFault, serializeResponse } from './codec.ts';
import { callMethod } from './dispatch.ts';
import { XmlRpcFault } from './faults.ts';
import type { MethodContext } from './method.ts';

// sendProcessStdin carries user data: more room than the JSON routes' 64 KiB.
export const XMLRPC_MAX_BODY_BYTES = 4 * 1024 * 1024;

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  413: 'Request Entity Too Large',
  500: 'Internal Server Error',
};

// medusa http_request.error(): the same page, so a client that shows it says the same.
export function sendHtmlError(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const body =
    ['<head>', '<title>Error response</title>', '</head>', '<body>', '<h1>Error response</h1>', `<p>Error code ${status}.`, `<p>Message: ${REASONS[status] ?? 'Error'}.`, '</body>', ''].join('\r\n');
  res.writeHead(status, REASONS[status] ?? 'Error', { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

async function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export interface XmlRpcDeps {
  api: ControlApi;
  logger: Logger;
  maxBodyBytes?: number;
}

export async function handleXmlRpc(req: IncomingMessage, res: ServerResponse, deps: XmlRpcDeps): Promise<void> {
  const { api, logger } = deps;
  if (req.method !== 'POST') {
    req.resume();
    sendHtmlError(res, 400);
    return;
  }
  const body = await readBody(req, deps.maxBodyBytes ?? XMLRPC_MAX_BODY_BYTES);
  if (body === null) {
    sendHtmlError(res, 413, { Connection: 'close' });
    return;
  }
  let call;
  try {
    call = parseCall(body);
  } catch (error) {
    if (!(error instanceof MalformedCallError)) throw error;
    logger.error(`XML-RPC request data is invalid: ${error.message}`);
    sendHtmlError(res, 400);
    return;
  }
  const pending: (() => void)[] = [];
  const ctx: MethodContext = {
    api,
    logger,
    afterReply: (act) => pending.push(act),
  };
  let answer: string;
  try {
    logger.trace(`XML-RPC method called: ${call.method}()`);
    answer = serializeResponse(await callMethod(ctx, call.method, call.params));
  } catch (error) {
    if (!(error instanceof XmlRpcFault)) {
      logger.error({ err: error, method: call.method }, 'XML-RPC: method failed');
      sendHtmlError(res, 500);
      return;
    }
    answer = serializeFault(error.code, error.text);
  }
  if (pending.length > 0) {
    // 'close' comes after the answer is out, or when the client left early:
    // a shutdown asked for is carried out either way.
    res.once('close', () => {
      for (const act of pending) {
        try {
          act();
        } catch (error) {
          logger.error({ err: error }, `XML-RPC: ${call.method} failed after answering`);
        }
      }
    });
  }
  if (res.destroyed) return;
  res.writeHead(200, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(answer) });
  res.end(answer);
}
