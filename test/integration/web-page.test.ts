// The web page in a real browser (Debian's chromium, headless, through
// puppeteer-core) against vigil running as PID 1 with [inet_http_server] and
// basic auth: the contract clicked through (rows, buttons, Stop and
// Start reflected in `vigil ctl status` and in the page without a reload,
// changes made elsewhere pushed to the page), the tail, the reason a program
// failed, config updates adding and removing rows, and the safety rules: 401
// without credentials, cross-origin POSTs refused, GETs that change nothing,
// no request leaving the origin.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, HTTPRequest, Page } from 'puppeteer-core';
import { control, launchBrowser, rowOf, shownState, waitForShownState } from '../helpers/browser.ts';
import { tempDir, writeConfig } from '../helpers/config.ts';
import { freePort, httpCall } from '../helpers/net.ts';
import { FIXTURES, VIGIL, startVigil } from '../helpers/vigil.ts';
import type { VigilRun } from '../helpers/vigil.ts';
import { waitFor } from '../helpers/wait.ts';

const USER = 'admin';
const PASSWORD = 'web-s3cret';
const AUTH = `${USER}:${PASSWORD}`;

function programs(extra = ''): string {
  return `
[program:web]
command=${join(FIXTURES, 'ctl-ticker.sh')}
startsecs=0
stopwaitsecs=2
[program:workers]
command=sleep 1000
process_name=%(program_name)s_%(process_num)02d
numprocs=2
startsecs=0
[program:broken]
command=sh -c 'echo "broken: cannot read /etc/broken.conf" >&2; exit 3'
startretries=0
${extra}`;
}

// `vigil ctl status` as printed: name -> state.
function ctlStatus(config: string): Promise<Map<string, string>> {
  return new Promise((resolve) => {
    execFile(process.execPath, [VIGIL, 'ctl', '-c', config, 'status'], { timeout: 15_000 }, (_error, stdout) => {
      resolve(new Map(stdout.split('\n').flatMap((line) => {
        const match = /^(\S+)\s+([A-Z]+)/.exec(line);
        return match ? [[match[1] as string, match[2] as string] as const] : [];
      })));
    });
  });
}

function ctl(config: string, ...args: string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile(process.execPath, [VIGIL, 'ctl', '-c', config, ...args], { timeout: 15_000 }, (_error, stdout, stderr) => resolve(stdout + stderr));
  });
}

async function waitForCtlState(config: string, name: string, state: string, timeoutMs: number): Promise<void> {
  let last: string | undefined;
  await waitFor(
    async () => {
      last = (await ctlStatus(config)).get(name);
      return last === state;
    },
    { timeoutMs, intervalMs: 100, message: () => `vigil ctl status never showed ${name} ${state} (last: ${last ?? 'no line'})` },
  );
}

describe('web page in chromium', { timeout: 240_000 }, () => {
  let dir: string;
  let config: string;
  let port: number;
  let origin: string;
  let run: VigilRun;
  let browser: Browser;
  let page: Page;
  const offOrigin: string[] = []; // requests aimed anywhere but vigil
  const requests: { method: string; path: string }[] = []; // everything the page asked vigil

  const configText = (extra = ''): string => `
[inet_http_server]
port=127.0.0.1:${port}
username=${USER}
password=${PASSWORD}
${programs(extra)}`;

  before(async () => {
    dir = tempDir('vigil-web-');
    port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    config = writeConfig(configText(), dir);
    run = startVigil(['-c', config]);
    await waitForCtlState(config, 'web', 'RUNNING', 15_000);
    await waitForCtlState(config, 'broken', 'FATAL', 15_000);
    browser = await launchBrowser();
    page = await browser.newPage();
    await page.authenticate({ username: USER, password: PASSWORD });
    await page.setRequestInterception(true);
    page.on('request', (request: HTTPRequest) => {
      const url = new URL(request.url());
      if (url.protocol === 'data:') return void request.continue();
      if (url.origin !== origin) {
        offOrigin.push(request.url());
        return void request.abort();
      }
      requests.push({ method: request.method(), path: url.pathname });
      void request.continue();
    });
    const response = await page.goto(`${origin}/`, { waitUntil: 'load' });
    assert.equal(response?.status(), 200);
    await page.evaluate(() => ((window as unknown as { loadMarker: number }).loadMarker = 42));
    await waitForShownState(page, 'web', 'RUNNING', 10_000);
  });

  after(() => run?.kill());

  // The page is the same one it was (a reload would drop the marker).
  const notReloaded = async (): Promise<void> => {
    assert.equal(await page.evaluate(() => (window as unknown as { loadMarker?: number }).loadMarker), 42, 'the page was reloaded');
  };

  it('GET / is an HTML page titled vigil, 401 without credentials, with a strict CSP and no framing', async () => {
    for (const path of ['/', '/index.html']) {
      const denied = await httpCall({ port }, { path });
      assert.equal(denied.status, 401, `${path} without credentials`);
      const reply = await httpCall({ port }, { path, auth: AUTH });
      assert.equal(reply.status, 200);
      assert.match(String(reply.headers['content-type']), /^text\/html/);
      assert.match(reply.body, /<title>[^<]*vigil[^<]*<\/title>/);
      assert.doesNotMatch(reply.body, /<script(?![^>]*\bsrc=)[^>]*>/, 'inline script in the page');
      const csp = String(reply.headers['content-security-policy']);
      assert.match(csp, /script-src 'self'/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      assert.equal(reply.headers['x-frame-options'], 'DENY');
    }
    // The unix socket serves the same page (no credentials there: file mode guards it).
    const unix = await httpCall({ socketPath: join(dir, 'vigil.sock') }, { path: '/' });
    assert.equal(unix.status, 200);
    assert.match(unix.body, /<title>[^<]*vigil/);
    assert.match(await page.title(), /vigil/);
  });

  it('shows one row per process, as vigil ctl status names it, with its state and description', async () => {
    const status = await ctlStatus(config);
    assert.deepEqual([...status.keys()].sort(), ['broken', 'web', 'workers:workers_00', 'workers:workers_01']);
    for (const [name, state] of status) {
      const row = await rowOf(page, name);
      assert.ok(row, `no row for ${name}`);
      assert.equal(await shownState(page, name), state);
      const text = await row.evaluate((tr) => tr.textContent ?? '');
      // As words, for whatever reads the row's text.
      assert.match(text, new RegExp(`^${name} ${state} `), `row text: ${text}`);
      if (state === 'RUNNING') assert.match(text, /pid \d+, uptime \d+:\d\d:\d\d/, `${name}: ${text}`);
      for (const label of ['Start', 'Stop', 'Restart', 'Tail']) await control(row, label);
    }
    for (const label of ['Start all', 'Stop all', 'Restart all']) await control(page, label);
  });

  it('explains a FATAL program: its spawn error and its last stderr lines', async () => {
    const row = await rowOf(page, 'broken');
    assert.ok(row);
    await waitFor(async () => (await row.evaluate((tr) => tr.textContent ?? '')).includes('cannot read /etc/broken.conf'), {
      timeoutMs: 10_000,
      message: 'the FATAL row never showed the stderr line',
    });
    assert.match(await row.evaluate((tr) => tr.textContent ?? ''), /Exited too quickly/);
  });

  it('Stop and Start in a row act on that program and the row follows without a reload', async () => {
    const before = await ctlStatus(config);
    await (await control((await rowOf(page, 'web'))!, 'Stop')).click();
    await waitForCtlState(config, 'web', 'STOPPED', 5_000);
    await waitForShownState(page, 'web', 'STOPPED', 5_000);
    assert.equal((await ctlStatus(config)).get('workers:workers_00'), before.get('workers:workers_00'), 'another program changed');
    await (await control((await rowOf(page, 'web'))!, 'Start')).click();
    await waitForCtlState(config, 'web', 'RUNNING', 5_000);
    await waitForShownState(page, 'web', 'RUNNING', 5_000);
    await notReloaded();
  });

  it('a change made with vigil ctl shows in the open page within 3 s', async () => {
    await ctl(config, 'stop', 'web');
    await waitForShownState(page, 'web', 'STOPPED', 3_000);
    await ctl(config, 'start', 'workers:workers_01'); // already running: no change
    await ctl(config, 'start', 'web');
    await waitForShownState(page, 'web', 'RUNNING', 3_000);
    await notReloaded();
  });

  it('Restart gives the program a new pid', async () => {
    const pidOf = async (): Promise<string> => (await ctl(config, 'pid', 'web')).trim();
    const first = await pidOf();
    await (await control((await rowOf(page, 'web'))!, 'Restart')).click();
    await waitFor(async () => {
      const now = await pidOf();
      return /^\d+$/.test(now) && now !== first && now !== '0';
    }, { timeoutMs: 10_000, message: 'web never got a new pid' });
    await waitForShownState(page, 'web', 'RUNNING', 5_000);
  });

  it('Tail shows recent stdout and then follows it live; stderr can be chosen', async () => {
    await (await control((await rowOf(page, 'web'))!, 'Tail')).click();
    const output = async (): Promise<string> => page.$eval('#tail-output', (pre) => pre.textContent ?? '');
    const firstTick = await waitFor(async () => /tick (\d+)/.exec(await output())?.[1], { timeoutMs: 5_000, message: 'no stdout in the tail' });
    // The newest tick: the backlog may hold a previous run's higher numbers.
    const last = (text: string): number => Number([...text.matchAll(/tick (\d+)/g)].at(-1)?.[1] ?? -1);
    const seen = last(await output());
    await waitFor(async () => last(await output()) > seen + 3, { timeoutMs: 5_000, message: `the tail did not follow (stuck after tick ${seen}, first ${firstTick})` });
    await page.select('#tail-channel', 'stderr');
    let shown = '';
    await waitFor(async () => {
      shown = await output();
      return /err \d+/.test(shown) && !/tick \d+/.test(shown);
    }, { timeoutMs: 5_000, message: () => `stderr not shown: ${shown}` });
    await (await control(page, 'Close tail')).click();
  });

  it('Stop all and Start all act on every process', async () => {
    await (await control(page, 'Stop all')).click();
    for (const name of ['web', 'workers:workers_00', 'workers:workers_01']) await waitForShownState(page, name, 'STOPPED', 10_000);
    for (const name of ['web', 'workers:workers_00', 'workers:workers_01']) assert.equal((await ctlStatus(config)).get(name), 'STOPPED');
    await (await control(page, 'Start all')).click();
    for (const name of ['web', 'workers:workers_00', 'workers:workers_01']) await waitForShownState(page, name, 'RUNNING', 10_000);
    const pidsBefore = await ctl(config, 'pid', 'all');
    await (await control(page, 'Restart all')).click();
    // Every running program gets a new pid (broken fails again, as it should).
    let pids = '';
    await waitFor(async () => {
      pids = await ctl(config, 'pid', 'all');
      const numbers = (text: string): string[] => text.split('\n').filter((line) => /^[1-9]\d*$/.test(line.trim()));
      const now = numbers(pids);
      return now.length === 3 && now.every((pid) => !numbers(pidsBefore).includes(pid));
    }, { timeoutMs: 15_000, message: () => `Restart all did not restart everything: before\n${pidsBefore}\nafter\n${pids}` });
    for (const name of ['web', 'workers:workers_00', 'workers:workers_01']) await waitForShownState(page, name, 'RUNNING', 10_000);
    await notReloaded();
  });

  it('works from the keyboard, in dark mode and at phone width', async () => {
    // Keyboard: Tab moves through the controls in order; Enter and Space press them.
    await page.focus('#filter');
    await page.keyboard.type('web');
    assert.equal(await page.$$eval('tbody tr:not([hidden])', (rows) => rows.length), 1, 'the filter did not narrow the table to web');
    await page.keyboard.press('Tab');
    const focused = async (): Promise<string> => page.evaluate(() => document.activeElement?.textContent ?? '');
    let presses = 0;
    while ((await focused()) !== 'Stop' && presses++ < 20) await page.keyboard.press('Tab');
    assert.equal(await focused(), 'Stop', 'Tab never reached the Stop button of web');
    await page.keyboard.press('Enter');
    await waitForShownState(page, 'web', 'STOPPED', 5_000);
    await page.keyboard.down('Shift');
    await page.keyboard.press('Tab');
    await page.keyboard.up('Shift');
    assert.equal(await focused(), 'Start');
    await page.keyboard.press('Space');
    await waitForShownState(page, 'web', 'RUNNING', 5_000);
    await page.$eval('#filter', (input) => ((input as HTMLInputElement).value = ''));
    await page.type('#filter', ' ');
    await page.keyboard.press('Backspace');
    assert.equal(await page.$$eval('tbody tr:not([hidden])', (rows) => rows.length), 4);
    // Dark mode follows the system's preference.
    const background = (): Promise<string> => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const light = await background();
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    assert.notEqual(await background(), light);
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
    // A phone: nothing wider than the screen, the buttons still there.
    const viewport = page.viewport();
    await page.setViewport({ width: 375, height: 800 });
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 375), 'the page scrolls sideways at 375 px');
    await control((await rowOf(page, 'workers:workers_00'))!, 'Restart');
    if (viewport) await page.setViewport(viewport);
    await notReloaded();
  });

  it('rows appear and disappear when the config is updated from the page', async () => {
    writeFileSync(config, writeConfigText(configText('[program:extra]\ncommand=sleep 1000\nstartsecs=0\n'), dir));
    await (await control(page, 'Reread config')).click();
    await waitFor(async () => (await page.$eval('#changes-list', (ul) => ul.textContent ?? '')).includes('extra: added'), {
      timeoutMs: 10_000,
      message: 'the reread diff never showed extra: added',
    });
    await (await control(page, 'Apply update')).click();
    await waitForShownState(page, 'extra', 'RUNNING', 10_000);
    writeFileSync(config, writeConfigText(configText(), dir));
    await ctl(config, 'update');
    await waitFor(async () => (await rowOf(page, 'extra')) === null, { timeoutMs: 10_000, message: 'the row of the removed program stayed' });
    await notReloaded();
  });

  it('refuses a cross-origin POST (403) from another site in the browser and from curl alike', async () => {
    const pidBefore = (await ctl(config, 'pid', 'web')).trim();
    // Another site, on another port, whose page tries to stop web.
    const evilPort = await freePort();
    const evil: Server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(`<!doctype html><title>evil</title><script>
fetch('${origin}/stop', {method: 'POST', mode: 'no-cors', credentials: 'include', headers: {'Content-Type': 'text/plain'}, body: '{"names":["web"]}'})
  .then(() => { document.title = 'sent'; }, () => { document.title = 'failed'; });
</script>`);
    });
    await new Promise<void>((resolve) => evil.listen(evilPort, '127.0.0.1', resolve));
    try {
      const evilPage = await browser.newPage();
      await evilPage.authenticate({ username: USER, password: PASSWORD });
      const statuses: number[] = [];
      evilPage.on('response', (response) => {
        if (response.url() === `${origin}/stop`) statuses.push(response.status());
      });
      await evilPage.goto(`http://localhost:${evilPort}/`, { waitUntil: 'load' });
      await waitFor(async () => (await evilPage.title()) !== 'evil', { timeoutMs: 10_000, message: 'the cross-origin fetch never finished' });
      await waitFor(() => statuses.length > 0, { timeoutMs: 5_000, message: 'no response seen for the cross-origin POST' });
      assert.deepEqual(statuses, [403]);
      await evilPage.close();
    } finally {
      evil.closeAllConnections(); // chromium keeps its connection alive
      await new Promise((resolve) => evil.close(resolve));
    }
    for (const headers of [{ Origin: 'http://evil.example' }, { Origin: 'null' }, { Origin: `http://localhost:${port}` }]) {
      const reply = await httpCall({ port }, { method: 'POST', path: '/stop', body: '{"names":["web"]}', auth: AUTH, headers });
      assert.equal(reply.status, 403, `${JSON.stringify(headers)}: ${reply.body}`);
    }
    assert.equal((await ctl(config, 'pid', 'web')).trim(), pidBefore, 'web was stopped or restarted');
    // The page's own origin, and no Origin at all (vigil ctl, curl), still work.
    const own = await httpCall({ port }, { method: 'POST', path: '/signal', body: '{"signal":"USR1","names":["web"]}', auth: AUTH, headers: { Origin: origin } });
    assert.equal(own.status, 200, own.body);
  });

  it('GETs never change state: every endpoint by GET leaves every pid as it was', async () => {
    const pids = async (): Promise<string> => ctl(config, 'pid', 'all');
    const before = await pids();
    const paths = ['/', '/index.html', '/app.js', '/app.css', '/version', '/status', '/pid', '/avail', '/tail?name=web',
      '/start?names=web', '/stop?name=all', '/restart?name=all', '/signal?signal=KILL&name=all', '/clear?name=web', '/reread', '/update', '/reload', '/shutdown'];
    for (const path of paths) {
      const reply = await httpCall({ port }, { path, auth: AUTH });
      assert.ok(reply.status === 200 || reply.status === 405, `GET ${path}: ${reply.status} ${reply.body}`);
    }
    assert.equal(await pids(), before);
    // And the page itself used GET only to read and POST for every change.
    const reads = new Set(['/', '/index.html', '/app.js', '/app.css', '/events', '/version', '/tail']);
    for (const { method, path } of requests) {
      if (method === 'GET') assert.ok(reads.has(path), `the page sent GET ${path}`);
      else assert.equal(method, 'POST', `the page sent ${method} ${path}`);
    }
    assert.ok(requests.some((r) => r.method === 'POST' && r.path === '/stop'), 'no POST /stop seen: the request log is broken');
  });

  it('loaded nothing from another origin', async () => {
    assert.deepEqual(offOrigin, []);
    // The interception saw the page's own assets: it was really watching.
    assert.ok(requests.some((r) => r.path === '/app.js'), 'no request for /app.js recorded');
    assert.ok(requests.some((r) => r.path === '/events'), 'no request for /events recorded');
  });
});

// writeConfig's text (with the socket and [supervisord]) without a new directory.
function writeConfigText(body: string, dir: string): string {
  return `[supervisord]\n[unix_http_server]\nfile=${join(dir, 'vigil.sock')}\n${body}`;
}
