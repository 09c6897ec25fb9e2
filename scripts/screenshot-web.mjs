#!/usr/bin/env node
// Takes real screenshots of vigil's web page: builds nothing (run
// `npm run build` first), starts dist/vigil.js as PID 1 of a fresh PID
// namespace with a small demo config, opens the page in Debian's headless
// chromium (puppeteer-core) and writes docs/web.png (light), docs/web-dark.png
// (prefers-color-scheme: dark) and docs/web-phone.png (390 px wide).
// Usage: node scripts/screenshot-web.mjs   (root: unshare; chromium from scripts/install-peers)
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'docs');
const dir = mkdtempSync(join(tmpdir(), 'vigil-screenshot-'));
const port = await new Promise((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});

// A small app: a web server, two workers, a cron that is off, and a
// migration that fails on start (the row shows why).
writeFileSync(
  join(dir, 'vigil.conf'),
  `[supervisord]
[unix_http_server]
file=${join(dir, 'vigil.sock')}
[inet_http_server]
port=127.0.0.1:${port}
username=admin
password=demo
[program:web]
command=sh -c 'while :; do echo "GET /health 200 1.2ms"; sleep 1; done'
startsecs=0
[program:workers]
command=sleep 100000
process_name=%(program_name)s_%(process_num)02d
numprocs=2
startsecs=0
[program:cron]
command=sleep 100000
autostart=false
[program:migrate]
command=sh -c 'echo "connecting to postgres://db:5432/app" >&2; echo "error: connection refused (is the database up?)" >&2; exit 2'
startretries=1
`,
);

const vigil = spawn('unshare', ['--pid', '--fork', '--mount-proc', process.execPath, join(root, 'dist/vigil.js'), '-c', join(dir, 'vigil.conf')], { stdio: 'ignore' });
const browser = await puppeteer.launch({ executablePath: process.env.VIGIL_CHROMIUM ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--hide-scrollbars'] });
try {
  const page = await browser.newPage();
  await page.authenticate({ username: 'admin', password: 'demo' });
  const open = async () => {
    for (let attempt = 0; ; attempt++) {
      try {
        await page.goto(`http://127.0.0.1:${port}/`, { waitUntil: 'load' });
        break;
      } catch (error) {
        if (attempt > 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    await page.waitForFunction(() => {
      const text = document.querySelector('tbody')?.textContent ?? '';
      return text.includes('FATAL') && text.includes('connection refused') && text.includes('workers:workers_01') && /uptime \d/.test(text);
    }, { timeout: 30_000 });
  };
  mkdirSync(out, { recursive: true });
  await page.setViewport({ width: 1100, height: 640, deviceScaleFactor: 1 });
  await open();
  // Uptimes tick past a few seconds, and the tail panel shows live output.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  await page.click('tbody tr:nth-child(3) td.actions button:nth-child(4)'); // web's Tail
  await page.waitForFunction(() => (document.querySelector('#tail-output')?.textContent ?? '').includes('GET /health'), { timeout: 10_000 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(out, 'web.png'), fullPage: true });
  await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
  await page.screenshot({ path: join(out, 'web-dark.png'), fullPage: true });
  await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
  await page.setViewport({ width: 390, height: 844, deviceScaleFactor: 1 });
  await page.click('#tail-close');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(out, 'web-phone.png'), fullPage: false });
  console.log(`screenshot-web: wrote ${['web.png', 'web-dark.png', 'web-phone.png'].map((f) => join('docs', f)).join(', ')}`);
} finally {
  await browser.close();
  // vigil is PID 1 of its namespace: killing unshare's child takes it all down.
  const { execFileSync } = await import('node:child_process');
  const pid1 = execFileSync('pgrep', ['-P', String(vigil.pid)], { encoding: 'utf8' }).trim();
  if (pid1) process.kill(Number(pid1), 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
