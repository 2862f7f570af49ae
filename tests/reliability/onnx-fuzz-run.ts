// The converter fuzz loop, run in a child process by onnx-fuzz.test.ts. Each case: one seeded
// mutation of a tiny fixture ONNX → convertOnnx(). It must either throw a ConvertError with a
// message, or return a model that is really usable: finite weights, lowered to fp32 it writes and
// reads back as a valid pack, and (one case in four) loads and runs. Any other exception, a
// converted model the pack validation rejects, or a case slower than SLOW_MS is a failure,
// printed as `FAIL {json}` with the seed.
//   FUZZ_ONNX_CASES=20000 node --experimental-wasm-relaxed-simd --import tsx tests/reliability/onnx-fuzz-run.ts
//   FUZZ_SEED=123 … (one case, verbose)
import { load } from '../../ts-sdk/index.ts';
import { readPack, writePack } from '../../ts-sdk/pack/index.ts';
import { ConvertError, convertOnnx } from '../../weights/convert/index.ts';
import { lowerFp32 } from '../../weights/convert/quantize.ts';
import { makeResnetOnnx, type FixtureOptions } from '../fixtures/make-resnet-onnx.ts';
import { rng } from '../helpers/rng.ts';
import { mutateOnnx, onnxBase } from './onnx-mutate.ts';
import { gc, keepAlive, wasmModule } from './shared.ts';

const CASES = Number(process.env.FUZZ_ONNX_CASES ?? 2_000);
const ONLY = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const SEED0 = Number(process.env.FUZZ_SEED0 ?? 500_000);
const SLOW_MS = 5_000;
const MAX_FAILURES = 25;

// Emission variants of the tiny ResNet, so every branch of the matcher is in play: BN unfolded or
// folded, Gemm / MatMul+Add heads, Flatten / Reshape / Shape-arithmetic flattening, ReduceMean
// (attribute and input axes), Identity and Softmax nodes, legacy names, float_data storage, and
// the CIFAR option-A shortcut (Slice + Pad).
const VARIANTS: FixtureOptions[] = [
  { arch: 'tiny', size: 16, classes: 5 },
  { arch: 'tiny', size: 16, classes: 5, bn: 'folded', head: 'matmul', flatten: 'reshape', pool: 'reducemean' },
  {
    arch: 'tiny',
    size: 16,
    classes: 5,
    flatten: 'shape-reshape',
    identityNodes: true,
    softmax: true,
    naming: 'legacy',
    opset: 11,
    storage: 'float_data',
    head: 'gemm-notrans',
  },
  { arch: 'tiny', size: 16, classes: 5, pool: 'reducemean', opset: 18, bn: 'folded' },
  { arch: 'cifar20', size: 8, classes: 4 },
];
const bases = VARIANTS.map((o) => onnxBase(makeResnetOnnx({ ...o, seed: 3 }).bytes));
const module = await wasmModule();
const stop = keepAlive();

const outcomes: Record<string, Record<string, number>> = {};
const failures: unknown[] = [];
let converted = 0;
let ran = 0;
const messages = new Map<string, number>();

function describeError(e: unknown): string {
  return e instanceof Error
    ? `${e.constructor.name} ${e.name}: ${e.message.slice(0, 300)}\n${e.stack?.split('\n').slice(1, 6).join('\n')}`
    : `non-Error ${String(e)}`;
}

/** What is wrong with a model convertOnnx returned, or undefined. */
async function check(model: ReturnType<typeof convertOnnx>, seed: number): Promise<string | undefined> {
  for (const [name, t] of model.tensors) {
    const bad = (t.data as Float32Array).findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) return `converted tensor '${name}' holds ${t.data[bad]} at ${bad}`;
  }
  let pack: Uint8Array;
  try {
    pack = writePack(lowerFp32(model));
    readPack(pack);
  } catch (e) {
    return `the converted model is not a valid pack: ${describeError(e)}`;
  }
  if (seed % 4 !== 0) return undefined;
  try {
    const clf = await load(pack, { wasm: module });
    const { channels, height, width } = clf.info.input;
    const r = rng(seed);
    const logits = await clf.logits(Float32Array.from({ length: channels * height * width }, () => r.next() * 4 - 2));
    clf.dispose();
    if (logits.length !== clf.info.numClasses) return `logits length ${logits.length}`;
    ran++;
  } catch (e) {
    return `the converted pack did not run: ${describeError(e)}`;
  }
  return undefined;
}

const t0 = performance.now();
const seeds = ONLY !== undefined ? [ONLY] : Array.from({ length: CASES }, (_, c) => SEED0 + c);
for (const [c, seed] of seeds.entries()) {
  const r = rng(seed);
  const base = bases[r.next() < 0.1 ? 4 : r.int(0, 3)];
  const m = mutateOnnx(r, base);
  const start = performance.now();
  let outcome: string;
  let problem: string | undefined;
  try {
    const model = convertOnnx(m.bytes);
    converted++;
    outcome = 'converted';
    problem = await check(model, seed);
  } catch (e) {
    if (e instanceof ConvertError) {
      outcome = e.code;
      if (e.message.length < 20) problem = `ConvertError ${e.code} with a terse message: '${e.message}'`;
      const key = `${e.code}: ${e.message
        .replace(/'[^']*'/g, "'…'")
        .replace(/-?\d+(\.\d+)?(e[-+]?\d+)?/g, 'N')
        .slice(0, 90)}`;
      messages.set(key, (messages.get(key) ?? 0) + 1);
    } else {
      outcome = (e as Error)?.constructor?.name ?? typeof e;
      problem = `convertOnnx threw ${describeError(e)}`;
    }
    if (ONLY !== undefined) console.log(describeError(e));
  }
  const ms = performance.now() - start;
  if (!problem && ms > SLOW_MS) problem = `took ${ms.toFixed(0)} ms`;
  const row = (outcomes[m.kind] ??= {});
  row[outcome] = (row[outcome] ?? 0) + 1;
  if (ONLY !== undefined) console.log(m.kind, m.what, '→', outcome, problem ?? 'ok');
  if (problem) {
    failures.push({ seed, kind: m.kind, what: m.what.slice(0, 300), problem });
    console.log(`FAIL ${JSON.stringify(failures[failures.length - 1])}`);
    if (failures.length >= MAX_FAILURES) break;
  }
  if (c % 100 === 99) {
    console.log(`@${c + 1}`);
    if (c % 500 === 499) gc();
  }
}
stop();
const distinct = [...messages].sort((a, b) => b[1] - a[1]);
console.log(
  `RESULT ${JSON.stringify({ cases: seeds.length, converted, ran, failures: failures.length, ms: Math.round(performance.now() - t0), outcomes, distinctMessages: distinct.length, topMessages: distinct.slice(0, process.env.FUZZ_MESSAGES ? undefined : 12) })}`,
);
process.exit(failures.length ? 1 : 0);
