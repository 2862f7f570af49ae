// One network of the ResNet family, checked the way a user meets it: ONNX bytes → convert →
// fp32 and int8 packs → load() → logits, against onnxruntime-node's fp32 logits on real
// photographs the int8 calibration never saw. Shared by tests/convert/family.test.ts (the small
// committed exports) and tests/e2e/family-check.ts (the full grid, made by
// tests/fixtures/family/make_family_onnx.py).
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { decodeImage } from '../../ts-sdk/decode/index.ts';
import { load } from '../../ts-sdk/index.ts';
import type { InputSpec, Model } from '../../ts-sdk/model/graph.ts';
import { writePack } from '../../ts-sdk/pack/index.ts';
import { preprocess } from '../../ts-sdk/preprocess/index.ts';
import { convertOnnx, createWasmRunner, type Int8Options, type InputOptions, toFp32, toInt8 } from '../../weights/convert/index.ts';
import { cosine } from '../helpers/similarity.ts';

/** The bar of the family checks (issue 17): fp32 within 1e-4, int8 cosine ≥ 0.99 on 7 of 8 held-out photos and ≥ 0.95 on each. */
export const BAR = { fp32RelErr: 1e-4, cosine: 0.99, cosineShare: 7 / 8, cosineMin: 0.95 } as const;

/** CIFAR-10's usual Normalize, 32×32 resized straight (no crop). */
export const CIFAR_INPUT: InputOptions = { size: 32, resize: 0, mean: [0.4914, 0.4822, 0.4465], std: [0.247, 0.243, 0.261] };

export interface FamilyResult {
  arch: string;
  /** Worst max|Δlogit| / max|logit| of the fp32 pack against onnxruntime over the held-out photos. */
  fp32RelErr: number;
  /** int8 pack vs fp32 pack logits, per held-out photo. */
  cosines: number[];
  passes: boolean;
  int8Bytes: number;
  fp32Bytes: number;
  /** The converted float model, for further checks (shape of the graph, report). */
  float: Model;
}

export function photoTensors(files: string[], spec: InputSpec): Float32Array[] {
  return files.map((f) => preprocess(decodeImage(readFileSync(f)), spec));
}

export function meetsBar(fp32RelErr: number, cosines: number[]): boolean {
  const good = cosines.filter((c) => c >= BAR.cosine).length;
  return fp32RelErr <= BAR.fp32RelErr && good >= Math.ceil(BAR.cosineShare * cosines.length) && cosines.every((c) => c >= BAR.cosineMin);
}

/** onnxruntime-node's logits for NCHW inputs of the graph's one input. */
export async function ortLogits(bytes: Uint8Array, inputs: Float32Array[], spec: InputSpec): Promise<Float32Array[]> {
  const session = await ort.InferenceSession.create(bytes);
  const out: Float32Array[] = [];
  for (const x of inputs) {
    const r = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', x, [1, spec.channels, spec.height, spec.width]) });
    out.push(r[session.outputNames[0]].data as Float32Array);
  }
  await session.release();
  return out;
}

/** The fp32 pack's logits and its worst max|Δ|/max|logit| against the oracle's. */
export async function fp32VsOracle(
  float: Model,
  held: Float32Array[],
  oracle: Float32Array[],
): Promise<{ relErr: number; logits: Float32Array[]; bytes: number }> {
  const pack = writePack(toFp32(float, { runner: await createWasmRunner(float) }));
  const clf = await load(pack);
  let relErr = 0;
  const logits: Float32Array[] = [];
  for (const [i, x] of held.entries()) {
    const f = await clf.logits(x);
    const maxAbs = Math.max(...oracle[i].map(Math.abs));
    relErr = Math.max(relErr, Math.max(...f.map((v, j) => Math.abs(v - oracle[i][j]))) / maxAbs);
    logits.push(f);
  }
  clf.dispose();
  return { relErr, logits, bytes: pack.length };
}

/** The int8 pack (calibrated on `calib`) against fp32 logits: cosine per held-out input. */
export async function int8Cosines(
  float: Model,
  calib: Float32Array[],
  held: Float32Array[],
  fp32: Float32Array[],
  opts: Int8Options = {},
): Promise<{ cosines: number[]; bytes: number }> {
  const pack = writePack(toInt8(float, calib, { runner: await createWasmRunner(float), ...opts }).model);
  const clf = await load(pack);
  const cosines: number[] = [];
  for (const [i, x] of held.entries()) cosines.push(cosine(await clf.logits(x), fp32[i]));
  clf.dispose();
  return { cosines, bytes: pack.length };
}

export async function checkNetwork(
  bytes: Uint8Array,
  o: { input: InputOptions; calib: string[]; heldout: string[]; int8?: Int8Options },
): Promise<FamilyResult> {
  const float = convertOnnx(bytes, { input: o.input });
  const spec = float.graph.input;
  const held = photoTensors(o.heldout, spec);
  const f = await fp32VsOracle(float, held, await ortLogits(bytes, held, spec));
  const q = await int8Cosines(float, photoTensors(o.calib, spec), held, f.logits, o.int8);
  return {
    arch: float.graph.arch,
    fp32RelErr: f.relErr,
    cosines: q.cosines,
    passes: meetsBar(f.relErr, q.cosines),
    int8Bytes: q.bytes,
    fp32Bytes: f.bytes,
    float,
  };
}
