// The few W3C WebDriver classic commands the tests use, over either wire: HTTP + JSON (a
// WebDriver server such as WebKitWebDriver) or Firefox's Marionette socket (marionette.ts).
// A client library would add a dependency for nine commands. Every command has a deadline.
// Spec: https://www.w3.org/TR/webdriver2/
import { writeFileSync } from 'node:fs';
import type { BrowserEngine, BrowserSession } from './browser-engines.ts';

/** The key under which WebDriver returns an element reference. */
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

export class WebDriverError extends Error {
  override name = 'WebDriverError';
}

/** The commands used, by their names in the spec (Marionette prefixes them with "WebDriver:"). */
export type Command =
  | 'NewSession'
  | 'SetTimeouts'
  | 'Navigate'
  | 'SetWindowRect'
  | 'ExecuteAsyncScript'
  | 'FindElement'
  | 'ElementSendKeys'
  | 'TakeScreenshot'
  | 'DeleteSession';

/** Sends one command and returns its value (the response's `value`), or rejects with a WebDriverError. */
export type Transport = <T>(command: Command, params: Record<string, unknown>, timeoutMs: number) => Promise<T>;

const HTTP_ROUTES: Record<Command, ['GET' | 'POST' | 'DELETE', string]> = {
  NewSession: ['POST', ''],
  SetTimeouts: ['POST', '/timeouts'],
  Navigate: ['POST', '/url'],
  SetWindowRect: ['POST', '/window/rect'],
  ExecuteAsyncScript: ['POST', '/execute/async'],
  FindElement: ['POST', '/element'],
  ElementSendKeys: ['POST', '/element/:id/value'],
  TakeScreenshot: ['GET', '/screenshot'],
  DeleteSession: ['DELETE', ''],
};

/** The HTTP wire to the WebDriver server at `base`; it learns the session's URL from NewSession. */
export function httpTransport(base: string): Transport {
  let session = `${base}/session`;
  return async <T>(command: Command, params: Record<string, unknown>, timeoutMs: number): Promise<T> => {
    const [method, path] = HTTP_ROUTES[command];
    const url = `${session}${path.replace(':id', String(params.id))}`;
    const value = await request<T>(method, url, method === 'POST' ? params : undefined, timeoutMs);
    if (command === 'NewSession') session = `${session}/${(value as { sessionId: string }).sessionId}`;
    return value;
  };
}

async function request<T>(method: 'GET' | 'POST' | 'DELETE', url: string, body: unknown, timeoutMs: number): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let json: { value?: { error?: string; message?: string } };
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    throw new WebDriverError(`${method} ${url}: HTTP ${res.status}, not JSON: ${text.slice(0, 200)}`);
  }
  if (!res.ok || json.value?.error)
    throw new WebDriverError(
      `${method} ${url}: ${json.value?.error ?? `HTTP ${res.status}`}: ${json.value?.message ?? text.slice(0, 200)}`,
    );
  return json.value as T;
}

/** True once the driver at `base` answers /status with ready: true. */
export async function driverReady(base: string): Promise<boolean> {
  try {
    return (await request<{ ready?: boolean }>('GET', `${base}/status`, undefined, 2000)).ready === true;
  } catch {
    return false;
  }
}

export class WebDriverSession {
  private constructor(
    private readonly send: Transport,
    readonly capabilities: Record<string, unknown>,
    private readonly timeoutMs: number,
  ) {}

  /** New Session with `alwaysMatch` capabilities; `timeoutMs` bounds every later command too. */
  static async create(send: Transport, alwaysMatch: Record<string, unknown>, timeoutMs: number): Promise<WebDriverSession> {
    const v = await send<{ capabilities: Record<string, unknown> }>('NewSession', { capabilities: { alwaysMatch } }, timeoutMs);
    const s = new WebDriverSession(send, v.capabilities, timeoutMs);
    // Scripts may run up to the command deadline (the driver's default is 30 s).
    await s.cmd('SetTimeouts', { script: timeoutMs, pageLoad: timeoutMs });
    return s;
  }

  private cmd<T>(command: Command, params: Record<string, unknown> = {}): Promise<T> {
    return this.send<T>(command, params, this.timeoutMs + 5000);
  }

  /** Navigate To: resolves once the page has loaded (page load strategy "normal"). */
  navigate(url: string): Promise<void> {
    return this.cmd('Navigate', { url });
  }

  setWindowSize(width: number, height: number): Promise<void> {
    return this.cmd('SetWindowRect', { width, height });
  }

  /**
   * Execute Async Script: calls `fn(arg)` in the page and returns its awaited result. A thrown
   * error or rejection comes back as a WebDriverError carrying the page's message.
   */
  async execute<R>(fnSource: string, arg: unknown): Promise<R> {
    const script = `const done = arguments[arguments.length - 1];
Promise.resolve().then(() => (${fnSource})(arguments[0])).then(
  (value) => done({ ok: true, value: value === undefined ? null : value }),
  (e) => done({ ok: false, error: e instanceof Error ? e.name + ': ' + e.message : String(e) }));`;
    const out = await this.cmd<{ ok: boolean; value?: R; error?: string }>('ExecuteAsyncScript', { script, args: [arg ?? null] });
    if (!out.ok) throw new WebDriverError(`in the page: ${out.error}`);
    return out.value as R;
  }

  async findElement(css: string): Promise<string> {
    const el = await this.cmd<Record<string, string>>('FindElement', { using: 'css selector', value: css });
    return el[ELEMENT];
  }

  /** Element Send Keys: on an `<input type=file>` the text is a file path (the user's choice). */
  sendKeys(element: string, text: string): Promise<void> {
    return this.cmd('ElementSendKeys', { id: element, text });
  }

  /** Take Screenshot: the viewport as PNG bytes. */
  async screenshot(): Promise<Buffer> {
    return Buffer.from(await this.cmd<string>('TakeScreenshot'), 'base64');
  }

  delete(): Promise<void> {
    return this.cmd('DeleteSession');
  }
}

// Installed in the page after each navigation: WebDriver classic reports no page events, so
// the page records its own uncaught errors. (An error thrown before the page finished loading
// is not seen here; the tests then fail on the state the page never reaches.)
function recordErrors(): void {
  const w = window as unknown as { __pageErrors?: string[] };
  if (w.__pageErrors) return;
  const errors: string[] = (w.__pageErrors = []);
  addEventListener('error', (e) => errors.push(e.message));
  addEventListener('unhandledrejection', (e) => errors.push(e.reason instanceof Error ? e.reason.message : String(e.reason)));
}

/**
 * A BrowserSession over a WebDriver classic session: no console messages and no view of the
 * page's workers (classic reports no events); `close` ends the session, then `cleanUp` stops
 * what the engine's launcher started.
 */
export function classicBrowserSession(
  engine: BrowserEngine,
  version: string,
  session: WebDriverSession,
  cleanUp: () => Promise<void>,
): BrowserSession {
  return {
    engine,
    version,
    async goto(url) {
      await session.navigate(url);
      await session.execute(String(recordErrors), null);
    },
    evaluate: (fn, arg) => session.execute(String(fn), arg),
    async setInputFile(selector, path) {
      await session.sendKeys(await session.findElement(selector), path);
    },
    async screenshot(path) {
      // Once a WebKitGTK screenshot showed the page as it was seconds earlier: let the page
      // render twice first (bounded, in case rendering is throttled).
      await session.execute(
        String(() =>
          Promise.race([
            new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))),
            new Promise((r) => setTimeout(r, 1000)),
          ]),
        ),
        null,
      );
      writeFileSync(path, await session.screenshot());
    },
    errors: () =>
      session.execute(
        String(() => (window as unknown as { __pageErrors?: string[] }).__pageErrors ?? []),
        null,
      ),
    workerCount: () => undefined,
    async close() {
      await session.delete().catch(() => undefined);
      await cleanUp();
    },
  };
}
