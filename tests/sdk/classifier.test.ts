// A Classifier under concurrent calls (one wasm instance: calls queue, in call order, each with
// its own correct answer) and after dispose() (every later call rejects with ClassifierDisposedError).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ClassifierDisposedError, load, preprocess } from '../../ts-sdk/index.ts';
import { IMAGES, PACK, referenceLogits, rejects, assertSameLogits } from './helpers.ts';
import { topK } from '../../ts-sdk/topk.ts';

test("concurrent classify() and logits() calls each return their own image's result, settling in call order", async () => {
  const clf = await load(PACK);
  const ref = await referenceLogits();
  const order: number[] = [];
  const calls = Array.from({ length: 24 }, (_, i) => {
    const k = i % IMAGES.length;
    const p = i % 2 === 0 ? clf.logits(IMAGES[k]) : clf.classify(IMAGES[k], { topK: 3 });
    return p.then((r) => (order.push(i), r));
  });
  const results = await Promise.all(calls);
  assert.equal(
    order,
    calls.map((_, i) => i),
    'settled in call order',
  );
  results.forEach((r, i) => {
    const k = i % IMAGES.length;
    if (r instanceof Float32Array) assertSameLogits(r, ref[k], `call ${i}: logits`);
    else assert.equal(r, topK(ref[k], clf.info.labels, 3), `call ${i}: top 3`);
  });
  clf.dispose();
});

test('the input is read when the call is made: changing pixels, a reused frame buffer or a tensor afterwards changes no answer', async () => {
  const clf = await load(PACK);
  const ref = await referenceLogits();
  const copy = (im: (typeof IMAGES)[number]) => ({ ...im, data: im.data.slice() });
  // pixels changed right after the call
  const img = copy(IMAGES[0]);
  const p1 = clf.logits(img);
  img.data.set(IMAGES[1].data.subarray(0, img.data.length));
  img.data.fill(0);
  assertSameLogits(await p1, ref[0], 'pixels mutated after logits()');
  // a camera loop: one buffer refilled for each queued frame
  const buffer = new Uint8Array(Math.max(IMAGES[0].data.length, IMAGES[1].data.length));
  const calls = [0, 1, 0, 1].map((k) => {
    buffer.set(IMAGES[k].data);
    return clf.logits({ ...IMAGES[k], data: buffer.subarray(0, IMAGES[k].data.length) });
  });
  const out = await Promise.all(calls);
  [0, 1, 0, 1].forEach((k, i) => assertSameLogits(out[i], ref[k], `frame ${i} (image ${k}) from a reused buffer`));
  // a tensor refilled after the call
  const t = preprocess(IMAGES[1], clf.info);
  const p2 = clf.classify(t, { topK: 3 });
  t.fill(0);
  assert.equal(await p2, topK(ref[1], clf.info.labels, 3), 'tensor mutated after classify()');
  clf.dispose();
});

test('a failing call in the queue rejects alone; the calls around it still succeed', async () => {
  const clf = await load(PACK);
  const ref = await referenceLogits();
  const before = clf.logits(IMAGES[0]);
  const bad = clf.logits({ data: new Uint8Array(5), width: 2, height: 2 });
  const badTensor = clf.logits(new Float32Array(7));
  const after = clf.logits(IMAGES[1]);
  assertSameLogits(await before, ref[0], 'the call before the failing ones');
  await rejects(bad, (e) => e instanceof RangeError || e instanceof TypeError, 'bad image');
  await rejects(badTensor, (e) => e instanceof RangeError, 'bad tensor');
  assertSameLogits(await after, ref[1], 'the call after the failing ones');
  clf.dispose();
});

test('two classifiers (separate wasm instances) interleaved give the same answers', async () => {
  const [a, b] = await Promise.all([load(PACK), load(PACK, { simd: 'simd' })]);
  const ref = await referenceLogits();
  const res = await Promise.all(IMAGES.flatMap((im) => [a.logits(im), b.logits(im)]));
  res.forEach((r, i) => assertSameLogits(r, ref[i >> 1], `result ${i}`));
  a.dispose();
  b.dispose();
});

test('classify(image, null) and classify(image, {}) use the default top 5', async () => {
  const clf = await load(PACK);
  const want = await clf.classify(IMAGES[0]);
  assert.is(want.length, 5);
  assert.equal(await clf.classify(IMAGES[0], null), want);
  assert.equal(await clf.classify(IMAGES[0], {}), want);
  clf.dispose();
});

test('a preprocessed tensor gives the same logits as the image it came from', async () => {
  const clf = await load(PACK);
  const ref = await referenceLogits();
  for (let i = 0; i < IMAGES.length; i++) assertSameLogits(await clf.logits(preprocess(IMAGES[i], clf.info)), ref[i], `image ${i}`);
  clf.dispose();
});

test('dispose(): later classify() and logits() reject with ClassifierDisposedError; calls queued before it too', async () => {
  const clf = await load(PACK);
  const running = clf.logits(IMAGES[0]); // already at the head of the queue
  const queued = [clf.logits(IMAGES[1]), clf.classify(IMAGES[2])];
  clf.dispose();
  assert.ok(clf.disposed);
  const isDisposed = (e: unknown) =>
    e instanceof ClassifierDisposedError &&
    (e as Error).name === 'ClassifierDisposedError' &&
    /load\(\) a new one/.test((e as Error).message);
  // The head of the queue started before dispose() only if its turn had come; either way it settles.
  await running.then(
    () => {},
    (e) => assert.ok(isDisposed(e), 'the first call, if not run, says disposed'),
  );
  for (const q of queued) await rejects(q, isDisposed, 'queued call');
  // Later calls: rejected promises, not synchronous throws.
  let p: Promise<unknown> | undefined;
  assert.not.throws(() => (p = clf.logits(IMAGES[0])));
  await rejects(p!, isDisposed, 'logits after dispose');
  await rejects(clf.classify(IMAGES[0]), isDisposed, 'classify after dispose');
  clf.dispose(); // twice is fine
  assert.ok(clf.disposed);
});

test.run();
