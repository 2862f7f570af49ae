// Child of lifetime.test.ts (run with --expose-gc): LOOPS classifiers loaded, used once and
// disposed, while the caller *keeps* every disposed Classifier object. Reports RSS after a full
// GC at checkpoints, and how many of the wasm memories (reached through the classifier before
// dispose, watched with a FinalizationRegistry) the GC reclaimed: dispose() must drop the
// classifier's only reference to its memory, so a caller who holds on to disposed classifiers
// still gets the memory back.
import { load } from '../../ts-sdk/index.ts';
import { INT8_PACK, FP32_PACK, keepAlive, rss, wasmModule } from './shared.ts';

const LOOPS = Number(process.env.LOOPS ?? 300);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const stop = keepAlive();
const module = await wasmModule();
const image = { data: new Uint8Array(20 * 20 * 3).fill(77), width: 20, height: 20 };

let freed = 0;
const registry = new FinalizationRegistry<number>(() => freed++);
const kept: unknown[] = [];
const checkpoints: { loops: number; rss: number }[] = [];
let wasmBytes = 0;

async function settle(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc!();
    await new Promise((r) => setTimeout(r, 20)); // finalizers run on a later task
  }
  return rss();
}

const t0 = performance.now();
for (let i = 1; i <= LOOPS; i++) {
  const clf = await load(i % 2 ? INT8_PACK : FP32_PACK, { wasm: module });
  await clf.classify(image);
  const memory = (clf as unknown as { exec: { memory: WebAssembly.Memory } }).exec.memory;
  wasmBytes += memory.buffer.byteLength;
  registry.register(memory, i);
  clf.dispose();
  clf.dispose(); // twice: a no-op
  kept.push(clf);
  if (i === 50 || i % 100 === 0 || i === LOOPS) {
    checkpoints.push({ loops: i, rss: await settle() });
    console.log(`@${i}`);
  }
}
const final = await settle();
stop();
console.log(
  `RESULT ${JSON.stringify({ loops: LOOPS, kept: kept.length, freed, wasmBytes, checkpoints, final, ms: Math.round(performance.now() - t0) })}`,
);
