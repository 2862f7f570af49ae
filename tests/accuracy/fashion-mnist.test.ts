// The shipped int8 ResNet-18 pack on the real Fashion-MNIST test set, through the public SDK
// from raw 28×28 pixels: top-1 within 0.5 points of PyTorch's on the same images (recorded when
// the pack was made: weights/packs/resnet18-fmnist.pytorch.json, by weights/train/make_packs.sh).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { evaluate } from '../../bench/accuracy.ts';

const PACK = new URL('../../weights/packs/resnet18-fmnist-int8.pack', import.meta.url).pathname;
const recorded = JSON.parse(readFileSync(new URL('../../weights/packs/resnet18-fmnist.pytorch.json', import.meta.url), 'utf8'));
const COUNT = 1000;

test(`int8 ResNet-18 on the first ${COUNT} test images: within 0.5 points of PyTorch fp32`, async () => {
  const r = await evaluate(PACK, undefined, COUNT);
  const pytorch = recorded.pytorch_top1_test_first1000 as number;
  console.log(`  int8 ${(100 * r.top1).toFixed(2)} % vs PyTorch ${(100 * pytorch).toFixed(2)} % (${r.imagesPerSecond.toFixed(0)} images/s)`);
  assert.ok(Math.abs(r.top1 - pytorch) <= 0.005, `int8 top-1 ${r.top1} vs PyTorch ${pytorch}`);
});

test.run();
