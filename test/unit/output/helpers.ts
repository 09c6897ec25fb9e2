// Test helpers for the output modules: a logger that records what it logs,
// hand-driven timers, and deadline-bounded waits.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../../src/log/logger.ts';
import type { Logger } from '../../../src/log/logger.ts';
import type { Timers } from '../../../src/output/timers.ts';
import { waitFor as pollUntil } from '../../helpers/wait.ts';

export interface LogRecord {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface RecordingLogger {
  logger: Logger;
  records: LogRecord[];
  // Records at level >= 50 (error; pino's numbers).
  errors(): LogRecord[];
  // Records at level 40 (warn).
  warnings(): LogRecord[];
}

export function recordingLogger(): RecordingLogger {
  const records: LogRecord[] = [];
  const logger = createLogger({
    level: 'trace',
    format: 'json',
    sink: { write: (line) => records.push(JSON.parse(line) as LogRecord) },
  });
  return {
    logger,
    records,
    errors: () => records.filter((r) => r.level >= 50),
    warnings: () => records.filter((r) => r.level === 40),
  };
}

// Timers that fire only when the test advances the clock.
export class ManualTimers implements Timers {
  now = 0;
  private nextId = 1;
  private readonly pending = new Map<number, { at: number; fn: () => void }>();

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.set(id, { at: this.now + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  get size(): number {
    return this.pending.size;
  }

  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      let nextId = -1;
      let next: { at: number; fn: () => void } | undefined;
      for (const [id, timer] of this.pending) {
        if (timer.at <= until && (next === undefined || timer.at < next.at)) {
          nextId = id;
          next = timer;
        }
      }
      if (next === undefined) break;
      this.pending.delete(nextId);
      this.now = next.at;
      next.fn();
    }
    this.now = until;
  }
}

// Polls `condition` until it holds; fails with `message` after `timeoutMs`.
// The one wait helper (test/helpers/wait.ts), polled tightly: these waits are
// on in-process streams, not on other processes.
export async function waitFor(condition: () => boolean, message: string, timeoutMs = 5000): Promise<void> {
  await pollUntil(() => condition(), { message, timeoutMs, intervalMs: 2 });
}

// Resolves `promise`, or rejects with `message` after `timeoutMs`.
export async function withDeadline<T>(promise: Promise<T>, message: string, timeoutMs = 5000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${message}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-output-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// Deterministic pseudo-random numbers (tests must be reproducible).
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
