// What users get from classify(), pinned: the shipped ResNet-18 pack on three of its sample
// images gives these top 3 {label, index, score}, with both kernel builds. Labels and indices
// must match exactly; scores to 12 decimals (the int8 logits are bit-exact, so only Math.exp in
// the softmax could move them, in the last bits). A change here changes every user's answers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { decodeImage } from '../../ts-sdk/decode/index.ts';
import { load, type Prediction } from '../../ts-sdk/index.ts';
import { relaxedSupported } from './helpers.ts';

const PACK = new URL('../../weights/packs/resnet18-fmnist-int8.pack', import.meta.url);
const sample = (file: string) => decodeImage(readFileSync(new URL(`../../weights/data/samples/${file}`, import.meta.url)));

const GOLDEN: [string, Prediction[]][] = [
  [
    '09-ankleboot-idx0.png',
    [
      { label: 'Ankle boot', index: 9, score: 0.9014190124433392 },
      { label: 'Sneaker', index: 7, score: 0.013996260538972766 },
      { label: 'Shirt', index: 6, score: 0.012012688284718995 },
    ],
  ],
  [
    '08-bag-idx18.png',
    [
      { label: 'Bag', index: 8, score: 0.9095120862011455 },
      { label: 'Sneaker', index: 7, score: 0.011458520507956475 },
      { label: 'T-shirt/top', index: 0, score: 0.010851357780834606 },
    ],
  ],
  [
    '06-shirt-idx4.png',
    [
      { label: 'Shirt', index: 6, score: 0.8864734359179013 },
      { label: 'T-shirt/top', index: 0, score: 0.045083176779130214 },
      { label: 'Ankle boot', index: 9, score: 0.010199416269248732 },
    ],
  ],
];

for (const simd of relaxedSupported ? (['simd', 'relaxed'] as const) : (['simd'] as const)) {
  test(`shipped ResNet-18, ${simd} build: the top 3 of three sample images`, async () => {
    const clf = await load(PACK, { simd });
    for (const [file, want] of GOLDEN) {
      const got = await clf.classify(sample(file), { topK: 3 });
      assert.equal(
        got.map((p) => [p.label, p.index]),
        want.map((p) => [p.label, p.index]),
        `${file}: labels and indices`,
      );
      got.forEach((p, i) =>
        assert.ok(Math.abs(p.score - want[i].score) < 1e-12, `${file} #${i + 1} ${p.label}: score ${p.score}, golden ${want[i].score}`),
      );
    }
    clf.dispose();
  });
}

test.run();
