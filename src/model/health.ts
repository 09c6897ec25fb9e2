// Health and readiness as the control faces show them (/status's `health`,
// /readyz, /metrics); computed in src/supervisor/readiness/.
import type { ProcessStateName } from './states.ts';

// A healthcheck's verdict while the program is up.
export type HealthStatus = 'healthy' | 'unhealthy' | 'starting';

// GET /readyz: what is not up that should be.
export interface ReadinessReport {
  ready: boolean;
  notReady: Array<{ name: string; state: ProcessStateName; reason: string }>;
}

// GET /metrics: one process's figures.
export interface ProcessMetrics {
  group: string;
  name: string;
  state: ProcessStateName;
  startTime: number; // epoch seconds of the last start, 0 if never
  exitStatus: number;
  restarts: number; // starts after the first
  healthy: boolean | null; // null: no healthcheck
}
