// Ours on 1 and 2 threads on the shipped small packs (ResNet-20 at 32×32, ResNet-18 at 64×64),
// alone in the process: the main bench's threads section shares its process with
// onnxruntime-web's 2-thread pool, whose threads spin after each run and take the cores our
// workers wait on — which costs a 1–5 ms network more than a 50 ms one.
//   node --experimental-wasm-relaxed-simd --import tsx bench/threads-shipped.ts
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from '../ts-sdk/index.ts';
import { interleaved, stats, warmUp } from './measure.ts';
import { ROOT } from './models/index.ts';

for (const [name, size] of [
  ['resnet20-fmnist-int8', 32],
  ['resnet18-fmnist-int8', 64],
] as const) {
  const pack = readFileSync(join(ROOT, 'weights', 'packs', `${name}.pack`));
  const x = new Float32Array(3 * size * size).map((_, i) => Math.sin(i));
  const classifiers = [await load(pack, { threads: 1 }), await load(pack, { threads: 2 })];
  const engines = classifiers.map((c) => ({ run: () => c.logits(x) }));
  for (const e of engines) await warmUp(e, 2);
  const [one, two] = (await interleaved(engines, { minRuns: 200, seconds: 5, maxRuns: 400 })).map((s) => stats(s).median);
  console.log(
    `${name} ${size}×${size}: ${one.toFixed(2)} ms on 1 thread, ${two.toFixed(2)} ms on ${classifiers[1].info.threads} (${(two / one).toFixed(2)}×)`,
  );
  for (const c of classifiers) c.dispose();
}
