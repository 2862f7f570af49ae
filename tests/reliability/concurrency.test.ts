// Concurrency. One classifier is one wasm instance, so calls queue; 100 concurrent
// classify()/logits() calls with different images and options must each get exactly the answer
// the same call gets alone, failing calls in the crowd must reject alone, and two classifiers
// driven at once must not see each other's state.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { load, preprocess, type ImageInput } from '../../ts-sdk/index.ts';
import { rng } from '../helpers/rng.ts';
import { FP32_PACK, INT8_PACK, wasmModule } from './shared.ts';

const N = 100;
const r = rng(314);
const images: ImageInput[] = [
  { data: Uint8Array.from({ length: 20 * 20 * 3 }, () => r.int(0, 255)), width: 20, height: 20 },
  { data: Uint8Array.from({ length: 37 * 29 * 4 }, () => r.int(0, 255)), width: 37, height: 29 },
  { data: Uint8Array.from({ length: 28 * 28 }, () => r.int(0, 255)), width: 28, height: 28, channels: 1 },
  { data: Uint8Array.from({ length: 64 * 9 * 3 }, () => r.int(0, 255)), width: 64, height: 9 },
  { data: new Uint8ClampedArray(Uint8Array.from({ length: 5 * 5 * 4 }, () => r.int(0, 255))), width: 5, height: 5 },
];

type Call =
  | { kind: 'classify'; image: number; topK: number }
  | { kind: 'logits'; image: number }
  | { kind: 'tensor'; image: number }
  | { kind: 'bad'; n: number };

/** A seeded mix: classify with various topK, logits of images, logits of preprocessed tensors, and bad inputs. */
function calls(seed: number, n: number): Call[] {
  const q = rng(seed);
  return Array.from({ length: n }, (): Call => {
    const x = q.next();
    const image = q.int(0, images.length - 1);
    if (x < 0.45) return { kind: 'classify', image, topK: q.int(1, 10) };
    if (x < 0.75) return { kind: 'logits', image };
    if (x < 0.9) return { kind: 'tensor', image };
    return { kind: 'bad', n: q.int(0, 2) };
  });
}

const BAD = [{ data: new Uint8Array(5), width: 2, height: 2 }, new Float32Array(7), null];

async function make(clf: Awaited<ReturnType<typeof load>>, c: Call): Promise<unknown> {
  switch (c.kind) {
    case 'classify':
      return clf.classify(images[c.image], { topK: c.topK });
    case 'logits':
      return clf.logits(images[c.image]).then((l) => [...l]);
    case 'tensor':
      return clf.logits(preprocess(images[c.image], clf.info)).then((l) => [...l]);
    case 'bad':
      return clf.logits(BAD[c.n] as never).then(
        () => 'accepted?!',
        (e: Error) => `${e.constructor.name}: ${e.message}`,
      );
  }
}

test(`${N} concurrent calls on one classifier each return what the same call returns alone`, async () => {
  const module = await wasmModule();
  for (const pack of [INT8_PACK, FP32_PACK]) {
    const clf = await load(pack, { wasm: module });
    const list = calls(pack === INT8_PACK ? 1 : 2, N);
    const sequential: unknown[] = [];
    for (const c of list) sequential.push(await make(clf, c));
    const order: number[] = [];
    const concurrent = await Promise.all(list.map((c, i) => make(clf, c).then((v) => (order.push(i), v))));
    concurrent.forEach((v, i) => assert.equal(v, sequential[i], `${clf.info.precision} call ${i} (${JSON.stringify(list[i])})`));
    // A bad pixel object or tensor is refused when the call is made (inputs are checked and
    // captured then), so refusals may settle early; the accepted calls run in call order. classify() settles a few microtasks after its logits,
    // so the order is compared among calls of one kind (same promise chain).
    for (const kind of ['classify', 'logits', 'tensor'] as const) {
      const mine = order.filter((i) => list[i].kind === kind);
      assert.equal(
        mine,
        [...mine].sort((a, b) => a - b),
        `${kind} calls settle in the order they were made`,
      );
    }
    assert.ok(list.some((c) => c.kind === 'bad') && sequential.every((v) => v !== 'accepted?!'), 'the bad calls in the crowd were refused');
    clf.dispose();
  }
});

test('two classifiers (int8 and fp32) driven at once keep their own answers', async () => {
  const module = await wasmModule();
  const [a, b] = await Promise.all([load(INT8_PACK, { wasm: module }), load(FP32_PACK, { wasm: module })]);
  const want = await Promise.all(
    [a, b].map(async (c) => {
      const out = [];
      for (const im of images) out.push([...(await c.logits(im))]);
      return out;
    }),
  );
  const mixed = await Promise.all(
    Array.from({ length: N }, (_, i) => {
      const c = i % 2 ? b : a;
      return c.logits(images[i % images.length]).then((l) => ({ i, l: [...l] }));
    }),
  );
  for (const { i, l } of mixed) assert.equal(l, want[i % 2][i % images.length], `call ${i}`);
  a.dispose();
  b.dispose();
});

test(`${N} concurrent load() calls of the same bytes all succeed and agree`, async () => {
  const module = await wasmModule();
  const clfs = await Promise.all(Array.from({ length: N }, () => load(INT8_PACK, { wasm: module })));
  const results = await Promise.all(clfs.map((c) => c.logits(images[0]).then((l) => [...l])));
  results.forEach((l, i) => assert.equal(l, results[0], `classifier ${i}`));
  clfs.forEach((c) => c.dispose());
});

test.run();
