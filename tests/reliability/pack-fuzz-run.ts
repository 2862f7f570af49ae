// The load() fuzz loop, run in a child process by pack-fuzz.test.ts (so a hang or an OOM fails
// the test instead of the CI job). Each case: one seeded mutation of a tiny pack → load(). It
// must either reject with a PackFormatError, or load and then
//   - classify() an image and logits() a random tensor without throwing,
//   - give finite logits (int8: bit-identical to the TypeScript int8 reference, which is
//     written from docs/ARCHITECTURE.md and reads nothing outside its own arrays, so a kernel
//     reading outside its buffers or the arena shows up as a mismatch),
//   - dispose() twice and then refuse work with ClassifierDisposedError.
// Anything else (another exception type, a wasm RuntimeError, a mismatch, a case slower than
// SLOW_MS) is a failure, printed as a `FAIL {json}` line with the seed that reproduces it.
//   FUZZ_CASES=100000 node --experimental-wasm-relaxed-simd --import tsx tests/reliability/pack-fuzz-run.ts
//   FUZZ_SEED=123456 … (one case, verbose)
import { ClassifierDisposedError, load, PackFormatError, preprocess, type Classifier } from '../../ts-sdk/index.ts';
import { readPack } from '../../ts-sdk/pack/index.ts';
import { runInt8 } from '../helpers/int8-sim.ts';
import { rng } from '../helpers/rng.ts';
import { parts } from '../pack/helpers.ts';
import { mutatePack, type Mutation } from './pack-mutate.ts';
import { FP32_PACK, INT8_PACK, gc, keepAlive, wasmModule } from './shared.ts';

const CASES = Number(process.env.FUZZ_CASES ?? 10_000);
const ONLY = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const SEED0 = Number(process.env.FUZZ_SEED0 ?? 800_000);
const SLOW_MS = 5_000;
const MAX_FAILURES = 25;
const CONCURRENCY = Number(process.env.FUZZ_CONCURRENCY ?? 1);

const bases = { int8: { bytes: INT8_PACK, parts: parts(INT8_PACK) }, fp32: { bytes: FP32_PACK, parts: parts(FP32_PACK) } };
const module = await wasmModule();
const stop = keepAlive();

/** A random RGBA image that needs resizing to any input size. */
const img = (() => {
  const r = rng(7);
  return { data: Uint8Array.from({ length: 23 * 17 * 4 }, () => r.int(0, 255)), width: 23, height: 17 };
})();

const outcomes: Record<string, Record<string, number>> = {};
const failures: unknown[] = [];
let loaded = 0;
let compared = 0;
let nonFiniteFp32 = 0;

function describeError(e: unknown): string {
  return e instanceof Error
    ? `${e.constructor.name} ${e.name}: ${e.message}\n${e.stack?.split('\n').slice(1, 6).join('\n')}`
    : `non-Error ${String(e)}`;
}

/** Runs a loaded classifier; returns a problem description or undefined. */
async function exercise(clf: Classifier, m: Mutation, seed: number): Promise<string | undefined> {
  const spec = clf.info.input;
  try {
    const top = await clf.classify(img, { topK: 3 });
    if (top.length !== Math.min(3, clf.info.numClasses)) return `classify returned ${top.length} predictions`;
    if (!top.every((p) => p.score >= 0 && p.score <= 1)) return `classify scores ${JSON.stringify(top)}`;
  } catch (e) {
    // A valid spec that no 23×17 image fits (crop 'none' with a resize) is a caller error, and says so;
    // an fp32 pack whose weights overflow to all-NaN logits has no scores, and says so.
    const expected =
      e instanceof RangeError &&
      (/spec\.crop is 'none'/.test(e.message) || (clf.info.precision === 'fp32' && /none of the \d+ logits is finite/.test(e.message)));
    if (!expected) return `classify(image) threw ${describeError(e)}`;
  }
  const r = rng(seed ^ 0x9e3779b9);
  const x = Float32Array.from({ length: spec.channels * spec.height * spec.width }, () => r.next() * 5 - 2.5);
  let logits: Float32Array;
  try {
    logits = await clf.logits(x);
  } catch (e) {
    return `logits(tensor) threw ${describeError(e)}`;
  }
  if (logits.length !== clf.info.numClasses) return `logits length ${logits.length}, numClasses ${clf.info.numClasses}`;
  const finite = logits.every(Number.isFinite);
  if (clf.info.precision === 'int8') {
    if (!finite) return `non-finite int8 logits [${[...logits].slice(0, 8)}]`;
    const want = runInt8(readPack(m.bytes), x).logits;
    const bad = want.findIndex((v, i) => v !== logits[i]); // ±0 alike: a logit scale that underflows to 0 gives either
    if (bad >= 0) return `logit ${bad} is ${logits[bad]}, the int8 reference says ${want[bad]}`;
    compared++;
  } else if (!finite) nonFiniteFp32++;
  // Preprocessing agrees with the tensor path (one case in eight: it is the same code every time).
  if (seed % 8 === 0)
    try {
      const t = preprocess(img, clf.info);
      const a = await clf.logits(t);
      const b = await clf.logits(img);
      if (!a.every((v, i) => Object.is(v, b[i]))) return 'logits(image) differs from logits(preprocess(image))';
    } catch (e) {
      if (!(e instanceof RangeError && /spec\.crop is 'none'/.test(e.message))) return `preprocess/logits threw ${describeError(e)}`;
    }
  clf.dispose();
  clf.dispose();
  try {
    await clf.logits(x);
    return 'a disposed classifier ran';
  } catch (e) {
    if (!(e instanceof ClassifierDisposedError)) return `after dispose: ${describeError(e)}`;
  }
  return undefined;
}

/** One case; returns false to stop the run (too many failures). */
async function runCase(seed: number): Promise<boolean> {
  const r = rng(seed);
  const precision = r.next() < 0.75 ? 'int8' : 'fp32';
  const base = bases[precision];
  const m = mutatePack(r, base.bytes, base.parts, precision);
  const start = performance.now();
  let outcome: string;
  let problem: string | undefined;
  try {
    const clf = await load(m.bytes, { wasm: module });
    loaded++;
    outcome = 'loaded';
    if (m.huge)
      clf.dispose(); // valid, but running a 10⁸-pixel network is not this test's business
    else problem = await exercise(clf, m, seed);
  } catch (e) {
    outcome = e instanceof PackFormatError ? e.code : ((e as Error)?.constructor?.name ?? typeof e);
    // A valid pack too big for this engine's memory: the one non-PackFormatError load() may give.
    const engineRefused = m.huge && e instanceof RangeError && /the engine could not provide it/.test(e.message);
    if (!(e instanceof PackFormatError) && !engineRefused) problem = `load() threw ${describeError(e)}`;
    else if (!e.message) problem = 'PackFormatError without a message';
    if (ONLY !== undefined) console.log(describeError(e));
  }
  const ms = performance.now() - start;
  if (!problem && ms > SLOW_MS) problem = `took ${ms.toFixed(0)} ms`;
  const row = (outcomes[m.kind] ??= {});
  row[outcome] = (row[outcome] ?? 0) + 1;
  if (ONLY !== undefined) console.log(m.kind, m.what, '→', outcome, problem ?? 'ok');
  if (!problem) return true;
  failures.push({ seed, kind: m.kind, precision, what: m.what, problem });
  console.log(`FAIL ${JSON.stringify(failures[failures.length - 1])}`);
  return failures.length < MAX_FAILURES;
}

// Cases are independent; FUZZ_CONCURRENCY > 1 runs several interleaved (to shake out shared
// state between classifiers; it does not make the loop faster).
const t0 = performance.now();
const seeds = ONLY !== undefined ? [ONLY] : Array.from({ length: CASES }, (_, c) => SEED0 + c);
let next = 0;
let done = 0;
await Promise.all(
  Array.from({ length: ONLY !== undefined ? 1 : CONCURRENCY }, async () => {
    while (next < seeds.length) {
      const seed = seeds[next++];
      if (!(await runCase(seed))) next = seeds.length;
      if (++done % 100 === 0) {
        console.log(`@${done}`);
        if (done % 500 === 0) gc(); // wasm memories are freed by GC only; keep the address space small
      }
    }
  }),
);
stop();
console.log(
  `RESULT ${JSON.stringify({ cases: seeds.length, loaded, compared, nonFiniteFp32, failures: failures.length, ms: Math.round(performance.now() - t0), outcomes })}`,
);
process.exit(failures.length ? 1 : 0);
