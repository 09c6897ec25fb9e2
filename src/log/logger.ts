import { writeSync } from 'node:fs';
import pino from 'pino';
import type { Logger } from 'pino';

export type { Logger } from 'pino';

export type LogFormat = 'text' | 'json';
// supervisord's level names; `critical` and `blather` map onto pino's fatal/trace.
export type LogLevelName = 'critical' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'blather';

// Where formatted log lines go. Each call receives exactly one line ending in '\n'.
export interface LogSink {
  write(line: string): void;
}

const PINO_LEVEL: Record<LogLevelName, pino.Level> = {
  critical: 'fatal',
  error: 'error',
  warn: 'warn',
  info: 'info',
  debug: 'debug',
  trace: 'trace',
  blather: 'trace',
};

const LEVEL_LABEL: Record<number, string> = {
  10: 'TRCE',
  20: 'DEBG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERRO',
  60: 'CRIT',
};

// Writes synchronously to a file descriptor: vigil's own log is a few lines a
// second at most, and a sync write keeps the last words before an exit.
export function fdSink(fd: number): LogSink {
  return {
    write(line: string): void {
      try {
        writeSync(fd, line);
      } catch {
        // EAGAIN/EPIPE on a broken or non-blocking stderr: a log line is not
        // worth crashing PID 1 for.
      }
    },
  };
}

// supervisord's text layout with an ISO timestamp: `2026-11-25T13:40:01.123Z INFO spawned: 'web' with pid 42`,
// then any extra fields as key=value.
export function formatText(json: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const { level, time, msg, err, ...rest } = record;
  const stamp = formatTimestamp(typeof time === 'number' ? time : Date.now());
  const label = LEVEL_LABEL[Number(level)] ?? String(level);
  let line = `${stamp} ${label} ${String(msg ?? '')}`;
  for (const [key, value] of Object.entries(rest)) {
    if ('program' in rest && STRUCTURED_FIELDS.has(key)) continue;
    line += ` ${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`;
  }
  if (err && typeof err === 'object' && 'stack' in err) {
    line += `\n${String((err as { stack: unknown }).stack)}`;
  }
  return `${line}\n`;
}

// ISO-8601 in UTC with milliseconds, `2026-11-25T13:40:01.123Z`: the same
// format as programs' timestamped lines (log_timestamps, src/output/prefix.ts),
// so merged output sorts and reads as one stream. (supervisord writes local
// time as `2026-11-25 13:40:01,123`; a container's clock is UTC anyway.)
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}

export interface LoggerOptions {
  level?: LogLevelName;
  format?: LogFormat;
  sink?: LogSink;
}

// Creates vigil's own logger. pino builds the records; the sink decides where
// the (text or JSON) line goes, so the daemon can route it through the same
// ordered writer as program output.
export function createLogger(options: LoggerOptions = {}): Logger {
  const sink = options.sink ?? fdSink(2);
  const format = options.format ?? 'text';
  const stream = {
    write(chunk: string): void {
      sink.write(format === 'json' ? chunk : formatText(chunk));
    },
  };
  return pino(
    {
      level: PINO_LEVEL[options.level ?? 'info'],
      base: format === 'json' ? { name: 'vigil' } : null,
      timestamp: format === 'json' ? pino.stdTimeFunctions.isoTime : pino.stdTimeFunctions.epochTime,
    },
    stream,
  );
}

// Logs `message` at a supervisord level name (the state machine's log
// effects), with structured `fields` for JSON consumers (see STRUCTURED_FIELDS).
export function logAt(logger: Logger, level: LogLevelName, message: string, fields?: Record<string, unknown>): void {
  if (fields === undefined) logger[PINO_LEVEL[level]](message);
  else logger[PINO_LEVEL[level]](fields, message);
}

// Fields of process records (those with `program`) that the text format leaves out: its sentence
// (supervisord's) already says them, and JSON records carry them for filtering.
const STRUCTURED_FIELDS = new Set(['program', 'group', 'pid', 'from', 'to', 'exitstatus', 'signal']);

// Parses a supervisord loglevel name; undefined when unknown.
export function parseLogLevel(value: string): LogLevelName | undefined {
  const lower = value.trim().toLowerCase();
  return lower in PINO_LEVEL ? (lower as LogLevelName) : undefined;
}
