// Leaks and lifetime: 10,000 classify() calls leave the wasm memory exactly as it was
// and the RSS flat after warm-up; dispose() is idempotent and a disposed classifier refuses
// every call with ClassifierDisposedError; 300 classifiers loaded and disposed in a loop give
// their memory back (lifetime-child.ts, in a child with --expose-gc). Bounds are generous on
// purpose (RSS moves with the allocator and the shared machine); the measured numbers are printed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ClassifierDisposedError, load } from '../../ts-sdk/index.ts';
import { rng } from '../helpers/rng.ts';
import { INT8_PACK, gc, keepAlive, lastJson, mib, rss, runChild, wasmModule } from './shared.ts';

const CALLS = Number(process.env.LEAK_CALLS ?? 10_000);
const WARMUP = 1_000;
/** RSS may grow this much over the CALLS calls after warm-up (a leak of even 2 KiB a call would be 20 MB). */
const RSS_SLACK = 16 * 2 ** 20;

const r = rng(5);
const images = [
  { data: Uint8Array.from({ length: 20 * 20 * 3 }, () => r.int(0, 255)), width: 20, height: 20 },
  { data: Uint8Array.from({ length: 37 * 29 * 4 }, () => r.int(0, 255)), width: 37, height: 29 },
  { data: Uint8Array.from({ length: 28 * 28 }, () => r.int(0, 255)), width: 28, height: 28, channels: 1 as const },
];

test(`${CALLS} classify() calls: wasm memory unchanged, RSS flat after warm-up`, async () => {
  const stop = keepAlive();
  const clf = await load(INT8_PACK, { wasm: await wasmModule() });
  const memory = (clf as unknown as { exec: { memory: WebAssembly.Memory } }).exec.memory;
  const want = await Promise.all(images.map((im) => clf.classify(im, { topK: 3 })));
  const bytes0 = memory.buffer.byteLength;
  for (let i = 0; i < WARMUP; i++) await clf.classify(images[i % 3], { topK: 3 });
  const rss0 = (gc(), rss());
  const t0 = performance.now();
  for (let i = 0; i < CALLS; i++) {
    const got = await clf.classify(images[i % 3], { topK: 3 });
    if (i % 997 === 0) assert.equal(got, want[i % 3], `call ${i}: same answer as the first`);
  }
  const ms = performance.now() - t0;
  const rss1 = (gc(), rss());
  stop();
  assert.is(memory.buffer.byteLength, bytes0, 'the wasm memory never grew');
  assert.is(clf.info.memoryBytes, bytes0);
  assert.ok(rss1 - rss0 < RSS_SLACK, `RSS grew ${mib(rss1 - rss0)} over ${CALLS} calls (from ${mib(rss0)} to ${mib(rss1)})`);
  console.log(
    `\n  ${CALLS} classify() calls in ${(ms / 1000).toFixed(1)} s: wasm memory ${bytes0} B before and after; RSS after warm-up ${mib(rss0)} → ${mib(rss1)} (${((rss1 - rss0) / 2 ** 20).toFixed(1)} MiB)`,
  );
  clf.dispose();
});

test('dispose() twice is safe; every later or still-queued call rejects with ClassifierDisposedError', async () => {
  const clf = await load(INT8_PACK, { wasm: await wasmModule() });
  const before = clf.logits(images[0]);
  const queued = [clf.logits(images[1]), clf.classify(images[2])];
  clf.dispose();
  clf.dispose();
  assert.ok(clf.disposed);
  // logits() called before dispose() had been queued; they run after it, and refuse.
  for (const p of [before, ...queued]) {
    const e = await p.then(
      () => undefined,
      (x: unknown) => x,
    );
    assert.instance(e, ClassifierDisposedError);
  }
  for (const call of [
    () => clf.classify(images[0]),
    () => clf.logits(images[0]),
    () => clf.logits(new Float32Array(1200)),
    () => clf.classify(null as never),
  ]) {
    const e = await call().then(
      () => undefined,
      (x: unknown) => x,
    );
    assert.instance(e, ClassifierDisposedError, 'a disposed classifier refuses, before looking at the input');
    assert.match((e as Error).message, /disposed.*load\(\) a new one/);
  }
  assert.ok(clf.info.numClasses > 0, 'info stays readable');
});

test('300 classifiers loaded and disposed in a loop: the memory comes back, RSS stays bounded', async () => {
  const run = await runChild(new URL('./lifetime-child.ts', import.meta.url), {
    flags: ['--expose-gc'],
    env: { LOOPS: '300' },
    stallMs: 60_000,
    totalMs: 180_000,
  });
  const res = lastJson<{
    loops: number;
    kept: number;
    freed: number;
    wasmBytes: number;
    checkpoints: { loops: number; rss: number }[];
    final: number;
    ms: number;
  }>(run.stdout, 'RESULT ');
  assert.ok(
    res && !run.stalled,
    `child failed (exit ${run.code ?? run.signal}, stalled ${run.stalled}):\n${run.stdout.slice(-1000)}\n${run.stderr.slice(-3000)}`,
  );
  // Every wasm memory but the last few (a finalizer may trail its GC) was reclaimed, although
  // the caller still holds all 300 disposed Classifier objects.
  assert.ok(res.freed >= res.loops - 5, `only ${res.freed} of ${res.loops} wasm memories were reclaimed after dispose()`);
  const warm = res.checkpoints[0].rss;
  const growth = res.final - warm;
  assert.ok(
    growth < 48 * 2 ** 20,
    `RSS grew ${mib(growth)} from loop ${res.checkpoints[0].loops} to ${res.loops}: ${JSON.stringify(res.checkpoints)}`,
  );
  console.log(
    `\n  ${res.loops} load/classify/dispose cycles in ${(res.ms / 1000).toFixed(1)} s (${mib(res.wasmBytes)} of wasm memory in all): ${res.freed} memories reclaimed; ` +
      `RSS after GC ${res.checkpoints.map((c) => `${c.loops}: ${mib(c.rss)}`).join(', ')}; final ${mib(res.final)}`,
  );
});

test.run();
