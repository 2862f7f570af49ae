// Every shipped int8 pack on the real Fashion-MNIST test set, through the public SDK from raw
// 28×28 pixels: top-1 within 0.5 points of PyTorch's on the same images (recorded when the pack
// was made, weights/packs/<arch>-fmnist.pytorch.json, by weights/train/make_packs.sh). The
// shipped ResNet-18 must be among them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { evaluate } from '../../bench/accuracy.ts';

const PACKS = fileURLToPath(new URL('../../weights/packs/', import.meta.url));
const COUNT = 1000;
const shipped = readdirSync(PACKS)
  .filter((f) => f.endsWith('-fmnist-int8.pack'))
  .map((f) => f.replace(/-fmnist-int8\.pack$/, ''));

test('the shipped ResNet-18 pack and its PyTorch record are there', () => {
  assert.ok(shipped.includes('resnet18'), `packs: ${shipped.join(', ')}`);
});

for (const arch of shipped) {
  test(`int8 ${arch} on the first ${COUNT} test images: within 0.5 points of PyTorch fp32`, async () => {
    const record = `${PACKS}${arch}-fmnist.pytorch.json`;
    assert.ok(existsSync(record), `${record} is missing: make_packs.sh writes it beside the pack`);
    const pytorch = JSON.parse(readFileSync(record, 'utf8')).pytorch_top1_test_first1000 as number;
    const r = await evaluate(`${PACKS}${arch}-fmnist-int8.pack`, undefined, COUNT);
    console.log(
      `  ${arch} int8 ${(100 * r.top1).toFixed(2)} % vs PyTorch ${(100 * pytorch).toFixed(2)} % (${r.imagesPerSecond.toFixed(0)} images/s)`,
    );
    assert.ok(Math.abs(r.top1 - pytorch) <= 0.005, `int8 top-1 ${r.top1} vs PyTorch ${pytorch}`);
  });
}

test.run();
