// The few W3C WebDriver (classic, HTTP + JSON) commands the tests use, over fetch: a client
// library would add a dependency for ten requests. Every request has a deadline.
// Spec: https://www.w3.org/TR/webdriver2/

/** The key under which WebDriver returns an element reference. */
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

export class WebDriverError extends Error {
  override name = 'WebDriverError';
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
    private readonly url: string,
    readonly capabilities: Record<string, unknown>,
    private readonly timeoutMs: number,
  ) {}

  /** New Session with `alwaysMatch` capabilities; `timeoutMs` bounds every later command too. */
  static async create(base: string, alwaysMatch: Record<string, unknown>, timeoutMs: number): Promise<WebDriverSession> {
    const v = await request<{ sessionId: string; capabilities: Record<string, unknown> }>(
      'POST',
      `${base}/session`,
      { capabilities: { alwaysMatch } },
      timeoutMs,
    );
    const s = new WebDriverSession(`${base}/session/${v.sessionId}`, v.capabilities, timeoutMs);
    // Scripts may run up to the command deadline (the driver's default is 30 s).
    await s.cmd('POST', '/timeouts', { script: timeoutMs, pageLoad: timeoutMs });
    return s;
  }

  private cmd<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    return request<T>(method, `${this.url}${path}`, body, this.timeoutMs + 5000);
  }

  /** Navigate To: resolves once the page has loaded (page load strategy "normal"). */
  navigate(url: string): Promise<void> {
    return this.cmd('POST', '/url', { url });
  }

  setWindowSize(width: number, height: number): Promise<void> {
    return this.cmd('POST', '/window/rect', { width, height });
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
    const out = await this.cmd<{ ok: boolean; value?: R; error?: string }>('POST', '/execute/async', { script, args: [arg ?? null] });
    if (!out.ok) throw new WebDriverError(`in the page: ${out.error}`);
    return out.value as R;
  }

  async findElement(css: string): Promise<string> {
    const el = await this.cmd<Record<string, string>>('POST', '/element', { using: 'css selector', value: css });
    return el[ELEMENT];
  }

  /** Element Send Keys: on an `<input type=file>` the text is a file path (the user's choice). */
  sendKeys(element: string, text: string): Promise<void> {
    return this.cmd('POST', `/element/${element}/value`, { text });
  }

  /** Take Screenshot: the viewport as PNG bytes. */
  async screenshot(): Promise<Buffer> {
    return Buffer.from(await this.cmd<string>('GET', '/screenshot'), 'base64');
  }

  delete(): Promise<void> {
    return this.cmd('DELETE', '');
  }
}
