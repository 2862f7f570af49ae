// One small interface over the three browser engine families the tests drive — Chromium
// (playwright-core), Firefox ESR (puppeteer-core over WebDriver BiDi) and WebKitGTK (WebDriver
// classic) — so the cross-runtime page and the demo test are written once for all of them.
// Each engine's module is imported only when that engine is launched.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export type BrowserEngine = 'chromium' | 'firefox' | 'webkit';
export const BROWSER_ENGINES: BrowserEngine[] = ['chromium', 'firefox', 'webkit'];

export interface LaunchOptions {
  viewport: { width: number; height: number };
  /** For the browser to start and answer; each later call has its own bound. */
  timeoutMs: number;
  /** Receives the page's console messages, where the engine's driver reports them. */
  onConsole?: (type: string, text: string) => void;
}

/** One browser with one page (tab) in it. */
export interface BrowserSession {
  readonly engine: BrowserEngine;
  /** Browser name and version as its driver reports them. */
  readonly version: string;
  /** Navigates the page and resolves once it has loaded; clears the recorded errors. */
  goto(url: string): Promise<void>;
  /**
   * Runs `fn(arg)` in the page and returns its (awaited, JSON-serializable) result. `fn` is
   * sent as source text: it must not refer to anything outside itself.
   */
  evaluate<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R>;
  /** Chooses a file in an `<input type=file>` the way the driver's user-input API does. */
  setInputFile(selector: string, path: string): Promise<void>;
  /** A PNG of the page (the whole page where the driver can, else the viewport). */
  screenshot(path: string): Promise<void>;
  /** Uncaught errors and rejections in the page since the last goto. */
  errors(): Promise<string[]>;
  /** The page's dedicated Web Workers, or undefined where the driver cannot see them. */
  workerCount(): number | undefined;
  close(): Promise<void>;
}

export const CHROMIUM_BINARY = '/usr/bin/chromium';
export const FIREFOX_BINARY = '/usr/bin/firefox-esr';
export const WEBKIT_DRIVER = '/usr/bin/WebKitWebDriver';
export const XVFB = '/usr/bin/Xvfb';

/** WebKitGTK's MiniBrowser (package libwebkit2gtk-4.1-0, under the multiarch triplet's lib dir). */
export function miniBrowser(): string | undefined {
  const dirs = existsSync('/usr/lib') ? readdirSync('/usr/lib').map((d) => join('/usr/lib', d)) : [];
  return [...dirs, '/usr/libexec'].map((d) => join(d, 'webkit2gtk-4.1', 'MiniBrowser')).find((p) => existsSync(p));
}

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
      return fileMissing(FIREFOX_BINARY, 'firefox-esr') ?? moduleMissing('puppeteer-core');
    case 'webkit':
      return fileMissing(WEBKIT_DRIVER, 'webkit2gtk-driver') ?? fileMissing(XVFB, 'xvfb') ??
        (miniBrowser() ? undefined : 'WebKitGTK\'s MiniBrowser not found under /usr/lib/*/webkit2gtk-4.1/ (apt-get install libwebkit2gtk-4.1-0)');
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
export async function waitFor<R, A = undefined>(s: BrowserSession, what: string, timeoutMs: number, fn: (arg: A) => R | Promise<R>, arg?: A): Promise<NonNullable<R>> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = await s.evaluate(fn, arg as A);
    if (v) return v;
    if (performance.now() > deadline) throw new Error(`${s.engine}: ${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
