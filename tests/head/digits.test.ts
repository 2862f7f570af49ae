// A domain the backbone never saw: scikit-learn's 1,797 handwritten digits (8×8, committed in
// weights/data/digits). A head trained on the first 20 images of each digit over the shipped
// Fashion-MNIST ResNet-18 must reach 80 % top-1 on the other 1,597; beside it, the same trainer
// on the raw pixels of the same 200 images (what the backbone's features add or cost). Then the
// pack saved from that head, reloaded, must give every held-out image the head's own logits.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { load, trainHead } from '../../ts-sdk/index.ts';
import { fitLinearHead } from '../../ts-sdk/head/linear-head.ts';
import { standardize } from '../../ts-sdk/head/standardize.ts';
import { DEFAULT_TRAIN_HEAD_OPTIONS } from '../../ts-sdk/options.ts';
import { assertSameLogits } from '../sdk/helpers.ts';
import { readDigits, TRAIN_PER_CLASS } from './digits.ts';

const R18 = new Uint8Array(readFileSync(new URL('../../weights/packs/resnet18-fmnist-int8.pack', import.meta.url)));
const CLASSES = [...'0123456789'];

test('digits: 20 per class → ≥ 80 % on the other 1,597; the saved pack answers as the head did', async () => {
  const { images, pixels, labels, train, heldOut } = readDigits();
  assert.is(images.length, 1797);
  assert.is(train.length, 200);
  const clf = await load(R18);
  let t0 = performance.now();
  const embeddings = await clf.embed(images);
  const embedMs = performance.now() - t0;
  clf.dispose();

  t0 = performance.now();
  const head = await trainHead(R18, { embeddings: train.map((i) => embeddings[i]), labels: train.map((i) => labels[i]), classes: CLASSES });
  const trainMs = performance.now() - t0;
  const predicted = heldOut.map((i) => head.classify(embeddings[i], { topK: 1 })[0].index);
  const accuracy = predicted.filter((p, j) => p === labels[heldOut[j]]).length / heldOut.length;

  // The same trainer (standardize, L2 softmax regression, L-BFGS) on the 64 raw pixel values.
  const o = { ...DEFAULT_TRAIN_HEAD_OPTIONS };
  const raw = await fitLinearHead(
    standardize(
      train.map((i) => pixels[i]),
      64,
    ),
    Int32Array.from(train, (i) => labels[i]),
    10,
    o,
  );
  const rawPredict = (x: Float32Array) => {
    const z = CLASSES.map((_, c) => x.reduce((s, v, k) => s + v * raw.w[c * 64 + k], raw.b[c]));
    return z.indexOf(Math.max(...z));
  };
  const rawAccuracy = heldOut.filter((i) => rawPredict(pixels[i]) === labels[i]).length / heldOut.length;

  console.log(
    `\n  digits (sklearn load_digits), ${TRAIN_PER_CLASS} per class (${train.length}) → held-out ${heldOut.length}:` +
      `\n    head on resnet18-fmnist-int8 embeddings: ${(accuracy * 100).toFixed(2)} % top-1 (${head.training.iterations} L-BFGS iterations, ${head.training.stop}, l2 ${o.l2})` +
      `\n    same trainer on the raw 8×8 pixels:      ${(rawAccuracy * 100).toFixed(2)} % top-1 (${raw.summary.iterations} iterations)` +
      `\n    Node ${process.version}: embed 1,797 images ${(embedMs / 1000).toFixed(1)} s, train ${trainMs.toFixed(0)} ms`,
  );
  assert.ok(accuracy >= 0.8, `held-out top-1 ${(accuracy * 100).toFixed(2)} % < 80 %`);

  const mine = await load(head.toPack());
  assert.equal(mine.info.labels, CLASSES);
  for (const [j, i] of heldOut.entries()) {
    const logits = await mine.logits(images[i]);
    assertSameLogits(logits, head.logits(embeddings[i]), `held-out image ${i}: the reloaded pack's logits vs the head's`);
    const top = logits.indexOf(Math.max(...logits));
    assert.is(top, predicted[j], `held-out image ${i}`);
  }
  mine.dispose();
});

test.run();
