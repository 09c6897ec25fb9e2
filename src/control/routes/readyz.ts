// GET /readyz: 200 when every program that should be up is (RUNNING, healthy
// where it has a healthcheck, one-shots completed); else 503 listing what is
// not and why (a Kubernetes readiness probe).
import type { Route } from './context.ts';

export const readyz: Route = {
  method: 'GET',
  handle: ({ api }) => {
    const report = api.readiness?.() ?? { ready: true, notReady: [] };
    return { status: report.ready ? 200 : 503, body: { ok: true, ...report } };
  },
};
