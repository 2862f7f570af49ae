// Shared by the convert tests: fixtures built once per process (uvu runs every test file in
// one process), onnxruntime as the fp32 oracle, and the comparison metrics.
import * as ort from 'onnxruntime-node';
import { type Fixture, type FixtureOptions, makeResnetOnnx } from '../fixtures/make-resnet-onnx.ts';
import { makeNetSpec, type NetSpec, type SpecOptions } from '../fixtures/resnet-spec.ts';
import type { Model } from '../../ts-sdk/model/graph.ts';
import { convertOnnx } from '../../weights/convert/index.ts';
import { cosine } from '../helpers/similarity.ts';

export { cosine };

const specs = new Map<string, NetSpec>();
const fixtures = new Map<string, Fixture>();

/** The NetSpec for (arch, size, seed), built once: its BN statistics cost a forward pass. */
export function spec(o: SpecOptions & { statsSize: number }): NetSpec {
  const key = JSON.stringify(o);
  if (!specs.has(key)) specs.set(key, makeNetSpec(o));
  return specs.get(key)!;
}

/** An ONNX fixture, cached; emission variants of one (arch, size, seed) share the weights. */
export function fixture(o: FixtureOptions): Fixture {
  const key = JSON.stringify(o);
  if (!fixtures.has(key))
    fixtures.set(key, makeResnetOnnx({ ...o, net: spec({ arch: o.arch, seed: o.seed, classes: o.classes, statsSize: o.size ?? 64 }) }));
  return fixtures.get(key)!;
}

const converted = new Map<Fixture, Model>();

/** convertOnnx(f.bytes), once per fixture (tests must not mutate the result). */
export function convertedModel(f: Fixture): Model {
  if (!converted.has(f)) converted.set(f, convertOnnx(f.bytes));
  return converted.get(f)!;
}

/** Logits from onnxruntime for a batch of NCHW inputs (the fixtures have a dynamic batch axis). */
export async function ortLogits(
  f: Pick<Fixture, 'bytes' | 'size' | 'inputName' | 'outputName'>,
  inputs: Float32Array[],
): Promise<Float32Array[]> {
  const session = await ort.InferenceSession.create(f.bytes);
  const per = inputs[0].length;
  const batch = new Float32Array(inputs.length * per);
  inputs.forEach((x, i) => batch.set(x, i * per));
  const out = await session.run({ [f.inputName]: new ort.Tensor('float32', batch, [inputs.length, 3, f.size, f.size]) });
  const data = out[f.outputName].data as Float32Array;
  const K = data.length / inputs.length;
  return inputs.map((_, i) => data.slice(i * K, (i + 1) * K));
}

/** max |a − b| / max |b|: the tolerance measure for "matches ORT". */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let m = 0;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    m = Math.max(m, Math.abs(b[i]));
  }
  return d / m;
}

export function argmax(a: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
  return best;
}

/** (top − runner-up) / (max − min): how clear the fp32 decision is. */
export function margin(a: ArrayLike<number>): number {
  const s = Array.from(a).sort((x, y) => y - x);
  return (s[0] - s[1]) / (s[0] - s[s.length - 1]);
}

export interface Agreement {
  cosMin: number;
  cosMean: number;
  top1All: number;
  /** Top-1 agreement over the inputs whose fp32 margin exceeds 5 % of the logit range. */
  top1Confident: number;
  confident: number;
}

export function agreement(got: ArrayLike<number>[], want: ArrayLike<number>[]): Agreement {
  const cos = got.map((g, i) => cosine(g, want[i]));
  const conf = want.map((_, i) => i).filter((i) => margin(want[i]) > 0.05);
  return {
    cosMin: Math.min(...cos),
    cosMean: cos.reduce((s, c) => s + c, 0) / cos.length,
    top1All: got.filter((g, i) => argmax(g) === argmax(want[i])).length / got.length,
    top1Confident: conf.filter((i) => argmax(got[i]) === argmax(want[i])).length / Math.max(conf.length, 1),
    confident: conf.length,
  };
}

export const fmtAgreement = (a: Agreement): string =>
  `cosine min ${a.cosMin.toFixed(4)} mean ${a.cosMean.toFixed(4)}, top-1 ${(100 * a.top1All).toFixed(1)} % (confident ${(100 * a.top1Confident).toFixed(1)} % of ${a.confident})`;
