// Issue 20 on the edge endpoint: the Cloudflare Worker example in workerd, fed what an attacker
// would send. (1) Under a memory cap that leaves workerd at most 512 MiB beyond what it has
// mapped once serving (RLIMIT_DATA, as a container limit would impose; workerd maps ~580 MiB of
// writable address space before any growth, so the limit is 1 GiB; with the decoders used
// before, one 2 KB JPEG header bomb took 1.3 GB and workerd was killed), a burst of 20
// concurrent bombs must each get a 4xx,
// workerd must survive and answer valid requests correctly, and its RSS after GC must come
// back to where it was. (2) A valid 12 MP photo must classify within 128 MiB for everything
// the request costs, the classifier's load included (peak RSS of a fresh workerd, minus its
// RSS before the request).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertSameTop, CASE, expectedTop, PHOTO_12MP, ROOT, skipMissing } from '../examples/helpers.ts';
import type { Prediction } from '../../ts-sdk/index.ts';
import { uploadBombs } from './bombs.ts';
import { mib } from './shared.ts';
import { dataOf, peakOf, rssAfterGc, rssOf, startWorker, type Server } from './workerd.ts';

/** The RLIMIT_DATA of the capped workerd, and the most headroom it may leave above the serving process's VmData. */
const DATA_LIMIT = 2 ** 30;
const MAX_HEADROOM = 512 * 2 ** 20;
const BURST = 20;
/**
 * RSS after GC may grow this much more than the control's over the burst. Measured: example
 * +19 MiB, control +10 MiB; further bursts add 0–5 MiB to either. A decode kept alive would be
 * tens of MB per request (the 12 MP photo's planes alone are 18 MB).
 */
const RSS_SLACK = 16 * 2 ** 20;
const BUDGET_12MP = 128 * 2 ** 20;

const post = async (s: Server, body: Uint8Array): Promise<{ status: number; body: { error?: string; predictions?: Prediction[] } }> => {
  const res = await fetch(`${s.url}/classify`, {
    method: 'POST',
    body: body as Uint8Array<ArrayBuffer>,
    signal: AbortSignal.timeout(60_000),
  });
  return { status: res.status, body: JSON.parse(await res.text()) };
};

async function withWorker(
  name: string,
  which: 'example' | 'control',
  opts: { dataLimit?: number },
  body: (s: Server) => Promise<void>,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `edge-resnet-${name}-`));
  let s: Server | undefined;
  try {
    s = await startWorker(join(dir, which), which, opts);
    await body(s);
  } finally {
    await s?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Sends the burst at once; returns each answer and how RSS after GC moved. */
async function burst(s: Server, bombs: Uint8Array[]) {
  const before = await rssAfterGc(s);
  const t0 = performance.now();
  const answers = await Promise.all(
    Array.from({ length: BURST }, (_, i) =>
      post(s, bombs[i % bombs.length]).catch((e: Error) => ({ status: 0, body: { error: e.message } })),
    ),
  );
  return { answers, ms: performance.now() - t0, peak: peakOf(s.pid), before };
}

test(`workerd with ≤ ${mib(MAX_HEADROOM)} of memory to spare: a burst of ${BURST} bombs gets 4xx, the Worker keeps answering correctly, memory returns to its baseline`, async () => {
  if (skipMissing('workerd', 'the edge memory test')) return;
  const valid = readFileSync(join(ROOT, CASE.image));
  const want = await expectedTop(valid, { minSide: 64 });
  const bombs = uploadBombs().map(([, b]) => b);
  let control = 0;
  await withWorker('edge-memory-control', 'control', { dataLimit: DATA_LIMIT }, async (s) => {
    await post(s, valid);
    const b = await burst(s, bombs);
    for (let i = 0; i < 5; i++) await post(s, valid);
    control = (await rssAfterGc(s)) - b.before;
  });
  await withWorker('edge-memory', 'example', { dataLimit: DATA_LIMIT }, async (s) => {
    assert.is((await post(s, valid)).status, 200, s.output()); // loads the classifier
    const headroom = DATA_LIMIT - dataOf(s.pid);
    assert.ok(headroom <= MAX_HEADROOM, `the cap leaves ${mib(headroom)} of writable memory to spare, more than ${mib(MAX_HEADROOM)}`);
    const { answers, ms, peak, before } = await burst(s, bombs);
    assert.ok(!s.exited(), `workerd died during the burst:\n${s.output()}`);
    for (const [i, a] of answers.entries())
      assert.ok(a.status >= 400 && a.status < 500 && a.body.error, `bomb ${i}: HTTP ${a.status} ${JSON.stringify(a.body)}`);
    for (let i = 0; i < 5; i++) {
      const a = await post(s, valid);
      assert.is(a.status, 200, JSON.stringify(a.body));
      assertSameTop(a.body.predictions!, want, 'after the burst');
    }
    const after = await rssAfterGc(s);
    assert.ok(
      after - before - control < RSS_SLACK,
      `RSS after GC: ${mib(before)} before the burst, ${mib(after)} after; the control grew ${mib(control)}`,
    );
    console.log(
      `\n  ${BURST} bombs at once, RLIMIT_DATA ${mib(DATA_LIMIT)} (${mib(headroom)} to spare once serving): all 4xx in ${(ms / 1000).toFixed(1)} s; ` +
        `workerd peak RSS ${mib(peak)}; RSS after GC ${mib(before)} → ${mib(after)} (control worker: +${mib(control)})`,
    );
  });
});

test(`workerd: a 12 MP JPEG photo classifies within ${mib(BUDGET_12MP)} for everything the request costs (classifier load included)`, async () => {
  if (skipMissing('workerd', 'the edge memory test')) return;
  const photo = readFileSync(join(ROOT, PHOTO_12MP.file));
  const want = await expectedTop(photo, { minSide: PHOTO_12MP.minSide });
  await withWorker('edge-12mp', 'example', {}, async (s) => {
    const start = rssOf(s.pid);
    const t0 = performance.now();
    const a = await post(s, photo);
    const ms = performance.now() - t0;
    assert.is(a.status, 200, JSON.stringify(a.body));
    assertSameTop(a.body.predictions!, want, '12 MP photo');
    const cost = peakOf(s.pid) - start;
    assert.ok(cost <= BUDGET_12MP, `the request cost ${mib(cost)} (peak ${mib(peakOf(s.pid))}, ${mib(start)} before)`);
    console.log(
      `\n  12 MP photo (${(photo.length / 1e6).toFixed(2)} MB) through a fresh workerd: 200 in ${ms.toFixed(0)} ms, peak RSS ${mib(start + cost)}, ${mib(start)} before: the request (classifier load included) cost ${mib(cost)}`,
    );
  });
});

test.run();
