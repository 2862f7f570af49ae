// Debian's Chromium, headless, driven by playwright-core over the DevTools protocol. The
// networking flags stop it from reaching for Google's services on this closed network.
import { chromium } from 'playwright-core';
import { CHROMIUM_BINARY, type BrowserSession, type LaunchOptions } from './browser-engines.ts';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

export async function launchChromium(opts: LaunchOptions): Promise<BrowserSession> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_BINARY, args: CHROMIUM_FLAGS, headless: true, timeout: opts.timeoutMs });
  const page = await browser.newPage({ viewport: opts.viewport });
  let errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => opts.onConsole?.(m.type(), m.text()));
  return {
    engine: 'chromium',
    version: `Chromium ${browser.version()}`,
    async goto(url) {
      errors = [];
      await page.goto(url, { timeout: opts.timeoutMs });
    },
    evaluate: (fn, arg) => page.evaluate(fn, arg as never),
    setInputFile: (selector, path) => page.setInputFiles(selector, path, { timeout: opts.timeoutMs }),
    async screenshot(path) {
      await page.screenshot({ path, fullPage: true });
    },
    errors: async () => [...errors],
    workerCount: () => page.workers().length,
    close: () => browser.close(),
  };
}
