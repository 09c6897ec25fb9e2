// The runner around the pure machine (SupervisedProcess, Supervisor) over the
// real-api harness: a throwing listener is contained, and settle listeners
// see a dispatch's final state.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { waitFor } from '../../helpers/wait.ts';
import { startRealApi } from '../control/real-api.ts';

const CONFIG = `[supervisord]
[program:cron]
command=/bin/true
autostart=false
startsecs=0
autorestart=true
`;

describe('SupervisedProcess', () => {
  it('a spawn listener that throws is contained: the process still reaches RUNNING with its pid', async () => {
    const real = await startRealApi(CONFIG);
    const cron = real.supervisor.processes.get('cron:cron');
    assert.ok(cron);
    cron.onSpawn(() => {
      throw new Error('boom in a spawn listener');
    });
    const result = await real.adapter.start('cron:cron');
    assert.deepEqual(result, { name: 'cron:cron', ok: true });
    assert.equal(cron.state.name, 'RUNNING');
    assert.ok(cron.state.pid > 0);
    await real.close();
  });

  it('settle listeners get every change of a dispatch once it is over: EXITED then STARTING again', async () => {
    const real = await startRealApi(CONFIG);
    const cron = real.supervisor.processes.get('cron:cron');
    assert.ok(cron);
    await real.adapter.start('cron:cron');
    const settled: string[][] = [];
    cron.onSettled((changes, process) => settled.push([...changes.map((c) => `${c.from}->${c.to}`), `now ${process.state.name}`]));
    // A signal the fake child dies of: autorestart=true restarts it in the same dispatch.
    real.adapter.signal('cron:cron', 'HUP');
    await waitFor(() => settled.length > 0, { timeoutMs: 5000, message: 'a settled dispatch' });
    assert.deepEqual(settled[0], ['RUNNING->EXITED', 'EXITED->STARTING', 'now STARTING']);
    await real.close();
  });
});
