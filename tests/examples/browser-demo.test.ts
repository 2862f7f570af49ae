// The browser example: the demo page (examples/browser) in headless Chromium, served by its own
// static server on loopback. Choosing an image in the file input must show the SDK's top 1
// (as Node computes it for the same pack and image), classified in a Web Worker; ?worker=0
// gives the same answer on the main thread; a missing pack shows an error. Leaves a
// screenshot in test-artifacts/demo-page.png.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CASE, expectedTop, once, ROOT, skipMissing, startChild } from './helpers.ts';
import { CHROMIUM, CHROMIUM_FLAGS } from '../cross-runtime/chromium.ts';

const STEP_MS = 30_000;
const SCREENSHOT = join(ROOT, 'test-artifacts', 'demo-page.png');

const env = once(async () => {
  if (skipMissing('chromium', 'the browser demo')) return undefined;
  const want = await expectedTop();
  const server = await startChild(process.execPath, ['examples/browser/serve.mjs', '--port', '0'], { ready: /(http:\/\/127\.0\.0\.1:\d+\/)/, timeoutMs: STEP_MS });
  try {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true, timeout: STEP_MS });
    return { want, server, browser, base: server.match[1] };
  } catch (e) {
    await server.stop();
    throw e;
  }
});

test.after(async () => {
  const e = await env.ifMade();
  await e?.browser.close();
  await e?.server.stop();
});

/** Opens the demo with `query`; collects uncaught page errors into `errors`. */
async function open(base: string, browser: Browser, query: string, errors: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1040, height: 720 } });
  page.setDefaultTimeout(STEP_MS);
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    // Printed for diagnosis (a failed fetch is expected in the missing-pack test).
    if ((m.type() === 'error' || m.type() === 'warning') && !m.text().startsWith('Failed to load resource')) process.stderr.write(`  [page ${m.type()}] ${m.text()}\n`);
  });
  await page.goto(`${base}${query}`);
  return page;
}

/** Chooses CASE.image in the file input and returns the labels and percentages shown. */
async function classifyInPage(page: Page): Promise<{ labels: string[]; pcts: string[]; timing: string }> {
  await page.waitForSelector('body[data-model="ready"]');
  await page.setInputFiles('#file', join(ROOT, CASE.image));
  await page.waitForSelector('#results[data-state="done"]');
  return {
    labels: await page.locator('#results .prediction .label').allTextContents(),
    pcts: await page.locator('#results .prediction .pct').allTextContents(),
    timing: await page.locator('#timing').innerText(),
  };
}

test('browser: the page shows the SDK\'s top 1, classified in a Web Worker; screenshot', async () => {
  const e = await env.get();
  if (!e) return;
  const errors: string[] = [];
  const page = await open(e.base, e.browser, `?pack=/${CASE.pack}`, errors);
  const shown = await classifyInPage(page);
  assert.is(shown.labels.length, 5, 'five rows');
  assert.is(shown.labels[0], e.want[0].label, 'top 1 label shown');
  assert.equal(shown.labels, e.want.map((p) => p.label), 'top 5 labels shown');
  assert.equal(shown.pcts, e.want.map((p) => `${(p.score * 100).toFixed(p.score >= 0.1 ? 1 : 2)} %`), 'percentages shown');
  assert.is(await page.getAttribute('body', 'data-mode'), 'Web Worker');
  assert.match(shown.timing, /classify\(\) \d+\.\d ms · end to end \d+\.\d ms \(Web Worker\)/);
  assert.is(page.workers().length, 1, 'one Web Worker');
  await page.waitForFunction(() => document.getElementById('caption')?.textContent?.includes('×'));
  assert.match(await page.locator('#caption').innerText(), new RegExp(`^${basename(CASE.image).replace('.', '\\.')} · \\d+×\\d+$`));
  mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  assert.equal(errors, [], 'uncaught errors in the page');
  await page.close();
});

test('browser: ?worker=0 classifies on the main thread, with the same answer', async () => {
  const e = await env.get();
  if (!e) return;
  const errors: string[] = [];
  const page = await open(e.base, e.browser, `?pack=/${CASE.pack}&worker=0`, errors);
  const shown = await classifyInPage(page);
  assert.is(shown.labels[0], e.want[0].label, 'top 1 label shown');
  assert.is(await page.getAttribute('body', 'data-mode'), 'main thread');
  assert.equal(errors, [], 'uncaught errors in the page');
  await page.close();
});

test('browser: a pack that is not there shows an error naming it', async () => {
  const e = await env.get();
  if (!e) return;
  const errors: string[] = [];
  const page = await open(e.base, e.browser, '?pack=/tests/fixtures/no-such.pack', errors);
  await page.waitForSelector('body[data-model="error"]');
  const error = await page.locator('#error').innerText();
  assert.match(error, /HTTP 404/);
  assert.match(error, /no-such\.pack/);
  assert.equal(errors, [], 'uncaught errors in the page');
  await page.close();
});

test.run();
