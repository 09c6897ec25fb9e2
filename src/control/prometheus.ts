// Prometheus text exposition format 0.0.4 for GET /metrics: one family per
// metric (HELP, TYPE, samples), label values escaped as the format says
// (backslash, double quote, newline).
import { readdirSync } from 'node:fs';
import { PROCESS_STATE_CODES } from './api.ts';
import type { ProcessMetrics } from './api.ts';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

type Sample = { labels: Record<string, string>; value: number };

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  return String(value);
}

function family(name: string, type: 'gauge' | 'counter', help: string, samples: readonly Sample[]): string {
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`];
  for (const { labels, value } of samples) {
    const text = Object.entries(labels).map(([key, v]) => `${key}="${escapeLabel(v)}"`).join(',');
    lines.push(`${name}${text === '' ? '' : `{${text}}`} ${formatValue(value)}`);
  }
  return `${lines.join('\n')}\n`;
}

// Open descriptors of vigil itself; NaN where /proc is not mounted.
function openFds(): number {
  try {
    return readdirSync('/proc/self/fd').length - 1; // minus the one readdir held
  } catch {
    return NaN;
  }
}

export function renderMetrics(processes: readonly ProcessMetrics[]): string {
  const per = (value: (p: ProcessMetrics) => number, only: (p: ProcessMetrics) => boolean = () => true): Sample[] =>
    processes.filter(only).map((p) => ({ labels: { group: p.group, name: p.name }, value: value(p) }));
  const cpu = process.cpuUsage();
  return [
    family('vigil_process_up', 'gauge', '1 when the process is RUNNING, else 0.', per((p) => (p.state === 'RUNNING' ? 1 : 0))),
    family('vigil_process_state', 'gauge', "supervisord's numeric process state (0 STOPPED, 10 STARTING, 20 RUNNING, 30 BACKOFF, 40 STOPPING, 100 EXITED, 200 FATAL, 1000 UNKNOWN).", per((p) => PROCESS_STATE_CODES[p.state])),
    family('vigil_process_start_time_seconds', 'gauge', 'Unix time of the last start of the process, 0 if never started.', per((p) => p.startTime)),
    family('vigil_process_exit_status', 'gauge', 'Exit status of the last exit (128+N for signal N).', per((p) => p.exitStatus)),
    family('vigil_process_restarts_total', 'counter', 'Starts of the process after its first one.', per((p) => p.restarts)),
    family('vigil_process_healthy', 'gauge', '1 when the healthcheck passes, else 0 (programs with a healthcheck only).', per((p) => (p.healthy ? 1 : 0), (p) => p.healthy !== null)),
    family('process_resident_memory_bytes', 'gauge', 'Resident memory size of vigil in bytes.', [{ labels: {}, value: process.memoryUsage.rss() }]),
    family('process_open_fds', 'gauge', 'Number of open file descriptors of vigil.', [{ labels: {}, value: openFds() }]),
    family('process_cpu_seconds_total', 'counter', 'User and system CPU time spent by vigil in seconds.', [{ labels: {}, value: (cpu.user + cpu.system) / 1e6 }]),
    family('process_start_time_seconds', 'gauge', 'Start time of vigil since the Unix epoch in seconds.', [{ labels: {}, value: Math.round(Date.now() / 1000 - process.uptime()) }]),
  ].join('');
}
