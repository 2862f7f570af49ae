// The training page (examples/browser/train.html) in headless Chromium, served by the demo's
// own server: ten classes of scikit-learn digits (20 PNGs each, chosen in each class's file
// input), trained in the Web Worker with nothing held out. The downloaded pack must be the
// very bytes Node's trainHead() makes from the same images — the trainer is deterministic
// across engines — and "try it" must show the head's answer. Prints Chromium's and Node's
// training times for the digits set (three each, alternating).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encode } from 'fast-png';
import { chromium } from 'playwright-core';
import { load, trainHead } from '../../ts-sdk/index.ts';
import { decodeImage } from '../../ts-sdk/decode/index.ts';
import { CHROMIUM_BINARY } from '../cross-runtime/browser-engines.ts';
import { CHROMIUM_FLAGS } from '../cross-runtime/chromium.ts';
import { once, ROOT, skipMissing, startChild } from './helpers.ts';
import { readDigits } from '../head/digits.ts';

const STEP_MS = 60_000;
const CLASSES = [...'0123456789'];

const env = once(async () => {
  if (skipMissing('chromium', 'the training page')) return undefined;
  const server = await startChild(process.execPath, ['examples/browser/serve.mjs', '--port', '0'], {
    ready: /(http:\/\/127\.0\.0\.1:\d+\/)/,
    timeoutMs: STEP_MS,
  });
  try {
    const browser = await chromium.launch({ executablePath: CHROMIUM_BINARY, args: CHROMIUM_FLAGS, headless: true, timeout: STEP_MS });
    return { server, browser, base: server.match[1] };
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

test("train page: digits in ten classes → the same pack bytes as Node's trainHead; try-it shows the head's answer", async () => {
  const e = await env.get();
  if (!e) return;
  const { images, labels, train, heldOut } = readDigits();
  const png = (i: number) => Buffer.from(encode({ width: 8, height: 8, data: images[i].data as Uint8Array, channels: 1, depth: 8 }));

  const page = await e.browser.newPage({ viewport: { width: 1100, height: 900 } });
  page.setDefaultTimeout(STEP_MS);
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(`${e.base}examples/browser/train.html`);
  await page.waitForSelector('body[data-model="ready"]');
  for (let c = 2; c < CLASSES.length; c++) await page.click('#add-class');
  const cards = page.locator('.class-card');
  assert.is(await cards.count(), 10);
  for (const [c, name] of CLASSES.entries()) {
    await cards.nth(c).locator('.class-name').fill(name);
    const files = train.filter((i) => labels[i] === c).map((i) => ({ name: `${i}.png`, mimeType: 'image/png', buffer: png(i) }));
    await cards.nth(c).locator('.class-files').setInputFiles(files);
  }
  assert.match(await page.locator('#train-status').innerText(), /Ready to train on 200 images in 10 classes/);
  await page.selectOption('#holdout', '0');
  // Node: the same images, decoded and embedded here, trained by the same trainer.
  const base = new Uint8Array(readFileSync(join(ROOT, 'weights/packs/resnet18-fmnist-int8.pack')));
  const clf = await load(base);
  const order = CLASSES.flatMap((_, c) => train.filter((i) => labels[i] === c)); // class by class, as the page sends them
  const embeddings = await clf.embed(order.map((i) => decodeImage(png(i))));
  // Three trainings each, alternating (the page embeds once and reuses the embeddings).
  const chromiumMs: number[] = [],
    nodeMs: number[] = [];
  let head: Awaited<ReturnType<typeof trainHead>> | undefined;
  for (let round = 0; round < 3; round++) {
    await page.click('#train');
    await page.waitForSelector('#train-status[data-state="done"], #train-status[data-state="error"]', { timeout: 5 * STEP_MS });
    const status = await page.locator('#train-status').innerText();
    assert.match(
      status,
      /^Accuracy on the training images \d+\.\d % \(none held out\)\. Trained on 200 images in \d+ ms \(\d+ iterations\)/,
      status,
    );
    chromiumMs.push(Number(await page.getAttribute('#train-status', 'data-train-ms')));
    const t0 = performance.now();
    head = await trainHead(base, { embeddings, labels: order.map((i) => labels[i]), classes: CLASSES });
    nodeMs.push(performance.now() - t0);
  }

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  assert.is(download.suggestedFilename(), 'my-classes.pack');
  const fromPage = new Uint8Array(readFileSync((await download.path())!));
  const fromNode = head!.toPack();
  assert.ok(fromPage.length === fromNode.length && fromPage.every((v, i) => v === fromNode[i]), "Chromium's pack differs from Node's");

  const probe = heldOut[0];
  await page.setInputFiles('#try-file', { name: 'probe.png', mimeType: 'image/png', buffer: png(probe) });
  await page.waitForSelector('#results[data-state="done"]');
  const want = head!.classify(await clf.embed(images[probe]), { topK: 3 });
  assert.equal(
    await page.locator('#results .label').allTextContents(),
    want.map((p) => p.label),
  );
  clf.dispose();
  const ms = (t: number[]) => t.map((v) => v.toFixed(0)).join(', ');
  console.log(
    `\n  digits, 200 images in 10 classes, trainHead three times each, alternating: Chromium (Web Worker) ${ms(chromiumMs)} ms; Node ${process.version} ${ms(nodeMs)} ms; packs byte-identical`,
  );
  assert.equal(errors, [], 'uncaught errors in the page');
  await page.close();
});

test.run();
