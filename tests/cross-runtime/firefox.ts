// Debian's Firefox ESR, headless, driven over Marionette (WebDriver classic, marionette.ts) in
// a fresh profile. Not WebDriver BiDi: a BiDi session makes Firefox report every new worker to
// the remote agent, and a Web Worker starting workers of its own then deadlocked inside
// new Worker() — 39 of 1814 page loads under puppeteer-core, with or without the SDK (a 10-line
// page hangs alike); 0 of 2809 over Marionette, 0 of 3742 with no driver (bench/RESULTS.md,
// 2026-12-03 "Firefox"). The demo's classifier worker starting the SDK's threads hit it in CI.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIREFOX_BINARY, type BrowserSession, type LaunchOptions } from './browser-engines.ts';
import { exited, start, stop } from './child-process.ts';
import { marionetteTransport } from './marionette.ts';
import { classicBrowserSession, WebDriverSession } from './webdriver.ts';

export async function launchFirefox(opts: LaunchOptions): Promise<BrowserSession> {
  const profile = mkdtempSync(join(tmpdir(), 'edge-resnet-firefox-'));
  // Port 0: Firefox picks a free one and writes it to MarionetteActivePort in the profile.
  // (Marionette applies the automation preferences it recommends itself.)
  writeFileSync(join(profile, 'user.js'), 'user_pref("marionette.port", 0);\n');
  const { child, output } = start(FIREFOX_BINARY, ['--headless', '--marionette', '--no-remote', '--profile', profile], process.env);
  let close = () => {};
  const cleanUp = async () => {
    close();
    await stop(child);
    rmSync(profile, { recursive: true, force: true });
  };
  try {
    const portFile = join(profile, 'MarionetteActivePort');
    const deadline = performance.now() + opts.timeoutMs;
    let port = 0;
    while (!(port > 0)) {
      if (exited(child)) throw new Error(`${FIREFOX_BINARY} exited with ${child.exitCode ?? child.signalCode}\n${output()}`);
      if (performance.now() > deadline)
        throw new Error(`${FIREFOX_BINARY}: Marionette not listening within ${opts.timeoutMs} ms\n${output()}`);
      await new Promise((r) => setTimeout(r, 50));
      if (existsSync(portFile)) port = Number(readFileSync(portFile, 'utf8'));
    }
    const transport = await marionetteTransport(port, opts.timeoutMs);
    close = transport.close;
    const session = await WebDriverSession.create(transport.send, {}, opts.timeoutMs);
    await session.setWindowSize(opts.viewport.width, opts.viewport.height);
    return classicBrowserSession('firefox', `Firefox ${String(session.capabilities.browserVersion)}`, session, cleanUp);
  } catch (e) {
    await cleanUp();
    throw e;
  }
}
