// Classifier.embed() is exactly what the head reads: the logits recomputed from the embedding
// with the pack's own fc weights (read back out of the pack, unpacked, with the runtime's
// arithmetic written from docs/ARCHITECTURE.md) equal logits() bit for bit — int8 with every
// kernel build, fp32 with the simd build. Plus the array form, normalize, and bad calls.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { ClassifierDisposedError, load, preprocess } from '../../ts-sdk/index.ts';
import { readPack } from '../../ts-sdk/pack/index.ts';
import { readHead } from '../../ts-sdk/head/pack-head.ts';
import { headLogits } from '../../ts-sdk/head/fc-head.ts';
import { decodeImage } from '../../ts-sdk/decode/index.ts';
import { assertSameLogits, FP32_PACK, IMAGES, PACK, rejects, relaxedSupported } from '../sdk/helpers.ts';

const R18 = new Uint8Array(readFileSync(new URL('../../weights/packs/resnet18-fmnist-int8.pack', import.meta.url)));
const SAMPLES = ['09-ankleboot-idx0.png', '02-pullover-idx1.png', '08-bag-idx18.png'].map((f) =>
  decodeImage(readFileSync(new URL(`../../weights/data/samples/${f}`, import.meta.url))),
);
const builds = relaxedSupported ? (['simd', 'relaxed'] as const) : (['simd'] as const);

const cases = [
  { name: 'resnet18-fmnist-int8', bytes: R18, images: [...SAMPLES, IMAGES[1]], dims: 512, builds },
  { name: 'tiny-int8 (head input zero point ≠ 0)', bytes: PACK, images: IMAGES, dims: 20, builds },
  { name: 'tiny-fp32', bytes: FP32_PACK, images: IMAGES, dims: 20, builds: ['simd'] as const },
];

for (const c of cases) {
  test(`${c.name}: the pack's fc weights applied to embed() give logits() bit for bit (${c.builds.join(', ')})`, async () => {
    const head = readHead(readPack(c.bytes));
    for (const simd of c.builds) {
      const clf = await load(c.bytes, { simd });
      for (const [i, im] of c.images.entries()) {
        const e = await clf.embed(im);
        assert.instance(e, Float32Array);
        assert.is(e.length, c.dims);
        const logits = await clf.logits(im);
        const again = headLogits(head, e);
        assertSameLogits(again, logits, `${simd} image ${i}: logits recomputed from embed() vs logits()`);
      }
      clf.dispose();
    }
  });
}

test('int8 embeddings are the pooled u8 values times the scale: on the grid, ≥ 0 after ReLU, not all equal', async () => {
  const clf = await load(R18);
  const head = readHead(readPack(R18));
  assert.is(head.precision, 'int8');
  const { scale, zeroPoint } = (head as Extract<typeof head, { precision: 'int8' }>).input;
  const e = await clf.embed(SAMPLES[0]);
  assert.is(zeroPoint, 0);
  for (const v of e) {
    const q = Math.round(v / scale);
    assert.ok(v === Math.fround(scale * q) && q >= 0 && q <= 255, `${v} is not fround(${scale} · q)`);
  }
  assert.ok(new Set(e).size > 10, 'the embedding has a handful of distinct values only');
  clf.dispose();
});

test('embed(array) is embed() of each image in order; a tensor input equals its image', async () => {
  const clf = await load(R18);
  const each: Float32Array[] = [];
  for (const im of SAMPLES) each.push(await clf.embed(im));
  const all = await clf.embed(SAMPLES);
  assert.is(all.length, SAMPLES.length);
  all.forEach((e, i) => assertSameLogits(e, each[i], `image ${i}`));
  assert.equal(await clf.embed([]), []);
  assertSameLogits(await clf.embed(preprocess(SAMPLES[1], clf.info)), each[1], 'preprocessed tensor');
  clf.dispose();
});

test('normalize: unit length, the same direction as the plain embedding', async () => {
  const clf = await load(R18);
  const plain = await clf.embed(SAMPLES[2]);
  const unit = await clf.embed(SAMPLES[2], { normalize: true });
  const norm = Math.sqrt(plain.reduce((s, v) => s + v * v, 0));
  let ss = 0;
  unit.forEach((v, k) => {
    ss += v * v;
    assert.is(v, Math.fround(plain[k] / norm), `component ${k}`);
  });
  assert.ok(Math.abs(ss - 1) < 1e-6, `squared norm ${ss}`);
  const [a, b] = await clf.embed([SAMPLES[0], SAMPLES[1]], { normalize: true });
  assert.ok(
    Math.abs(a.reduce((s, v, k) => s + v * b[k], 0)) <= 1 + 1e-6,
    'cosine of two normalized embeddings is a dot product in [−1, 1]',
  );
  clf.dispose();
});

test('bad calls reject with what was expected; a disposed classifier refuses', async () => {
  const clf = await load(PACK);
  await rejects(
    clf.embed(IMAGES[0], { normalize: 'yes' as unknown as boolean }),
    (e) => e instanceof TypeError && /normalize must be a boolean/.test((e as Error).message),
    'normalize',
  );
  await rejects(
    clf.embed(new Float32Array(5)),
    (e) => e instanceof RangeError && /preprocessed/.test((e as Error).message),
    'short tensor',
  );
  await rejects(
    clf.embed([IMAGES[0], { data: new Uint8Array(3), width: 2, height: 2 }]),
    (e) => e instanceof RangeError,
    'one bad image in an array',
  );
  const ok = await clf.embed(IMAGES[0]); // the queue goes on after failures
  assert.is(ok.length, 20);
  clf.dispose();
  await rejects(clf.embed(IMAGES[0]), (e) => e instanceof ClassifierDisposedError, 'disposed');
  await rejects(clf.embed([IMAGES[0]]), (e) => e instanceof ClassifierDisposedError, 'disposed, array');
});

test.run();
