// trainHead() and TrainedHead.toPack(): deterministic bytes, a valid pack that load() runs with
// exactly the head's own answers, the backbone untouched, both methods, progress and abort.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { load, trainHead } from '../../ts-sdk/index.ts';
import { readPack } from '../../ts-sdk/pack/index.ts';
import { headInput } from '../../ts-sdk/head/embedding.ts';
import { assertSameLogits, FP32_PACK, PACK, rejects } from '../sdk/helpers.ts';
import { bandImages, CLASSES, embedAll, trainedOn } from './fixtures.ts';

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

test('the same inputs give the same pack, byte for byte, trained twice', async () => {
  const a = await trainedOn(PACK, 30, 1);
  const b = await trainedOn(PACK, 30, 1);
  const pa = a.head.toPack(),
    pb = b.head.toPack();
  assert.ok(sameBytes(pa, pb), 'two trainings, two different packs');
  assert.ok(sameBytes(pa, a.head.toPack()), 'toPack twice');
  const c = await trainedOn(PACK, 30, 2);
  assert.not.ok(sameBytes(pa, c.head.toPack()), 'other images gave the same pack: the test cannot tell');
});

test('int8: the saved pack loads, says what it is, and answers exactly as the head did', async () => {
  const { head, images } = await trainedOn(PACK, 30, 3);
  assert.is(head.precision, 'int8');
  assert.equal(head.training.perClass, [10, 10, 10]);
  assert.ok(head.training.stop === 'gradient' || head.training.stop === 'decrease', `did not converge: ${JSON.stringify(head.training)}`);
  const bytes = head.toPack({ description: 'bands, left to right' });
  readPack(bytes); // the writer validated it; the reader validates again
  const test = bandImages(12, 99);
  const embeddings = await embedAll(PACK, test.images);
  const clf = await load(bytes);
  assert.equal(clf.info.labels, CLASSES);
  assert.is(clf.info.numClasses, 3);
  assert.is(clf.info.description, 'bands, left to right');
  let right = 0;
  for (const [i, im] of test.images.entries()) {
    const logits = await clf.logits(im);
    assertSameLogits(logits, head.logits(embeddings[i]), `image ${i}: the saved pack's logits vs the head's`);
    assert.equal(await clf.classify(im, { topK: 3 }), head.classify(embeddings[i], { topK: 3 }));
    if (head.classify(embeddings[i], { topK: 1 })[0].index === test.labels[i]) right++;
  }
  assert.ok(right >= 10, `only ${right} of 12 held-out band images right: the head learned nothing`);
  // The new pack's embeddings are the base pack's: the backbone is the same.
  assertSameLogits(await clf.embed(images[0]), (await embedAll(PACK, [images[0]]))[0], 'embed() of one image');
  clf.dispose();
});

test("the backbone is untouched: every tensor but the fc's byte-identical, the graph equal but the head; provenance kept", async () => {
  const { head } = await trainedOn(PACK, 15, 4);
  const base = readPack(PACK),
    mine = readPack(head.toPack());
  const { fc } = headInput(base.graph);
  const headTensors = new Set([fc.weight, fc.bias, fc.weightScale]);
  assert.equal([...mine.tensors.keys()], [...base.tensors.keys()], 'tensor names and order');
  for (const [name, t] of base.tensors) {
    if (headTensors.has(name)) continue;
    const u = mine.tensors.get(name)!;
    const bytes = (x: typeof t) => new Uint8Array(x.data.buffer, x.data.byteOffset, x.data.byteLength);
    assert.ok(sameBytes(bytes(u), bytes(t)) && u.dtype === t.dtype && u.dims.join() === t.dims.join(), `tensor ${name} changed`);
  }
  assert.equal(mine.tensors.get(fc.weight)!.dims, [3, fc.cin]);
  const strip = (g: typeof base.graph) => ({
    ...g,
    labels: [],
    nodes: g.nodes.filter((n) => n.op !== 'fc'),
    activations: g.activations.filter((a) => a.id !== g.outputId),
  });
  assert.equal(strip(mine.graph), strip(base.graph));
  assert.equal(mine.graph.labels, CLASSES);
  assert.is(mine.extra?.converter, base.extra?.converter);
  const saved = mine.extra?.head as Record<string, unknown>;
  assert.is(saved.method, 'logistic');
  assert.is(saved.examples, 15);
  assert.match(
    String(mine.extra?.description),
    /^3 classes \(left, middle, right\), a head trained on 15 images over the backbone of resnet/,
  );
});

test('fp32 base: an fp32 head, the same logits from the pack (simd build) as from the head', async () => {
  const { head } = await trainedOn(FP32_PACK, 24, 5);
  assert.is(head.precision, 'fp32');
  const test = bandImages(6, 98);
  const embeddings = await embedAll(FP32_PACK, test.images, 'simd');
  const clf = await load(head.toPack(), { simd: 'simd' });
  for (const [i, im] of test.images.entries()) assertSameLogits(await clf.logits(im), head.logits(embeddings[i]), `image ${i}`);
  clf.dispose();
});

test('nearest-mean: one image per class is enough, and each is its own class', async () => {
  const { images, labels } = bandImages(3, 6);
  const embeddings = await embedAll(PACK, images);
  const head = await trainHead(PACK, { embeddings, labels, classes: CLASSES }, { method: 'nearest-mean' });
  assert.is(head.training.method, 'nearest-mean');
  embeddings.forEach((e, i) => assert.is(head.classify(e, { topK: 1 })[0].index, labels[i], `example ${i}`));
  const clf = await load(head.toPack());
  for (const [i, im] of images.entries()) assert.is((await clf.classify(im, { topK: 1 }))[0].index, labels[i]);
  clf.dispose();
});

test("progress after every iteration; an abort stops training with the signal's reason", async () => {
  const { images, labels } = bandImages(30, 7);
  const embeddings = await embedAll(PACK, images);
  const seen: number[] = [];
  const head = await trainHead(PACK, { embeddings, labels, classes: CLASSES }, { onProgress: (p) => seen.push(p.iteration) });
  assert.equal(
    seen,
    Array.from({ length: head.training.iterations }, (_, i) => i + 1),
  );
  assert.ok(seen.length >= 3, `${seen.length} iterations`);

  const ac = new AbortController();
  const reason = new Error('user pressed stop');
  await rejects(
    trainHead(
      PACK,
      { embeddings, labels, classes: CLASSES },
      { signal: ac.signal, onProgress: (p) => p.iteration === 2 && ac.abort(reason) },
    ),
    (e) => e === reason,
    'aborted at iteration 2',
  );
  await rejects(
    trainHead(PACK, { embeddings, labels, classes: CLASSES }, { signal: AbortSignal.abort(reason) }),
    (e) => e === reason,
    'aborted before',
  );
});

test('maxIterations caps the optimizer and says so', async () => {
  const { head } = await trainedOn(PACK, 30, 8, { maxIterations: 2, l2: 0 });
  assert.is(head.training.iterations, 2);
  assert.is(head.training.stop, 'iterations');
});

test.run();
