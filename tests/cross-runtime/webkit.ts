// WebKitGTK (Safari's engine family) for the tests: WebKitWebDriver (package webkit2gtk-driver)
// drives the MiniBrowser that libwebkit2gtk-4.1-0 ships. MiniBrowser has no headless mode, so
// it gets a private X display: Xvfb picks a free display number itself (-displayfd) so
// parallel runs never collide. Closing the session stops the driver and the display.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { miniBrowser, WEBKIT_DRIVER, XVFB, type BrowserSession, type LaunchOptions } from './browser-engines.ts';
import { driverReady, WebDriverSession } from './webdriver.ts';

const SCREEN = '1280x1024x24';
const PORT_TRIES = 3;

// Whatever this process started is stopped with it, even if a test never reached close().
const started = new Set<ChildProcess>();
process.on('exit', () => started.forEach((c) => c.kill('SIGKILL')));

function start(cmd: string, args: string[], env: NodeJS.ProcessEnv, extraFd = false): { child: ChildProcess; output: () => string } {
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe', ...(extraFd ? ['pipe' as const] : [])] });
  started.add(child);
  child.on('exit', () => started.delete(child));
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d));
  child.stderr!.on('data', (d: Buffer) => (out += d));
  return { child, output: () => out.trim().split('\n').slice(-10).join('\n') };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

/** Starts Xvfb on the first free display; resolves with ":N" once it accepts clients. */
async function startDisplay(timeoutMs: number): Promise<{ xvfb: ChildProcess; display: string }> {
  const { child, output } = start(XVFB, ['-displayfd', '3', '-screen', '0', SCREEN, '-nolisten', 'tcp'], process.env, true);
  const display = await new Promise<string>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`Xvfb reported no display within ${timeoutMs} ms\n${output()}`)), timeoutMs);
    child.once('exit', (code, sig) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited with ${code ?? sig}\n${output()}`));
    });
    child.stdio[3]!.on('data', (d: Buffer) => {
      buf += d;
      const m = /^(\d+)\n/.exec(buf);
      if (m) {
        clearTimeout(timer);
        resolve(`:${m[1]}`);
      }
    });
  }).catch(async (e: unknown) => {
    await stop(child);
    throw e;
  });
  return { xvfb: child, display };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Starts WebKitWebDriver on a free loopback port (again on another port if that one was taken meanwhile). */
async function startDriver(display: string, timeoutMs: number): Promise<{ driver: ChildProcess; base: string }> {
  let why = '';
  for (let attempt = 0; attempt < PORT_TRIES; attempt++) {
    const port = await freePort();
    const { child, output } = start(WEBKIT_DRIVER, [`--port=${port}`, '--host=local'], { ...process.env, DISPLAY: display });
    const base = `http://127.0.0.1:${port}`;
    const deadline = performance.now() + timeoutMs;
    while (child.exitCode === null && child.signalCode === null && performance.now() < deadline) {
      if (await driverReady(base)) return { driver: child, base };
      await new Promise((r) => setTimeout(r, 100));
    }
    why =
      child.exitCode !== null || child.signalCode !== null
        ? `exited with ${child.exitCode ?? child.signalCode}`
        : `not ready within ${timeoutMs} ms`;
    why += `\n${output()}`;
    await stop(child);
  }
  throw new Error(`${WEBKIT_DRIVER}: ${why}`);
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

export async function launchWebKit(opts: LaunchOptions): Promise<BrowserSession> {
  const stops: ChildProcess[] = [];
  const cleanUp = async () => {
    for (const c of stops.reverse()) await stop(c);
  };
  try {
    const { xvfb, display } = await startDisplay(opts.timeoutMs);
    stops.push(xvfb);
    const { driver, base } = await startDriver(display, opts.timeoutMs);
    stops.push(driver);
    const session = await WebDriverSession.create(
      base,
      { 'webkitgtk:browserOptions': { binary: miniBrowser(), args: ['--automation'] } },
      opts.timeoutMs,
    );
    await session.setWindowSize(opts.viewport.width, opts.viewport.height);
    const caps = session.capabilities;
    return {
      engine: 'webkit',
      version: `WebKitGTK ${String(caps.browserVersion)} (${String(caps.browserName)})`,
      async goto(url) {
        await session.navigate(url);
        await session.execute(String(recordErrors), null);
      },
      evaluate: (fn, arg) => session.execute(String(fn), arg),
      async setInputFile(selector, path) {
        await session.sendKeys(await session.findElement(selector), path);
      },
      async screenshot(path) {
        // Once a screenshot here showed the page as it was seconds earlier: let the page
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
  } catch (e) {
    await cleanUp();
    throw e;
  }
}
