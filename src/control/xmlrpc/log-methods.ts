// supervisor.* methods for logs and stdin: read/tail a process's log by
// offsets, clear logs, the main log, sendProcessStdin. A process whose output
// goes to vigil's stdout is read from its ring buffer, so `supervisorctl tail`
// works in a container (supervisord's answers NO_FILE there).
import type { ActionResult, LogReader, OutputChannel } from '../api.ts';
import { makeNamespec } from '../names.ts';
import { LogWindowError, readWindow, tailWindow } from '../log-window.ts';
import type { XmlRpcValue } from './codec.ts';
import { FAULT_CODES, XmlRpcFault } from './faults.ts';
import { faultOf, fullNameOf, intArg, method, resolveProcess, resultStruct, stringArg, throwIfFailed } from './method.ts';
import type { MethodContext, MethodSpec } from './method.ts';

function readerOf(ctx: MethodContext, name: string, channel: OutputChannel): LogReader {
  const info = resolveProcess(ctx.api, name);
  const reader = ctx.api.logReader(fullNameOf(info), channel);
  if ('size' in reader) return reader;
  throw faultOf(reader as Extract<ActionResult, { ok: false }>, name);
}

function read(reader: LogReader, offset: XmlRpcValue | undefined, length: XmlRpcValue | undefined): string {
  try {
    return readWindow(reader, intArg(offset), intArg(length)).toString('utf8');
  } catch (error) {
    if (error instanceof LogWindowError) throw new XmlRpcFault(error.fault);
    throw error;
  }
}

function readProcessLog(channel: OutputChannel): MethodSpec {
  return method('string', 'string name, int offset, int length', `Read length bytes from name's ${channel} log starting at offset`, (ctx, [name, offset, length]) =>
    read(readerOf(ctx, stringArg(name), channel), offset, length),
  );
}

// tailFile: [bytes, next offset, overflow]. A missing log file is ['', 0, false].
function tailProcessLog(channel: OutputChannel): MethodSpec {
  return method('array', 'string name, int offset, int length', `Tail the ${channel} log: [string bytes, int offset, bool overflow]`, (ctx, [name, offset, length]) => {
    const info = resolveProcess(ctx.api, stringArg(name));
    const reader = ctx.api.logReader(fullNameOf(info), channel);
    if (!('size' in reader)) return ['', 0, false];
    const window = tailWindow(reader, intArg(offset), intArg(length));
    return [window.data.toString('utf8'), window.offset, window.overflow];
  });
}

const readProcessStdoutLog = readProcessLog('stdout');
const tailProcessStdoutLog = tailProcessLog('stdout');
const clearProcessLogs = method('boolean', 'string name', 'Clear the stdout and stderr logs for the named process and reopen them.', (ctx, [name]) => {
  const spec = stringArg(name);
  const info = resolveProcess(ctx.api, spec);
  const result = ctx.api.clear(fullNameOf(info));
  // supervisord's FAILED names the process, not the reason.
  if (!result.ok && result.fault === 'FAILED') throw new XmlRpcFault('FAILED', spec);
  return throwIfFailed(result, spec);
});
const readLog = method('string', 'int offset, int length', 'Read length bytes from the main log starting at offset', (ctx, [offset, length]) =>
  read(ctx.api.mainLogReader(), offset, length),
);

export const LOG_METHODS: Readonly<Record<string, MethodSpec>> = {
  readProcessStdoutLog,
  readProcessLog: readProcessStdoutLog,
  readProcessStderrLog: readProcessLog('stderr'),
  tailProcessStdoutLog,
  tailProcessLog: tailProcessStdoutLog,
  tailProcessStderrLog: tailProcessLog('stderr'),
  clearProcessLogs,
  clearProcessLog: clearProcessLogs,
  clearAllProcessLogs: method('array', '', 'Clear all process log files', (ctx) =>
    ctx.api.processes().map((info) => {
      const result = ctx.api.clear(fullNameOf(info));
      if (!result.ok && result.fault === 'FAILED') {
        return { name: info.name, group: info.group, status: FAULT_CODES.FAILED, description: `FAILED: ${makeNamespec(info.group, info.name)}` };
      }
      return resultStruct(info, result);
    }),
  ),
  readLog,
  readMainLog: readLog,
  clearLog: method('boolean', '', 'Clear the main log.', (ctx) => {
    const result = ctx.api.clearMainLog();
    if (!result.ok) throw new XmlRpcFault(result.fault === 'NO_FILE' ? 'NO_FILE' : 'FAILED');
    return true;
  }),
  sendProcessStdin: method('boolean', 'string name, string chars', 'Send a string of chars to the stdin of the process name.', (ctx, [name, chars]) => {
    if (typeof chars !== 'string') throw new XmlRpcFault('INCORRECT_PARAMETERS', String(chars));
    const spec = stringArg(name);
    const info = resolveProcess(ctx.api, spec);
    return throwIfFailed(ctx.api.sendStdin(fullNameOf(info), Buffer.from(chars, 'utf8')), spec);
  }),
};
