// The browser engine families the tests drive, what a session with one of them offers, and
// where their binaries live: shared by browser-session.ts (which launches them) and the
// per-engine drivers (chromium.ts, firefox.ts, webkit.ts), which must not import the launcher.
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
