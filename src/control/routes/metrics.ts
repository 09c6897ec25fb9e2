// GET /metrics: Prometheus text format 0.0.4 (see ../prometheus.ts).
import { PROMETHEUS_CONTENT_TYPE, renderMetrics } from '../prometheus.ts';
import type { Route } from './context.ts';

export const metrics: Route = {
  method: 'GET',
  handle: ({ api, res }) => {
    const text = renderMetrics(api.metrics?.() ?? []);
    res.writeHead(200, { 'Content-Type': PROMETHEUS_CONTENT_TYPE, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
    res.end(text);
    return 'streamed';
  },
};
