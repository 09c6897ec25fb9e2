// Small HTTP helpers for the control server: JSON replies, bounded body reads.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorBody, WireFault } from './protocol.ts';

export class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly fault: WireFault,
    message: string,
  ) {
    super(message);
  }
}

export function sendJson(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export function errorBody(fault: WireFault, message: string): ErrorBody {
  return { error: { fault, message } };
}

// Raw response text for a socket that never got as far as a parsed request
// (clientError), where there is no ServerResponse to write to.
export function rawErrorResponse(status: number, reason: string, fault: WireFault, message: string): string {
  const text = `${JSON.stringify(errorBody(fault, message))}\n`;
  return (
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`
  );
}

// Reads a JSON object body of at most `limit` bytes. An empty body is `{}`.
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    throw new HttpFailure(413, 'TOO_LARGE', `request body of ${declared} bytes exceeds the limit of ${limit} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      throw new HttpFailure(413, 'TOO_LARGE', `request body exceeds the limit of ${limit} bytes`);
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new HttpFailure(400, 'INCORRECT_PARAMETERS', `invalid JSON body: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HttpFailure(400, 'INCORRECT_PARAMETERS', 'the JSON body must be an object, e.g. {"names":["web"]}');
  }
  return parsed as Record<string, unknown>;
}

// Reads `field` as a non-empty array of strings.
export function stringList(body: Record<string, unknown>, field: string, example: string): string[] {
  const value = body[field];
  if (!Array.isArray(value) || value.length === 0 || !value.every((item) => typeof item === 'string' && item !== '')) {
    throw new HttpFailure(400, 'BAD_ARGUMENTS', `"${field}" must be a non-empty array of strings, e.g. ${example}`);
  }
  return value as string[];
}
