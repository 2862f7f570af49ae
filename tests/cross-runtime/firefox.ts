// Debian's Firefox ESR, headless, driven by puppeteer-core over WebDriver BiDi (Firefox's own
// remote agent: no geckodriver needed).
import puppeteer, { type ElementHandle } from 'puppeteer-core';
import { FIREFOX_BINARY, type BrowserSession, type LaunchOptions } from './browser-engines.ts';

export async function launchFirefox(opts: LaunchOptions): Promise<BrowserSession> {
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX_BINARY, headless: true, timeout: opts.timeoutMs });
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(opts.timeoutMs);
    await page.setViewport(opts.viewport);
    let errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e instanceof Error ? e.message : String(e)));
    page.on('console', (m) => opts.onConsole?.(m.type(), m.text()));
    const version = await browser.version();
    return {
      engine: 'firefox',
      version: version.replace(/^firefox\//, 'Firefox '),
      async goto(url) {
        errors = [];
        await page.goto(url);
      },
      evaluate: (fn, arg) => page.evaluate(fn, arg as never) as never,
      async setInputFile(selector, path) {
        const input = (await page.$(selector)) as ElementHandle<HTMLInputElement> | null;
        if (!input) throw new Error(`firefox: no element matches ${selector}`);
        await input.uploadFile(path);
      },
      async screenshot(path) {
        await page.screenshot({ path: path as `${string}.png`, fullPage: true });
      },
      errors: async () => [...errors],
      workerCount: () => page.workers().length,
      close: () => browser.close(),
    };
  } catch (e) {
    await browser.close();
    throw e;
  }
}
