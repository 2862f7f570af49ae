// The demo page (examples/browser), served by its own static server on loopback, in each
// browser engine family: headless Chromium, headless Firefox ESR and WebKitGTK (on a private
// Xvfb display). Choosing an image in the file input must show the SDK's top 5 (as Node
// computes it for the same pack and image), classified in a Web Worker on as many threads as
// the browser reports cores (the page is cross-origin isolated); ?worker=0 gives the
// same answer on the main thread; a missing pack shows an error. Leaves a screenshot per
// engine in test-artifacts/demo-page-<engine>.png.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { BROWSER_ENGINES, launchBrowser, waitFor, type BrowserEngine, type BrowserSession } from '../cross-runtime/browser-session.ts';
import { CASE, expectedTop, once, ROOT, skipMissing, startChild } from './helpers.ts';

const STEP_MS = 30_000;

const server = once(() =>
  startChild(process.execPath, ['examples/browser/serve.mjs', '--port', '0'], {
    ready: /(http:\/\/127\.0\.0\.1:\d+\/)/,
    timeoutMs: STEP_MS,
  }),
);
const expected = once(() => expectedTop());

/** The page's state once it settled: the model loaded (or failed) and, if asked, the results shown. */
function pageState(): { model?: string; results?: string; error: string } {
  return {
    model: document.body.dataset.model,
    results: document.getElementById('results')?.dataset.state,
    error: document.getElementById('error')?.textContent ?? '',
  };
}

async function modelSettled(b: BrowserSession): Promise<{ model?: string; error: string }> {
  return waitFor(b, 'the model loading', STEP_MS, () => {
    const model = document.body.dataset.model;
    return model === 'loading' ? undefined : { model, error: document.getElementById('error')?.textContent ?? '' };
  });
}

/** Chooses CASE.image in the file input and returns the labels, percentages and timing shown. */
async function classifyInPage(b: BrowserSession): Promise<{ labels: string[]; pcts: string[]; timing: string }> {
  const loaded = await modelSettled(b);
  assert.is(loaded.model, 'ready', `the model did not load: ${loaded.error}`);
  await b.setInputFile('#file', join(ROOT, CASE.image));
  const state = await waitFor(b, 'the results', STEP_MS, () => {
    const s = document.getElementById('results')?.dataset.state;
    return s === 'done' || s === 'error' ? s : undefined;
  });
  assert.is(state, 'done', `classifying failed: ${(await b.evaluate(pageState)).error}`);
  // (No named functions inside page code: tsx's keepNames would wrap them in a helper the page lacks.)
  return b.evaluate(() => ({
    labels: [...document.querySelectorAll('#results .prediction .label')].map((e) => e.textContent ?? ''),
    pcts: [...document.querySelectorAll('#results .prediction .pct')].map((e) => e.textContent ?? ''),
    timing: document.getElementById('timing')?.textContent ?? '',
  }));
}

function engineSuite(engine: BrowserEngine, last: boolean): void {
  const t = suite(`browser demo in ${engine}`);
  const env = once(async () => {
    if (skipMissing(engine, `the browser demo in ${engine}`)) return undefined;
    const [want, srv] = await Promise.all([expected.get(), server.get()]);
    const browser = await launchBrowser(engine, {
      viewport: { width: 1040, height: 720 },
      timeoutMs: STEP_MS,
      // Printed for diagnosis (a failed fetch is expected in the missing-pack test).
      onConsole: (type, text) => {
        if ((type === 'error' || type === 'warn' || type === 'warning') && !/Failed to load resource|HTTP 404/.test(text))
          process.stderr.write(`  [${engine} ${type}] ${text}\n`);
      },
    });
    return { want, browser, base: srv.match[1] };
  });
  t.after(async () => {
    await (await env.ifMade())?.browser.close();
    if (last) await (await server.ifMade())?.stop();
  });

  t(`${engine}: the page shows the SDK's top 5, classified in a Web Worker; screenshot`, async () => {
    const e = await env.get();
    if (!e) return;
    const b = e.browser;
    await b.goto(`${e.base}?pack=/${CASE.pack}`);
    const shown = await classifyInPage(b);
    assert.equal(
      shown.labels,
      e.want.map((p) => p.label),
      'top 5 labels shown',
    );
    assert.equal(
      shown.pcts,
      e.want.map((p) => `${(p.score * 100).toFixed(p.score >= 0.1 ? 1 : 2)} %`),
      'percentages shown',
    );
    assert.is(await b.evaluate(() => document.body.dataset.mode), 'Web Worker');
    assert.match(shown.timing, /classify\(\) \d+\.\d ms · end to end \d+\.\d ms \(Web Worker\)/);
    // The page is cross-origin isolated (serve.mjs): the SDK runs as many threads as the
    // browser reports cores (up to 8), beside the demo's worker, and the page says how many.
    // WebKitGTK offers no SharedArrayBuffer at all: one thread, the reason in the status tooltip.
    const pills = await b.evaluate(() => [...document.querySelectorAll('#status .pill')].map((p) => p.textContent ?? ''));
    const threads = Number(pills.find((p) => /^\d+ threads?$/.test(p))?.split(' ')[0]);
    const cores = await b.evaluate(() => navigator.hardwareConcurrency);
    assert.is(threads, engine === 'webkit' ? 1 : Math.min(cores, 8), `the thread count shown (pills: ${pills.join(' | ')})`);
    if (threads === 1)
      assert.match(await b.evaluate(() => document.getElementById('status')?.title ?? ''), /one thread: .*SharedArrayBuffer/);
    // Where the driver sees workers (not WebDriver classic): the demo's one and the SDK's threads.
    const workers = b.workerCount();
    if (workers !== undefined) assert.is(workers, 1 + (threads > 1 ? threads : 0), "the demo's Web Worker and the SDK's threads");
    await waitFor(b, 'the caption', STEP_MS, () => document.getElementById('caption')?.textContent?.includes('×'));
    assert.match(
      await b.evaluate(() => document.getElementById('caption')?.textContent ?? ''),
      new RegExp(`^${basename(CASE.image).replace('.', '\\.')} · \\d+×\\d+$`),
    );
    mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
    await b.screenshot(join(ROOT, 'test-artifacts', `demo-page-${engine}.png`));
    assert.equal(await b.errors(), [], 'uncaught errors in the page');
  });

  t(`${engine}: ?worker=0 classifies on the main thread, with the same answer`, async () => {
    const e = await env.get();
    if (!e) return;
    await e.browser.goto(`${e.base}?pack=/${CASE.pack}&worker=0`);
    const shown = await classifyInPage(e.browser);
    assert.equal(
      shown.labels,
      e.want.map((p) => p.label),
      'top 5 labels shown',
    );
    assert.is(await e.browser.evaluate(() => document.body.dataset.mode), 'main thread');
    assert.equal(await e.browser.errors(), [], 'uncaught errors in the page');
  });

  t(`${engine}: a pack that is not there shows an error naming it`, async () => {
    const e = await env.get();
    if (!e) return;
    await e.browser.goto(`${e.base}?pack=/tests/fixtures/no-such.pack`);
    const loaded = await modelSettled(e.browser);
    assert.is(loaded.model, 'error');
    assert.match(loaded.error, /HTTP 404/);
    assert.match(loaded.error, /no-such\.pack/);
    assert.equal(await e.browser.errors(), [], 'uncaught errors in the page');
  });

  t.run();
}

// uvu runs the suites in this order: the last one stops the page server.
BROWSER_ENGINES.forEach((engine, i) => engineSuite(engine, i === BROWSER_ENGINES.length - 1));
