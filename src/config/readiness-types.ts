// vigil's readiness keys of [program:x] (start order that waits for readiness,
// health checks, env_file, exponential backoff) and supervisord-dependent-
// startup's keys, resolved. Field names are the INI key names.
import type { SourceLocation } from './errors.ts';

// depends_on=NAME:CONDITION.
export type DependencyCondition = 'started' | 'running' | 'healthy' | 'completed';
export const DEPENDENCY_CONDITIONS: readonly DependencyCondition[] = ['started', 'running', 'healthy', 'completed'];

// dependent_startup_wait_for=NAME:STATE,...: the states the plugin accepts.
export type WaitableState = 'STARTING' | 'RUNNING' | 'BACKOFF' | 'STOPPING' | 'EXITED' | 'FATAL';
export const WAITABLE_STATES: readonly WaitableState[] = ['STARTING', 'RUNNING', 'BACKOFF', 'STOPPING', 'EXITED', 'FATAL'];

export type DependencyWant =
  | { readonly kind: 'condition'; readonly condition: DependencyCondition }
  | { readonly kind: 'states'; readonly states: readonly WaitableState[] };

// One thing a program waits for before it is started.
export interface Dependency {
  readonly target: string; // as supervisorctl names it: `db`, `web:web_00`, `web:*`, a group
  readonly want: DependencyWant;
  readonly text: string; // as shown in descriptions: `db:running`, `start:exited`
  readonly key: 'depends_on' | 'dependent_startup_wait_for';
  readonly source: SourceLocation; // the key's file:line (cycle errors)
}

export type HealthCheckProbe =
  | { readonly kind: 'cmd'; readonly command: string; readonly argv: readonly string[] }
  | { readonly kind: 'http'; readonly url: string }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number };

export interface HealthCheckConfig {
  readonly probe: HealthCheckProbe;
  readonly interval: number; // seconds
  readonly timeout: number; // seconds
  readonly retries: number; // consecutive failures before unhealthy
  readonly start_period: number; // seconds in which failures do not count
  readonly restart: boolean; // restart the program when it turns unhealthy
}

export type BackoffKind = 'linear' | 'exponential';

export interface ReadinessKeys {
  readonly depends_on: readonly Dependency[];
  readonly dependent_startup: boolean;
  readonly dependent_startup_wait_for: readonly Dependency[];
  readonly dependent_startup_inherit_priority: boolean;
  readonly healthcheck: HealthCheckConfig | null;
  readonly env_file: string | null; // absolute path; its variables are in `environment`
  readonly backoff: BackoffKind; // linear: supervisord's 1 s, 2 s, 3 s ...
  readonly backoff_max: number; // seconds, caps exponential backoff
}
