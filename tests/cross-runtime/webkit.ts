// WebKitGTK (Safari's engine family) for the tests: WebKitWebDriver (package webkit2gtk-driver)
// drives the MiniBrowser that libwebkit2gtk-4.1-0 ships. MiniBrowser has no headless mode, so
// it gets a private X display: Xvfb picks a free display number itself (-displayfd) so
// parallel runs never collide. Closing the session stops the driver and the display.
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { miniBrowser, WEBKIT_DRIVER, XVFB, type BrowserSession, type LaunchOptions } from './browser-engines.ts';
import { exited, start, stop } from './child-process.ts';
import { classicBrowserSession, driverReady, httpTransport, WebDriverSession } from './webdriver.ts';

const SCREEN = '1280x1024x24';
const PORT_TRIES = 3;

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
    while (!exited(child) && performance.now() < deadline) {
      if (await driverReady(base)) return { driver: child, base };
      await new Promise((r) => setTimeout(r, 100));
    }
    why = exited(child) ? `exited with ${child.exitCode ?? child.signalCode}` : `not ready within ${timeoutMs} ms`;
    why += `\n${output()}`;
    await stop(child);
  }
  throw new Error(`${WEBKIT_DRIVER}: ${why}`);
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
      httpTransport(base),
      { 'webkitgtk:browserOptions': { binary: miniBrowser(), args: ['--automation'] } },
      opts.timeoutMs,
    );
    await session.setWindowSize(opts.viewport.width, opts.viewport.height);
    const caps = session.capabilities;
    return classicBrowserSession('webkit', `WebKitGTK ${String(caps.browserVersion)} (${String(caps.browserName)})`, session, cleanUp);
  } catch (e) {
    await cleanUp();
    throw e;
  }
}
