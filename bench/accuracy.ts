// Accuracy on the real Fashion-MNIST test set: our fp32 and int8 packs (each kernel
// build) through the public SDK from raw 28×28 pixels, against PyTorch's recorded figure.
//   node --experimental-wasm-relaxed-simd --import tsx bench/accuracy.ts \
//     --int8 weights/packs/resnet18-fmnist-int8.pack --fp32 <fp32 pack> [--pytorch 0.9270] [--count 10000]
import { parseArgs } from 'node:util';
import { load, type SimdLevel } from '../ts-sdk/index.ts';
import { fashionMnistTest } from './fashion-mnist.ts';

const argmax = (x: Float32Array) => {
  let k = 0;
  for (let i = 1; i < x.length; i++) if (x[i] > x[k]) k = i;
  return k;
};

export async function evaluate(pack: string, simd: SimdLevel | undefined, count: number) {
  const { images, labels } = fashionMnistTest(count);
  const clf = await load(pack, { simd });
  const preds = new Uint8Array(images.length);
  let correct = 0;
  const t0 = performance.now();
  for (const [i, img] of images.entries()) {
    preds[i] = argmax(await clf.logits(img));
    if (preds[i] === labels[i]) correct++;
  }
  const seconds = (performance.now() - t0) / 1000;
  clf.dispose();
  return {
    pack,
    simd: simd ?? 'auto',
    images: images.length,
    top1: correct / images.length,
    imagesPerSecond: images.length / seconds,
    preds,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values: opt } = parseArgs({
    options: {
      int8: { type: 'string' },
      fp32: { type: 'string' },
      pytorch: { type: 'string' },
      count: { type: 'string', default: '10000' },
    },
  });
  const count = Number(opt.count);
  const rows = [];
  if (opt.fp32) rows.push(await evaluate(opt.fp32, 'simd', count));
  if (opt.int8) for (const simd of ['simd', 'relaxed'] as const) rows.push(await evaluate(opt.int8, simd, count));
  const fp32 = rows.find((r) => r.pack === opt.fp32);
  console.log(`Fashion-MNIST test set, ${count} images, ${process.version}`);
  if (opt.pytorch) console.log(`PyTorch fp32 (recorded at training): ${(100 * Number(opt.pytorch)).toFixed(2)} %`);
  for (const r of rows) {
    const agree =
      fp32 && r !== fp32
        ? ` agreement with fp32 ${((100 * r.preds.filter((p, i) => p === fp32.preds[i]).length) / r.images).toFixed(2)} %`
        : '';
    console.log(`${r.pack} [${r.simd}]: top-1 ${(100 * r.top1).toFixed(2)} %, ${r.imagesPerSecond.toFixed(0)} images/s${agree}`);
  }
}
