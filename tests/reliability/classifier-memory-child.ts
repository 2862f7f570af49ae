// Child of classifier-memory.test.ts (run with --expose-gc): COUNT classifiers of the shipped
// ResNet-18 pack loaded from its file and all kept alive, each used once (so its activations
// are touched too). Reports RSS after a full GC before and after, and info.memoryBytes: what
// the SDK says a classifier holds must be what it does hold (no second copy of the weights).
import { readFile } from 'node:fs/promises';
import { load } from '../../ts-sdk/index.ts';
import { keepAlive, rss, wasmModule } from './shared.ts';

const COUNT = Number(process.env.COUNT ?? 20);
const PACK = new URL('../../weights/packs/resnet18-fmnist-int8.pack', import.meta.url);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const stop = keepAlive();
const module = await wasmModule();
const image = { data: new Uint8Array(64 * 64 * 3).fill(77), width: 64, height: 64 };

/** RSS after full GCs, waiting between them: V8 frees ArrayBuffer memory on a background thread after the GC. */
async function settle(): Promise<number> {
  for (let i = 0; i < 5; i++) {
    gc!();
    await new Promise((r) => setTimeout(r, 100));
  }
  return rss();
}

// One classifier first, disposed: the kernels are compiled and the code is warm before counting.
(await load(await readFile(PACK), { wasm: module })).dispose();
const before = await settle();
const alive = [];
for (let i = 0; i < COUNT; i++) {
  const clf = await load(await readFile(PACK), { wasm: module }); // the caller drops its bytes, as a service does
  await clf.classify(image);
  alive.push(clf);
  console.log(`@${i}`);
}
const after = await settle();
stop();
console.log(`RESULT ${JSON.stringify({ count: alive.length, before, after, memoryBytes: alive[0].info.memoryBytes })}`);
