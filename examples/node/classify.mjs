#!/usr/bin/env node
// Classifies JPEG/PNG files with the built package and prints the top 5 of each.
//
//   node examples/node/classify.mjs weights/data/samples/*.png
//   node examples/node/classify.mjs --pack tests/fixtures/tiny-int8.pack photo.jpg
//
// In your own project: `npm install edge-resnet`; the imports below stay as they are.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { load } from 'edge-resnet';
import { decodeImage } from 'edge-resnet/decode';

// The shipped pack, found through the package (works from this repo and from an install).
const SHIPPED_PACK = new URL('weights/packs/resnet18-fmnist-int8.pack', import.meta.resolve('edge-resnet/package.json'));

const { values: opts, positionals: files } = parseArgs({
  allowPositionals: true,
  options: {
    pack: { type: 'string', short: 'p' },
    top: { type: 'string', short: 't', default: '5' },
  },
});
const topK = Number(opts.top);
if (files.length === 0 || !Number.isInteger(topK) || topK < 1) {
  console.error('usage: node classify.mjs [--pack file.pack] [--top k] image.png|image.jpg ...');
  process.exit(2);
}

const clf = await load(opts.pack ?? SHIPPED_PACK);
const { arch, precision, inputSize, simd } = clf.info;
console.log(`${arch} ${precision}, ${inputSize.join('×')} input, ${simd} kernels`);

let failed = 0;
for (const file of files) {
  try {
    const image = decodeImage(await readFile(file));
    const t0 = performance.now();
    const top = await clf.classify(image, { topK });
    const ms = performance.now() - t0;
    console.log(`\n${file}  (${image.width}×${image.height}, ${ms.toFixed(1)} ms)`);
    const width = Math.max(...top.map((p) => p.label.length));
    top.forEach((p, i) => {
      const pct = (p.score * 100).toFixed(2).padStart(6);
      console.log(`  ${i + 1}. ${p.label.padEnd(width)}  ${pct} %  ${'█'.repeat(Math.round(p.score * 20))}`);
    });
  } catch (e) {
    failed++;
    console.error(`\n${file}: ${e instanceof Error ? e.message : e}`);
  }
}
clf.dispose();
process.exitCode = failed ? 1 : 0;
