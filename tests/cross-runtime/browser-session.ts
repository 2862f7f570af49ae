// One small interface over the three browser engine families the tests drive — Chromium
// (playwright-core), Firefox ESR and WebKitGTK (both WebDriver classic, webdriver.ts) — so the
// cross-runtime page and the demo test are written once for all of them.
// Each engine's module is imported only when that engine is launched.
import { existsSync } from 'node:fs';
import {
  CHROMIUM_BINARY,
  FIREFOX_BINARY,
  miniBrowser,
  WEBKIT_DRIVER,
  XVFB,
  type BrowserEngine,
  type BrowserSession,
  type LaunchOptions,
} from './browser-engines.ts';

export { BROWSER_ENGINES, type BrowserEngine, type BrowserSession } from './browser-engines.ts';

const moduleMissing = (name: string) => {
  const p = new URL(`../../node_modules/${name}/package.json`, import.meta.url);
  return existsSync(p) ? undefined : `the '${name}' devDependency is not installed (npm ci)`;
};
const fileMissing = (path: string, pkg: string) => (existsSync(path) ? undefined : `${path} not found (apt-get install ${pkg})`);

/** Why an engine cannot run on this machine (what to install), or undefined. */
export function browserMissing(engine: BrowserEngine): string | undefined {
  switch (engine) {
    case 'chromium':
      return fileMissing(CHROMIUM_BINARY, 'chromium') ?? moduleMissing('playwright-core');
    case 'firefox':
      return fileMissing(FIREFOX_BINARY, 'firefox-esr');
    case 'webkit':
      return (
        fileMissing(WEBKIT_DRIVER, 'webkit2gtk-driver') ??
        fileMissing(XVFB, 'xvfb') ??
        (miniBrowser()
          ? undefined
          : "WebKitGTK's MiniBrowser not found under /usr/lib/*/webkit2gtk-4.1/ (apt-get install libwebkit2gtk-4.1-0)")
      );
  }
}

/** Starts the engine; a browser that does not start rejects with what was tried and why. */
export async function launchBrowser(engine: BrowserEngine, opts: LaunchOptions): Promise<BrowserSession> {
  const missing = browserMissing(engine);
  if (missing) throw new Error(`${engine} cannot start: ${missing}`);
  const launch = {
    chromium: async () => (await import('./chromium.ts')).launchChromium,
    firefox: async () => (await import('./firefox.ts')).launchFirefox,
    webkit: async () => (await import('./webkit.ts')).launchWebKit,
  }[engine];
  try {
    return await (await launch())(opts);
  } catch (e) {
    throw new Error(`${engine} did not start: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

/** Polls `fn(arg)` in the page until it returns a truthy value, which it returns. */
export async function waitFor<R, A = undefined>(
  s: BrowserSession,
  what: string,
  timeoutMs: number,
  fn: (arg: A) => R | Promise<R>,
  arg?: A,
): Promise<NonNullable<R>> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = await s.evaluate(fn, arg as A);
    if (v) return v;
    if (performance.now() > deadline) throw new Error(`${s.engine}: ${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
