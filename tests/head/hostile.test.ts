// trainHead() and the saved pack under hostile input: every bad training set or option is
// refused with a typed error naming what was wrong and what was expected, before any training;
// the saved pack meets the pack fuzz suite's contract — it runs with logits bit-identical to
// the independent int8 simulation, and mutations of it end in a PackFormatError or correct results.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HEAD_LIMITS, load, PackFormatError, preprocess, trainHead, type HeadTrainingSet } from '../../ts-sdk/index.ts';
import { readPack } from '../../ts-sdk/pack/index.ts';
import { runInt8 } from '../helpers/int8-sim.ts';
import { rng } from '../helpers/rng.ts';
import { parts } from '../pack/helpers.ts';
import { mutatePack } from '../reliability/pack-mutate.ts';
import { PACK, rejects } from '../sdk/helpers.ts';
import { bandImages, CLASSES, embedAll } from './fixtures.ts';

const { images, labels } = bandImages(9, 11);
const embeddings = await embedAll(PACK, images);
const good: HeadTrainingSet = { embeddings, labels, classes: CLASSES };

const cases: [string, unknown, HeadTrainingSet | unknown, object, (e: unknown) => boolean, RegExp][] = [
  ['not a pack', new Uint8Array(100), good, {}, (e) => e instanceof PackFormatError, /./],
  ['a string for the pack', 'model.pack', good, {}, (e) => e instanceof TypeError, /Uint8Array or ArrayBuffer/],
  ['no set', PACK, null, {}, (e) => e instanceof TypeError, /training set/],
  ['one class', PACK, { ...good, classes: ['a'] }, {}, (e) => e instanceof RangeError, /2 to 10000 classes/],
  ['a class name that is a number', PACK, { ...good, classes: ['a', 2, 'c'] }, {}, (e) => e instanceof TypeError, /classes\[1\]/],
  ['an empty class name', PACK, { ...good, classes: ['a', '', 'c'] }, {}, (e) => e instanceof TypeError, /classes\[1\]/],
  ['a lone surrogate', PACK, { ...good, classes: ['a', '\ud800', 'c'] }, {}, (e) => e instanceof TypeError, /well-formed/],
  ['a huge class name', PACK, { ...good, classes: ['a', 'b'.repeat(5000), 'c'] }, {}, (e) => e instanceof TypeError, /at most 1000/],
  [
    'too many classes',
    PACK,
    { ...good, classes: Array.from({ length: 10_001 }, (_, i) => `c${i}`) },
    {},
    (e) => e instanceof RangeError,
    /2 to 10000/,
  ],
  ['no examples', PACK, { ...good, embeddings: [], labels: [] }, {}, (e) => e instanceof RangeError, /empty/],
  [
    'labels shorter than embeddings',
    PACK,
    { ...good, labels: labels.slice(1) },
    {},
    (e) => e instanceof RangeError,
    /one class index per embedding \(9\)/,
  ],
  [
    'a label out of range',
    PACK,
    { ...good, labels: [...labels.slice(1), 3] },
    {},
    (e) => e instanceof RangeError,
    /labels\[8\] must be a class index in \[0, 2\], got 3/,
  ],
  ['a fractional label', PACK, { ...good, labels: [0.5, ...labels.slice(1)] }, {}, (e) => e instanceof RangeError, /labels\[0\]/],
  [
    'a class with no examples',
    PACK,
    { ...good, labels: labels.map((l) => (l === 2 ? 1 : l)) },
    {},
    (e) => e instanceof RangeError,
    /class 2 \('right'\) has no examples/,
  ],
  [
    'an embedding of the wrong length',
    PACK,
    { ...good, embeddings: [new Float32Array(512), ...embeddings.slice(1)] },
    {},
    (e) => e instanceof RangeError,
    /embeddings\[0\] must be a Float32Array of 20 values/,
  ],
  [
    'a plain array for an embedding',
    PACK,
    { ...good, embeddings: [[...embeddings[0]], ...embeddings.slice(1)] },
    {},
    (e) => e instanceof RangeError,
    /got Array/,
  ],
  [
    'a NaN in an embedding',
    PACK,
    { ...good, embeddings: [embeddings[0].map((v, i) => (i === 3 ? NaN : v)), ...embeddings.slice(1)] },
    {},
    (e) => e instanceof RangeError,
    /embeddings\[0\]: embedding\[3\] = NaN/,
  ],
  [
    'a normalized embedding (int8 pack)',
    PACK,
    { ...good, embeddings: [embeddings[0].map((v) => v / 100), ...embeddings.slice(1)] },
    {},
    (e) => e instanceof RangeError,
    /without normalize/,
  ],
  [
    'more example values than the limit',
    PACK,
    { ...good, embeddings: Array.from({ length: HEAD_LIMITS.maxExampleValues / 20 + 1 }, () => embeddings[0]) },
    {},
    (e) => e instanceof RangeError,
    /exceed the limit/,
  ],
  ['an unknown method', PACK, good, { method: 'svm' }, (e) => e instanceof RangeError, /'logistic' or 'nearest-mean'/],
  ['a negative l2', PACK, good, { l2: -1 }, (e) => e instanceof RangeError, /l2 must be a finite number ≥ 0/],
  ['NaN l2', PACK, good, { l2: NaN }, (e) => e instanceof RangeError, /l2/],
  [
    'zero iterations',
    PACK,
    good,
    { maxIterations: 0 },
    (e) => e instanceof RangeError,
    /maxIterations must be an integer in \[1, 100000\]/,
  ],
  ['a progress callback that is not a function', PACK, good, { onProgress: 3 }, (e) => e instanceof TypeError, /onProgress/],
];

for (const [name, pack, set, options, kind, message] of cases) {
  test(`refused: ${name}`, async () => {
    const e = await rejects(trainHead(pack as Uint8Array, set as HeadTrainingSet, options), kind, name);
    assert.match((e as Error).message, message);
  });
}

test('the training set is read when trainHead is called: changing it afterwards changes nothing', async () => {
  const before = (await trainHead(PACK, good)).toPack();
  const copy = { embeddings: embeddings.map((e) => e.slice()), labels: [...labels], classes: [...CLASSES] };
  const packCopy = PACK.slice();
  const p = trainHead(packCopy, copy);
  packCopy.fill(0); // the caller reuses its buffer at once
  const after = (await p).toPack();
  assert.ok(before.length === after.length && before.every((v, i) => v === after[i]));
});

test('the saved pack meets the pack fuzz contract: logits equal the int8 simulation; mutations end in PackFormatError or correct results', async () => {
  const head = await trainHead(PACK, good);
  const bytes = head.toPack();
  const r = rng(5);
  const check = async (b: Uint8Array, what: string) => {
    const clf = await load(b);
    const x = Float32Array.from(
      { length: clf.info.input.channels * clf.info.input.height * clf.info.input.width },
      () => r.next() * 5 - 2.5,
    );
    const logits = await clf.logits(x);
    const want = runInt8(readPack(b), x).logits;
    assert.ok(
      logits.every((v, i) => v === want[i] && Number.isFinite(v)),
      `${what}: logits [${[...logits]}], simulation [${[...want]}]`,
    );
    const top = await clf.classify(images[0], { topK: 3 });
    assert.ok(
      top.every((p) => p.score >= 0 && p.score <= 1),
      `${what}: scores`,
    );
    assert.equal(await clf.logits(preprocess(images[1], clf.info)), await clf.logits(images[1]));
    clf.dispose();
  };
  await check(bytes, 'the saved pack');
  const p = parts(bytes);
  const outcomes: Record<string, number> = {};
  for (let i = 0; i < 300; i++) {
    const m = mutatePack(rng(7000 + i), bytes, p, 'int8');
    if (m.huge) continue; // valid but over-large: the fuzz suite's own business
    try {
      readPack(m.bytes);
    } catch (e) {
      if (!(e instanceof PackFormatError)) throw new Error(`mutation ${i} (${m.kind}: ${m.what}): ${String(e)}`);
      outcomes[e.code] = (outcomes[e.code] ?? 0) + 1;
      continue;
    }
    outcomes.loaded = (outcomes.loaded ?? 0) + 1;
    await check(m.bytes, `mutation ${i} (${m.kind}: ${m.what})`);
  }
  assert.ok((outcomes.loaded ?? 0) > 20 && Object.keys(outcomes).length > 4, JSON.stringify(outcomes));
});

test.run();
