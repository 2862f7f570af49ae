// What decodeImage's minSide costs in accuracy: each photo made by bench/decode-scaling.py
// (Fashion-MNIST test images enlarged to 448×448, JPEG and PNG) is classified twice by each
// shipped pack, decoded at full size and with minSide = the pack's input side (64: decoded at
// 1/4, 112×112), and the answers are compared: top-1 agreement, accuracy against the labels,
// largest score difference.
// usage: node --experimental-wasm-relaxed-simd --import tsx bench/decode-scaling.ts DIR
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from '../ts-sdk/index.ts';
import { decodeImage } from '../ts-sdk/decode/index.ts';

const dir = process.argv[2];
if (!dir) throw new Error('usage: bench/decode-scaling.ts DIR (made by bench/decode-scaling.py)');
const files = readdirSync(dir)
  .filter((f) => /\.(jpg|png)$/.test(f))
  .sort();
for (const pack of ['resnet18-fmnist-int8', 'resnet34-fmnist-int8']) {
  const clf = await load(new URL(`../weights/packs/${pack}.pack`, import.meta.url));
  const minSide = clf.info.input.resize || Math.max(clf.info.input.width, clf.info.input.height);
  for (const ext of ['jpg', 'png']) {
    let n = 0,
      agree = 0,
      rightFull = 0,
      rightReduced = 0,
      maxDiff = 0;
    let size = '';
    for (const f of files.filter((x) => x.endsWith(ext))) {
      const label = Number(/-(\d+)\./.exec(f)![1]);
      const bytes = new Uint8Array(readFileSync(join(dir, f)));
      const reduced = decodeImage(bytes, { minSide });
      size = `${reduced.width}×${reduced.height}`;
      const [a] = await clf.classify(decodeImage(bytes), { topK: 1 });
      const [b] = await clf.classify(reduced, { topK: 1 });
      const full = await clf.classify(decodeImage(bytes), { topK: clf.info.numClasses });
      const red = await clf.classify(reduced, { topK: clf.info.numClasses });
      for (const p of full) maxDiff = Math.max(maxDiff, Math.abs(p.score - red.find((q) => q.index === p.index)!.score));
      n++;
      agree += +(a.index === b.index);
      rightFull += +(a.index === label);
      rightReduced += +(b.index === label);
    }
    const pct = (x: number) => `${((100 * x) / n).toFixed(1)} %`;
    console.log(
      `${pack} ${ext.toUpperCase()} (${n} photos, 448×448 → ${size} with minSide ${minSide}): top-1 agreement ${pct(agree)}; ` +
        `accuracy full ${pct(rightFull)}, reduced ${pct(rightReduced)}; largest score difference ${maxDiff.toFixed(3)}`,
    );
  }
  clf.dispose();
}
