// The XML-RPC method table over an in-memory ControlApi: supervisord's
// readFile/tailFile offset rules, name lookup, group results, SHUTDOWN_STATE
// and multicall, without a daemon.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../../../../src/log/logger.ts';
import { LogWindowError, readWindow, tailWindow } from '../../../../src/control/log-window.ts';
import type { LogReader } from '../../../../src/control/api.ts';
import { callMethod } from '../../../../src/control/xmlrpc/dispatch.ts';
import { XmlRpcFault } from '../../../../src/control/xmlrpc/faults.ts';
import type { MethodContext } from '../../../../src/control/xmlrpc/method.ts';
import { MemoryApi } from '../memory-api.ts';

function reader(text: string): LogReader {
  const data = Buffer.from(text);
  return { size: () => data.length, read: (offset, length) => data.subarray(offset, length === 0 ? undefined : offset + length) };
}

describe('readWindow (supervisord readFile)', () => {
  const log = reader('0123456789');
  const cases: [number, number, string][] = [
    [-4, 0, '6789'],
    [-100, 0, '0123456789'],
    [2, 3, '234'],
    [7, 0, '789'],
    [20, 5, ''],
  ];
  for (const [offset, length, expected] of cases) {
    it(`offset ${offset}, length ${length} -> ${JSON.stringify(expected)}`, () => {
      assert.equal(readWindow(log, offset, length).toString(), expected);
    });
  }
  it('refuses a negative offset with a length, and a negative length', () => {
    assert.throws(() => readWindow(log, -4, 2), (error: unknown) => error instanceof LogWindowError && error.fault === 'BAD_ARGUMENTS');
    assert.throws(() => readWindow(log, 0, -1), (error: unknown) => error instanceof LogWindowError && error.fault === 'BAD_ARGUMENTS');
  });
});

describe('tailWindow (supervisord tailFile)', () => {
  const log = reader('0123456789');
  // supervisord's own answers (tailFile on the same 10 bytes), quirks included:
  // offset 8 with a length past the end reads from 0.
  const cases: [number, number, string, number, boolean][] = [
    [0, 100, '0123456789', 10, false],
    [0, 4, '6789', 10, true],
    [8, 100, '0123456789', 10, false],
    [10, 100, '', 10, false],
    [50, 4, '', 10, false],
  ];
  for (const [offset, length, data, next, overflow] of cases) {
    it(`offset ${offset}, length ${length}`, () => {
      const window = tailWindow(log, offset, length);
      assert.deepEqual([window.data.toString(), window.offset, window.overflow], [data, next, overflow]);
    });
  }
});

function context(api: MemoryApi): MethodContext & { pending: (() => void)[] } {
  const pending: (() => void)[] = [];
  return {
    api,
    logger: createLogger({ level: 'critical', sink: { write: () => undefined } }),
    afterReply: (act) => pending.push(act),
    pending,
  };
}

async function faultOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof XmlRpcFault) return `${error.code} ${error.text}`;
    throw error;
  }
  return 'no fault';
}

describe('supervisor.* over a ControlApi', () => {
  it("looks names up as supervisord does: 'group:name', 'group:*', or a same-named group", async () => {
    const api = new MemoryApi();
    const ctx = context(api);
    assert.equal(((await callMethod(ctx, 'supervisor.getProcessInfo', ['web:web_00'])) as Record<string, unknown>)['pid'], 42);
    assert.equal(((await callMethod(ctx, 'supervisor.getProcessInfo', ['worker'])) as Record<string, unknown>)['name'], 'worker');
    // No guessing: `web` is not process web of group web.
    assert.equal(await faultOf(callMethod(ctx, 'supervisor.getProcessInfo', ['web'])), '10 BAD_NAME: web');
    assert.equal(await faultOf(callMethod(ctx, 'supervisor.getProcessInfo', ['web:*'])), '10 BAD_NAME: web:*');
  });

  it('answers group operations with a status struct per process acted on', async () => {
    const api = new MemoryApi();
    const result = await callMethod(context(api), 'supervisor.stopProcess', ['web:*']);
    assert.deepEqual(result, [
      { name: 'web_00', group: 'web', status: 80, description: 'OK' },
      { name: 'web_01', group: 'web', status: 80, description: 'OK' },
    ]);
    // Only what is not running is started; a failure carries its fault.
    const started = await callMethod(context(api), 'supervisor.startAllProcesses', []);
    assert.deepEqual(started, [
      { name: 'web_00', group: 'web', status: 80, description: 'OK' },
      { name: 'web_01', group: 'web', status: 80, description: 'OK' },
      { name: 'cron', group: 'cron', status: 80, description: 'OK' },
      { name: 'broken', group: 'broken', status: 50, description: 'SPAWN_ERROR: broken' },
    ]);
  });

  it('answers SHUTDOWN_STATE while shutting down or restarting, except system.* and sendRemoteCommEvent', async () => {
    const api = new MemoryApi();
    api.state = 'SHUTDOWN';
    assert.equal(await faultOf(callMethod(context(api), 'supervisor.getState', [])), '6 SHUTDOWN_STATE');
    api.state = 'RESTARTING';
    assert.equal(await faultOf(callMethod(context(api), 'supervisor.getAPIVersion', [])), '6 SHUTDOWN_STATE');
    assert.equal(await callMethod(context(api), 'supervisor.sendRemoteCommEvent', ['t', 'd']), true);
    assert.ok(Array.isArray(await callMethod(context(api), 'system.listMethods', [])));
  });

  it('shuts down only once the answer is out', async () => {
    const api = new MemoryApi();
    const ctx = context(api);
    assert.equal(await callMethod(ctx, 'supervisor.shutdown', []), true);
    assert.equal(api.shutdowns, 0);
    for (const act of ctx.pending) act();
    assert.equal(api.shutdowns, 1);
  });

  it('reads logs by offset and reports NO_FILE for a missing log file', async () => {
    const api = new MemoryApi();
    api.emit('web:web_00', 'stdout', 'hello world\n');
    assert.equal(await callMethod(context(api), 'supervisor.readProcessStdoutLog', ['web:web_00', -6, 0]), 'world\n');
    assert.deepEqual(await callMethod(context(api), 'supervisor.tailProcessLog', ['web:web_00', 0, 5]), ['orld\n', 12, true]);
    assert.equal(await faultOf(callMethod(context(api), 'supervisor.readProcessStderrLog', ['cron', 0, 0])), '20 NO_FILE: /nonexistent/cron.log');
    assert.deepEqual(await callMethod(context(api), 'supervisor.tailProcessStderrLog', ['cron', 0, 10]), ['', 0, false]);
    assert.equal(await callMethod(context(api), 'supervisor.readLog', [0, 0]), '2026-11-30 00:00:00,000 INFO vigil started\n');
  });

  it('runs a multicall in order, faults as structs, no nesting', async () => {
    const api = new MemoryApi();
    const result = await callMethod(context(api), 'system.multicall', [
      [
        { methodName: 'supervisor.stopProcess', params: ['worker'] },
        { methodName: 'supervisor.stopProcess', params: ['worker'] },
        { methodName: 'system.multicall', params: [[]] },
        { methodName: 'supervisor.nosuch', params: [] },
      ],
    ]);
    assert.deepEqual(result, [
      true,
      { faultCode: 70, faultString: 'NOT_RUNNING: worker' },
      { faultCode: 2, faultString: 'INCORRECT_PARAMETERS: Recursive system.multicall forbidden' },
      { faultCode: 1, faultString: 'UNKNOWN_METHOD' },
    ]);
  });

  it('checks the number of parameters', async () => {
    const ctx = context(new MemoryApi());
    assert.equal(await faultOf(callMethod(ctx, 'supervisor.getProcessInfo', [])), '2 INCORRECT_PARAMETERS');
    assert.equal(await faultOf(callMethod(ctx, 'supervisor.getPID', ['extra'])), '2 INCORRECT_PARAMETERS');
    assert.equal(await faultOf(callMethod(ctx, 'supervisor.sendProcessStdin', ['worker', 5])), '2 INCORRECT_PARAMETERS: 5');
  });
});
