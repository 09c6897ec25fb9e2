// The three kinds of health check, as effects: each resolves once with ok and
// a short detail, never rejects, and gives up after the timeout. A `cmd:`
// check is spawned like its program (user, environment, directory, through
// the native spawn path) and reaped by vigil's reaper, never by libuv.
import { request } from 'node:http';
import { Socket, connect } from 'node:net';
import type { HealthCheckProbe } from '../../config/readiness-types.ts';
import type { ExitStatus } from '../../model/index.ts';
import type { NativeAddon, SpawnRequest } from '../../native/addon.ts';
import type { Reaper } from '../../process/reaper.ts';
import { spawnProcess } from '../spawn-process.ts';
import type { ProcessSpec } from '../spec.ts';

export interface ProbeResult {
  readonly ok: boolean;
  readonly detail: string; // `HTTP 200`, `exit 1`, `ECONNREFUSED`, `timed out after 2s`
  readonly output?: string; // a cmd: check's output (stdout and stderr), at most 4 KiB
}

export interface ProbeDeps {
  native: NativeAddon;
  reaper: Reaper;
  baseEnv: NodeJS.ProcessEnv;
  // Keep a cmd: check's output (it is logged at debug level); without it the
  // check gets /dev/null and costs no pipes (50 checks a second add up).
  captureOutput: () => boolean;
}

const OUTPUT_LIMIT = 4096;

export function runProbe(probe: HealthCheckProbe, checkSpec: ProcessSpec, timeoutMs: number, deps: ProbeDeps): Promise<ProbeResult> {
  switch (probe.kind) {
    case 'http':
      return httpProbe(probe.url, timeoutMs);
    case 'tcp':
      return tcpProbe(probe.host, probe.port, timeoutMs);
    case 'cmd':
      return cmdProbe(checkSpec, timeoutMs, deps);
  }
}

const timedOut = (timeoutMs: number): string => `timed out after ${timeoutMs / 1000}s`;

// 2xx and 3xx are healthy (redirects are not followed), as Kubernetes' httpGet.
export function httpProbe(url: string, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', agent: false, timeout: timeoutMs, headers: { 'User-Agent': 'vigil-healthcheck' } }, (res) => {
      res.resume(); // drain and discard the body
      const status = res.statusCode ?? 0;
      resolve({ ok: status >= 200 && status < 400, detail: `HTTP ${status}` });
      req.destroy();
    });
    req.on('timeout', () => req.destroy(new Error(timedOut(timeoutMs))));
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, detail: error.code ?? error.message }));
    req.end();
  });
}

export function tcpProbe(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => socket.destroy(new Error(timedOut(timeoutMs))), timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ ok: true, detail: `connected to ${host}:${port}` });
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ ok: false, detail: error.code ?? error.message });
    });
  });
}

// Spawns the check with the program's spec (its argv replaced), stderr into
// stdout; exit 0 is healthy. On timeout its whole process group is SIGKILLed.
export function cmdProbe(checkSpec: ProcessSpec, timeoutMs: number, deps: ProbeDeps): Promise<ProbeResult> {
  return new Promise((resolve) => {
    deps.reaper.beginSpawn();
    const stdio: SpawnRequest['stdio'] = deps.captureOutput() ? ['null', 'pipe', 'stdout'] : ['null', 'null', 'null'];
    spawnProcess(deps.native, checkSpec, deps.baseEnv, (error, child) => {
      try {
        if (error || !child) {
          resolve({ ok: false, detail: error?.message ?? 'spawn error' });
          return;
        }
        let output = '';
        let status: ExitStatus | null = null;
        let outputDone = child.stdout === undefined;
        let expired = false;
        const finish = (): void => {
          if (status === null || !outputDone) return;
          clearTimeout(timer);
          clearTimeout(lingering);
          const detail = expired ? timedOut(timeoutMs) : status.signal !== null ? `killed by signal ${status.signal}` : `exit ${status.code}`;
          resolve({ ok: !expired && status.code === 0, detail, output });
        };
        let lingering: NodeJS.Timeout | undefined;
        const pipe = child.stdout === undefined ? null : new Socket({ fd: child.stdout, readable: true, writable: false });
        pipe?.on('data', (chunk: Buffer) => {
          if (output.length < OUTPUT_LIMIT) output += chunk.toString('utf8', 0, Math.min(chunk.length, OUTPUT_LIMIT - output.length));
        });
        pipe?.on('error', () => undefined); // EOF or EIO after the child died: the exit says what happened
        pipe?.on('close', () => {
          outputDone = true;
          finish();
        });
        const timer = setTimeout(() => {
          expired = true;
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {
            // ESRCH: it is exiting anyway; the reaper reports it
          }
        }, timeoutMs);
        deps.reaper.watch(child.pid, (exit) => {
          status = exit;
          // A daemonized grandchild may keep the pipe open: do not wait for it.
          lingering = setTimeout(() => {
            outputDone = true;
            pipe?.destroy();
            finish();
          }, 500);
          finish();
        });
      } finally {
        deps.reaper.endSpawn();
      }
    }, stdio);
  });
}
