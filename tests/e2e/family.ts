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

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) { ab += a[i] * b[i]; aa += a[i] * a[i]; bb += b[i] * b[i]; }
  return ab / Math.sqrt(aa * bb);
}

export function meetsBar(fp32RelErr: number, cosines: number[]): boolean {
  const good = cosines.filter((c) => c >= BAR.cosine).length;
  return fp32RelErr <= BAR.fp32RelErr && good >= Math.ceil(BAR.cosineShare * cosines.length) && cosines.every((c) => c >= BAR.cosineMin);
}

export async function checkNetwork(bytes: Uint8Array, o: { input: InputOptions; calib: string[]; heldout: string[]; int8?: Int8Options }): Promise<FamilyResult> {
  const float = convertOnnx(bytes, { input: o.input });
  const spec = float.graph.input;
  const runner = await createWasmRunner(float);
  const calib = photoTensors(o.calib, spec);
  const held = photoTensors(o.heldout, spec);

  const session = await ort.InferenceSession.create(bytes);
  const inputName = session.inputNames[0], outputName = session.outputNames[0];
  const oracle: Float32Array[] = [];
  for (const x of held) {
    const out = await session.run({ [inputName]: new ort.Tensor('float32', x, [1, spec.channels, spec.height, spec.width]) });
    oracle.push(out[outputName].data as Float32Array);
  }

  const fp32Pack = writePack(toFp32(float, { runner }));
  const int8Pack = writePack(toInt8(float, calib, { runner, ...o.int8 }).model);
  const fp32 = await load(fp32Pack);
  const int8 = await load(int8Pack);
  let fp32RelErr = 0;
  const cosines: number[] = [];
  for (const [i, x] of held.entries()) {
    const f = await fp32.logits(x);
    const maxAbs = Math.max(...oracle[i].map(Math.abs));
    fp32RelErr = Math.max(fp32RelErr, Math.max(...f.map((v, j) => Math.abs(v - oracle[i][j]))) / maxAbs);
    cosines.push(cosine(await int8.logits(x), f));
  }
  fp32.dispose();
  int8.dispose();
  return { arch: float.graph.arch, fp32RelErr, cosines, passes: meetsBar(fp32RelErr, cosines), int8Bytes: int8Pack.length, fp32Bytes: fp32Pack.length, float };
}
