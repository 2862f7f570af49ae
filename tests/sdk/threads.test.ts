// Worker threads: every thread count gives the single-thread logits bit for bit (one image
// split across threads, and batches with one image per thread), arrays come back in input
// order, the option is validated, info says how many threads run, dispose() ends the
// workers, and a Node script exits by itself with or without dispose().
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ClassifierDisposedError, load } from '../../ts-sdk/index.ts';
import { threadsKernelModule } from '../../ts-sdk/kernels/module.ts';
import { networkMacs } from '../../ts-sdk/model/cost.ts';
import { readPack } from '../../ts-sdk/pack/index.ts';
import { SPLIT_MIN_MACS, ThreadPool } from '../../ts-sdk/threads/pool.ts';
import { workerSpawner } from '../../ts-sdk/threads/spawn.ts';
import { assertSameLogits, FP32_PACK, IMAGES, PACK, rejects } from './helpers.ts';

const R18 = new Uint8Array(readFileSync(new URL('../../weights/packs/resnet18-fmnist-int8.pack', import.meta.url)));

/** Seeded NCHW tensors of the classifier's input size. */
function tensors(n: number, size: number, seed: number): Float32Array[] {
  let s = seed;
  const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  return Array.from({ length: n }, () => Float32Array.from({ length: size }, () => (next() - 0.5) * 4));
}

for (const [name, pack] of [
  ['tiny int8', PACK],
  ['tiny fp32', FP32_PACK],
  ['ResNet-18 Fashion-MNIST int8', R18],
] as const) {
  test(`${name}: threads 1, 2, 3 and 4 give the single-thread logits bit for bit, one image and batches`, async () => {
    const one = await load(pack, { threads: 1 });
    const size = one.info.input.channels * one.info.inputSize[0] * one.info.inputSize[1];
    const inputs = [...tensors(5, size, 7), ...(one.info.input.channels === 3 ? IMAGES.slice(0, 2) : [])];
    const want: Float32Array[] = [];
    for (const x of inputs) want.push(await one.logits(x));
    for (const threads of [2, 3, 4]) {
      const clf = await load(pack, { threads });
      assert.is(clf.info.threads, threads);
      assert.is(clf.info.threadsReason, undefined);
      for (const [i, x] of inputs.entries()) assertSameLogits(await clf.logits(x), want[i], `${threads} threads, input ${i}`);
      const batch = await clf.logits(inputs);
      assert.is(batch.length, inputs.length);
      batch.forEach((l, i) => assertSameLogits(l, want[i], `${threads} threads, batch element ${i}`));
      clf.dispose();
    }
    // A batch on one thread: the same as single calls.
    (await one.logits(inputs)).forEach((l, i) => assertSameLogits(l, want[i], `1 thread, batch element ${i}`));
    one.dispose();
  });
}

test('one image of a small network runs whole on one thread, a large one split; forced either way, the bits are the same', async () => {
  const spawn = await workerSpawner();
  if ('reason' in spawn) throw new Error(spawn.reason);
  const module = await threadsKernelModule('simd');
  for (const [name, pack, small] of [
    ['tiny int8', PACK, true],
    ['tiny fp32', FP32_PACK, true],
    ['ResNet-18 Fashion-MNIST int8', R18, false],
  ] as const) {
    const model = readPack(pack);
    assert.is(networkMacs(model.graph) < SPLIT_MIN_MACS, small, `${name}: ${networkMacs(model.graph)} MACs`);
    const one = await load(pack, { threads: 1, simd: 'simd' }); // the pool below runs the simd build
    const size = one.info.input.channels * one.info.inputSize[0] * one.info.inputSize[1];
    const inputs = tensors(3, size, 5);
    for (const splitMinMacs of [undefined, 0, Infinity]) {
      const pool = await ThreadPool.create(model, module, 2, spawn, { splitMinMacs });
      assert.is(pool.splitsImages, splitMinMacs === undefined ? !small : splitMinMacs === 0, `${name}, splitMinMacs ${splitMinMacs}`);
      for (const [i, x] of inputs.entries())
        assertSameLogits(await pool.run(x), await one.logits(x), `${name}, split ${pool.splitsImages}, input ${i}`);
      pool.dispose();
    }
    one.dispose();
  }
});

test('embed() on threads gives the one-thread embedding bit for bit', async () => {
  const one = await load(R18, { threads: 1 }),
    two = await load(R18, { threads: 2 });
  const size = one.info.input.channels * one.info.inputSize[0] * one.info.inputSize[1];
  for (const x of tensors(3, size, 9)) assertSameLogits(await two.embed(x), await one.embed(x), 'embedding');
  one.dispose();
  two.dispose();
});

test('classify() of an array: one top-k list per image, in input order; an empty array gives []', async () => {
  const clf = await load(PACK, { threads: 2 });
  const single = [];
  for (const im of IMAGES) single.push(await clf.classify(im, { topK: 3 }));
  assert.equal(await clf.classify([...IMAGES].reverse(), { topK: 3 }), [...single].reverse());
  assert.equal(await clf.classify([]), []);
  assert.equal(await clf.logits([]), []);
  clf.dispose();
});

test('a bad image in an array rejects naming its index', async () => {
  const clf = await load(PACK, { threads: 2 });
  await rejects(
    clf.logits([IMAGES[0], new Float32Array(3)]),
    (e) => e instanceof RangeError && /^images\[1\]: /.test(e.message),
    'a short tensor at index 1',
  );
  clf.dispose();
});

test("options.threads: 'auto' uses the cores this process may use; bad values are RangeErrors", async () => {
  const clf = await load(PACK, { threads: 'auto' });
  assert.ok(clf.info.threads >= 1 && clf.info.threads <= 8, String(clf.info.threads));
  clf.dispose();
  for (const bad of [0, 1.5, -1, 65, 'two', Number.NaN]) {
    await rejects(
      load(PACK, { threads: bad as number }),
      (e) => e instanceof RangeError && /options\.threads/.test(e.message),
      `threads: ${String(bad)}`,
    );
  }
  const one = await load(PACK);
  assert.is(one.info.threads, 1);
  one.dispose();
});

test('with threads, memory grows by one context per extra thread', async () => {
  const [a, b, c] = await Promise.all([1, 2, 3].map((threads) => load(R18, { threads })));
  const extra = b.info.memoryBytes - a.info.memoryBytes;
  assert.ok(extra > 0 && extra < 4 * 2 ** 20, `extra bytes for a second thread at 64×64: ${extra}`);
  assert.ok(Math.abs(c.info.memoryBytes - b.info.memoryBytes - extra) <= 65536, 'each extra thread costs the same');
  [a, b, c].forEach((x) => x.dispose());
});

test('dispose() ends the workers: later calls reject with ClassifierDisposedError', async () => {
  const clf = await load(PACK, { threads: 3 });
  const pending = clf.logits(IMAGES[0]);
  clf.dispose();
  await rejects(pending, (e) => e instanceof Error, 'a call in flight when dispose() came');
  await rejects(clf.logits(IMAGES[0]), (e) => e instanceof ClassifierDisposedError, 'a call after dispose()');
});

test('a Node script with threads exits by itself: with and without dispose(), and with classifiers never used', () => {
  const index = fileURLToPath(new URL('../../ts-sdk/index.ts', import.meta.url));
  const pack = JSON.stringify(fileURLToPath(new URL('../fixtures/tiny-int8.pack', import.meta.url)));
  const cases = {
    dispose: 'const top = await classify(clf); clf.dispose();',
    'no dispose': 'const top = await classify(clf);',
    // Idle pools that never ran a job (a listener attached after spawn refs a Node worker).
    'never used, three pools':
      'await load(readFileSync(' +
      pack +
      '), { threads: 2 }); await load(readFileSync(' +
      pack +
      '), { threads: 3 }); const top = [{ label: "-" }];',
  };
  for (const [what, body] of Object.entries(cases)) {
    const script = `
      import { load } from ${JSON.stringify(index)};
      import { readFileSync } from 'node:fs';
      const classify = (c) => c.classify(new Float32Array(c.info.input.channels * c.info.inputSize[0] * c.info.inputSize[1]).fill(0.5));
      const clf = await load(readFileSync(${pack}), { threads: 2 });
      ${body}
      console.log(\`threads \${clf.info.threads} top \${top[0].label}\`);`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    assert.is(r.signal, null, `${what}: the script did not exit within 30 s`);
    assert.is(r.status, 0, r.stderr);
    assert.match(r.stdout, /^threads 2 top /, `${what}: stdout: ${r.stdout}`);
  }
});

test.run();
