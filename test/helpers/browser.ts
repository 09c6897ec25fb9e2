// Debian's chromium, headless, driven by puppeteer-core (which downloads no
// browser of its own; scripts/install-peers installs chromium). The browser
// is killed by pid when the test file ends, whatever happened.
import { existsSync } from 'node:fs';
import { after } from 'node:test';
import puppeteer from 'puppeteer-core';
import type { Browser, ElementHandle, Page } from 'puppeteer-core';
import { waitFor } from './wait.ts';

export const CHROMIUM = process.env['VIGIL_CHROMIUM'] ?? '/usr/bin/chromium';

const browsers = new Set<Browser>();
after(async () => {
  for (const browser of browsers) {
    const pid = browser.process()?.pid;
    await browser.close().catch(() => undefined);
    if (pid !== undefined) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
});

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: run scripts/install-peers (Debian package chromium)`);
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Root in a container: chromium's sandbox needs user namespaces it may not get.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--no-default-browser-check'],
    protocolTimeout: 60_000,
  });
  browsers.add(browser);
  return browser;
}

// The table row (<tr>) of one process, by the name `vigil ctl status` prints.
export async function rowOf(page: Page, name: string): Promise<ElementHandle<HTMLTableRowElement> | null> {
  const rows = await page.$$('tbody tr');
  for (const row of rows) {
    const header = await row.$eval('th', (th) => th.textContent ?? '').catch(() => '');
    if (header === name) return row as ElementHandle<HTMLTableRowElement>;
  }
  return null;
}

// The state shown in a process's row, or undefined while there is no row.
export async function shownState(page: Page, name: string): Promise<string | undefined> {
  return page.evaluate((wanted) => {
    for (const row of document.querySelectorAll('tbody tr')) {
      if (row.querySelector('th')?.textContent === wanted) return row.querySelector('.state')?.textContent ?? '';
    }
    return undefined;
  }, name);
}

export function waitForShownState(page: Page, name: string, state: string, timeoutMs: number): Promise<string> {
  let last: string | undefined;
  return waitFor(
    async () => {
      last = await shownState(page, name);
      return last === state ? last : undefined;
    },
    { timeoutMs, intervalMs: 50, message: () => `the page never showed ${name} ${state} (it shows ${last ?? 'no row'})` },
  );
}

// A button (or link) in `scope` whose accessible name is exactly `name`,
// found through chromium's accessibility tree, not by CSS.
export async function control(scope: Page | ElementHandle, name: string): Promise<ElementHandle> {
  const found = (await scope.$(`::-p-aria([name="${name}"][role="button"])`)) ?? (await scope.$(`::-p-aria([name="${name}"][role="link"])`));
  if (!found) throw new Error(`no button or link named "${name}"`);
  return found;
}
