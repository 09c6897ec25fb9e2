// vigil's own log: records built here, formatted as supervisord-like text or
// as JSON lines in pino's layout, written to a sink. Not pino itself: loading
// pino (and sonic-boom, thread-stream, assert, stream...) was the largest
// part of init mode's start-up and 2.5 MiB of its idle memory, for a log of a
// few lines a second (BENCHMARKS.md, issue 14). The JSON lines keep pino's
// shape ({level, time, name, ...fields, msg}, `err` as {type, message, stack}).
import { writeSync } from 'node:fs';

export type LogFormat = 'text' | 'json';
// supervisord's level names; `critical` and `blather` map onto fatal/trace.
export type LogLevelName = 'critical' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'blather';

// Where formatted log lines go. Each call receives exactly one line ending in '\n'.
export interface LogSink {
  write(line: string): void;
}

type Method = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
type Fields = Record<string, unknown>;

export interface LogFn {
  (message: string): void;
  (fields: Fields | Error, message?: string): void;
}

// The calls vigil makes (pino's signatures, so call sites read the same).
export type Logger = Record<Method, LogFn> & {
  // pino's name: whether a call at `level` would write anything.
  isLevelEnabled(level: Method): boolean;
};

// pino's level numbers (JSON lines carry them).
const LEVEL_NUMBER: Record<Method, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

const METHOD: Record<LogLevelName, Method> = {
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
// then any extra fields as key=value, then an error's stack.
function formatText(level: number, time: number, message: string, fields: Fields | undefined): string {
  let line = `${formatTimestamp(time)} ${LEVEL_LABEL[level] ?? String(level)} ${message}`;
  let stack: string | undefined;
  if (fields) {
    const processRecord = 'program' in fields;
    for (const [key, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      if (processRecord && STRUCTURED_FIELDS.has(key)) continue;
      if (key === 'err' && value instanceof Error) {
        stack = value.stack ?? `${value.name}: ${value.message}`;
        continue;
      }
      line += ` ${key}=${typeof value === 'string' ? value : safeJson(value)}`;
    }
  }
  return stack === undefined ? `${line}\n` : `${line}\n${stack}\n`;
}

// pino's JSON line: {"level":30,"time":"...","name":"vigil",...fields,"msg":"..."}.
function formatJson(level: number, time: number, message: string | undefined, fields: Fields | undefined): string {
  const record: Fields = { level, time: new Date(time).toISOString(), name: 'vigil' };
  if (fields) {
    for (const [key, value] of Object.entries(fields)) {
      record[key] = key === 'err' && value instanceof Error ? serializeError(value) : value;
    }
  }
  if (message !== undefined) record.msg = message;
  return `${safeJson(record)}\n`;
}

// pino's std error serializer, in short: type, message, stack, own fields (code, errno...).
function serializeError(error: Error): Fields {
  const out: Fields = { type: error.constructor?.name ?? error.name, message: error.message, stack: error.stack };
  for (const [key, value] of Object.entries(error)) if (!(key in out)) out[key] = value instanceof Error ? serializeError(value) : value;
  if (error.cause instanceof Error) out.cause = serializeError(error.cause);
  return out;
}

// JSON.stringify that survives cycles and BigInts (a log call must never throw).
function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? String(value);
  } catch {
    return '"[unserializable]"';
  }
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

const noop: LogFn = () => undefined;

// Creates vigil's own logger; the sink decides where each line goes, so the
// daemon can route it through the same ordered writer as program output.
export function createLogger(options: LoggerOptions = {}): Logger {
  const sink = options.sink ?? fdSink(2);
  const json = options.format === 'json';
  const threshold = LEVEL_NUMBER[METHOD[options.level ?? 'info']];
  const method = (name: Method): LogFn => {
    const level = LEVEL_NUMBER[name];
    if (level < threshold) return noop;
    return (first: Fields | Error | string, second?: string): void => {
      let fields: Fields | undefined;
      let message: string | undefined;
      if (typeof first === 'string') message = first;
      else if (first instanceof Error) {
        fields = { err: first };
        message = second ?? first.message;
      } else {
        fields = first;
        message = second;
      }
      const time = Date.now();
      sink.write(json ? formatJson(level, time, message, fields) : formatText(level, time, message ?? '', fields));
    };
  };
  return {
    fatal: method('fatal'),
    error: method('error'),
    warn: method('warn'),
    info: method('info'),
    debug: method('debug'),
    trace: method('trace'),
    isLevelEnabled: (level) => LEVEL_NUMBER[level] >= threshold,
  };
}

// Logs `message` at a supervisord level name (the state machine's log
// effects), with structured `fields` for JSON consumers (see STRUCTURED_FIELDS).
export function logAt(logger: Logger, level: LogLevelName, message: string, fields?: Record<string, unknown>): void {
  if (fields === undefined) logger[METHOD[level]](message);
  else logger[METHOD[level]](fields, message);
}

// Fields of process records (those with `program`) that the text format leaves out: its sentence
// (supervisord's) already says them, and JSON records carry them for filtering.
const STRUCTURED_FIELDS = new Set(['program', 'group', 'pid', 'from', 'to', 'exitstatus', 'signal']);

// Parses a supervisord loglevel name; undefined when unknown.
export function parseLogLevel(value: string): LogLevelName | undefined {
  const lower = value.trim().toLowerCase();
  return lower in METHOD ? (lower as LogLevelName) : undefined;
}
