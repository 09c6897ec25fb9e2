// GET /healthz: 200 while vigil's event loop answers (a Kubernetes liveness
// probe). Needs no credentials from loopback (see server.ts).
import type { Route } from './context.ts';

export const healthz: Route = {
  method: 'GET',
  handle: () => ({ status: 200, body: { ok: true } }),
};
