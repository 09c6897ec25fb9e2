// The page's calls to vigil: the same JSON endpoints `vigil ctl` uses, every
// state change a POST. URLs are relative so the page also works behind a
// reverse proxy under a path prefix.
import type { ActionResult } from '../control/api.ts';
import type { ErrorBody } from '../control/protocol.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly fault: string,
    message: string,
  ) {
    super(message);
  }
}

async function parse<T>(response: Response): Promise<T> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(response.status, 'FAILED', `HTTP ${response.status} with a body that is not JSON`);
  }
  const error = (body as Partial<ErrorBody>).error;
  if (!response.ok || error) {
    throw new ApiError(response.status, error?.fault ?? 'FAILED', error?.message ?? `HTTP ${response.status}`);
  }
  return body as T;
}

export async function getJson<T>(path: string): Promise<T> {
  return parse<T>(await fetch(path, { headers: { Accept: 'application/json' }, cache: 'no-store' }));
}

export async function postJson<T>(path: string, body: object = {}): Promise<T> {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  });
  return parse<T>(response);
}

export type Failure = Extract<ActionResult, { ok: false }>;

// The per-process failures of a start/stop/restart/signal/clear answer worth
// showing. A restart's stop of a process that was not running is not one
// (supervisorctl restart starts it anyway), nor, for `all` and groups, a
// start of what already runs or a stop of what is already stopped.
export function failures(
  body: { results?: ActionResult[]; stopped?: ActionResult[]; started?: ActionResult[] },
  several: boolean,
): Failure[] {
  const notFailures = (result: ActionResult, from: 'results' | 'stopped' | 'started'): boolean => {
    if (result.ok) return true;
    if (from === 'stopped' && result.fault === 'NOT_RUNNING') return true;
    return several && (result.fault === 'ALREADY_STARTED' || result.fault === 'NOT_RUNNING');
  };
  const pick = (list: ActionResult[] | undefined, from: 'results' | 'stopped' | 'started'): Failure[] =>
    (list ?? []).filter((result): result is Failure => !notFailures(result, from));
  return [...pick(body.results, 'results'), ...pick(body.stopped, 'stopped'), ...pick(body.started, 'started')];
}
