// The web page left open through a minute of state churn (every program
// stopped and started over and over, a chatty program tailed): its JS heap
// and DOM stay bounded, and it still shows the truth at the end. Length:
// VIGIL_WEB_SOAK_SECONDS (default 60).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { control, launchBrowser, rowOf, waitForShownState } from '../helpers/browser.ts';
import { tempDir, writeConfig } from '../helpers/config.ts';
import { freePort, httpCall } from '../helpers/net.ts';
import { FIXTURES, VIGIL, startVigil } from '../helpers/vigil.ts';
import type { VigilRun } from '../helpers/vigil.ts';
import { waitFor } from '../helpers/wait.ts';

const SOAK_MS = Number(process.env['VIGIL_WEB_SOAK_SECONDS'] ?? 60) * 1000;
const PROGRAMS = 20;

describe('web page soak', { timeout: SOAK_MS + 180_000 }, () => {
  let run: VigilRun | undefined;
  after(() => run?.kill());

  it('keeps its heap and DOM bounded through state churn, and ends up showing the truth', async () => {
    const dir = tempDir('vigil-web-soak-');
    const port = await freePort();
    const config = writeConfig(
      `[inet_http_server]\nport=127.0.0.1:${port}\n` +
        `[program:chatty]\ncommand=${join(FIXTURES, 'ctl-ticker.sh')}\nstartsecs=0\n` +
        `[program:pool]\ncommand=sleep 1000\nprocess_name=%(program_name)s_%(process_num)02d\nnumprocs=${PROGRAMS}\nstartsecs=0\nstopwaitsecs=2\n`,
      dir,
    );
    run = startVigil(['-c', config]);
    const socketPath = join(dir, 'vigil.sock');
    await waitFor(async () => (await httpCall({ socketPath }, { path: '/status' }).catch(() => undefined))?.body.includes('"RUNNING"'), {
      timeoutMs: 15_000,
      message: 'vigil never answered with a running program',
    });

    const browser = await launchBrowser();
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`, { waitUntil: 'load' });
    await waitForShownState(page, 'pool:pool_19', 'RUNNING', 15_000);
    await (await control((await rowOf(page, 'chatty'))!, 'Tail')).click();
    const cdp = await page.createCDPSession();
    const measure = async (): Promise<{ heap: number; nodes: number }> => {
      await cdp.send('HeapProfiler.collectGarbage');
      const metrics = await page.metrics();
      return { heap: metrics.JSHeapUsedSize ?? 0, nodes: metrics.Nodes ?? 0 };
    };

    // Churn from outside the page (as `vigil ctl` would), as fast as vigil
    // answers, until the deadline; samples every few seconds.
    const post = (path: string, names: string[]) => httpCall({ socketPath }, { method: 'POST', path, body: JSON.stringify({ names }) });
    const samples: { heap: number; nodes: number }[] = [];
    const started = Date.now();
    let nextSample = started + SOAK_MS / 6;
    let rounds = 0;
    while (Date.now() - started < SOAK_MS) {
      await post('/stop', ['pool:*']);
      await post('/start', ['pool:*']);
      await post('/restart', ['chatty']);
      rounds++;
      if (Date.now() >= nextSample) {
        samples.push(await measure());
        nextSample += SOAK_MS / 6;
      }
    }
    samples.push(await measure());
    const [baseline] = samples;
    const last = samples[samples.length - 1];
    assert.ok(baseline && last && rounds > 3, `too few rounds (${rounds}) or samples`);
    const report = samples.map((s) => `${(s.heap / 1048576).toFixed(2)} MiB/${s.nodes} nodes`).join(', ');
    // Bounded: after a warm-up the heap may wobble but not keep growing.
    // Measured after a forced GC, the page's heap stays within ~60 KiB over a
    // minute here (the tail's text, itself capped); keeping one ProcessInfo
    // per change grows it ~450 KiB a minute, which this catches.
    assert.ok(last.heap - baseline.heap <= Math.max(256 * 1024, baseline.heap * 0.15), `JS heap grew: ${report} over ${rounds} rounds`);
    assert.ok(last.nodes <= baseline.nodes * 1.5 + 500, `DOM grew: ${report}`);
    assert.equal(await page.$$eval('tbody tr', (rows) => rows.length), PROGRAMS + 1, 'rows were duplicated or lost');
    // The tail keeps a bounded window of a program that never stops talking.
    assert.ok((await page.$eval('#tail-output', (pre) => pre.textContent?.length ?? 0)) <= 64 * 1024);

    // Still the truth: stop one program from outside, the page follows.
    await new Promise<void>((resolve) => execFile(process.execPath, [VIGIL, 'ctl', '-c', config, 'stop', 'pool:pool_07'], () => resolve()));
    await waitForShownState(page, 'pool:pool_07', 'STOPPED', 3_000);
    await waitForShownState(page, 'pool:pool_08', 'RUNNING', 3_000);
    console.log(`soak: ${rounds} rounds in ${Math.round((Date.now() - started) / 1000)} s; heap/DOM after GC: ${report}`);
    await page.close();
  });
});
