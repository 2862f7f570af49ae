// The calibrated and quantized torchvision ResNet-18 (64×64) that the int8 and range-rule
// tests share, built once per process. Calibration runs on the fp32 wasm executor when the
// kernels are built (npm test builds them), else on the TypeScript reference (fewer images).
import type { Model } from '../../ts-sdk/model/graph.ts';
import { kernelModule } from '../../ts-sdk/kernels/module.ts';
import { Executor } from '../../ts-sdk/runtime/executor.ts';
import { ReferenceRunner, calibrate, quantizeModel, type Calibration, type Runner } from '../../weights/convert/index.ts';
import { createWasmRunner } from '../../weights/convert/wasm-runner.ts';
import { randomImages } from '../fixtures/random-images.ts';
import { runInt8 } from '../helpers/int8-sim.ts';
import { convertedModel, fixture, ortLogits } from './shared.ts';

export const SIZE = 64;
export const CALIB = 64;
export const EVAL = 64;
/** Inputs run through the (slow) TypeScript simulation. */
export const SIM = 2;

export interface R18Int8 {
  float: Model;
  q: Model;
  calib: Calibration;
  evalSet: Float32Array[];
  want: Float32Array[];
  exec?: (m: Model) => Promise<Executor>;
  /** runInt8(q, evalSet[i]).logits for i < SIM, computed once. */
  simLogits: Float32Array[];
}
let ctx: R18Int8 | undefined;

/** Everything the tests share; the wasm parts are optional (tests without a build fall back to the simulation). */
export async function r18Int8(): Promise<R18Int8> {
  if (ctx) return ctx;
  const f = fixture({ arch: 'resnet18', size: SIZE });
  const float = convertedModel(f);
  let runner: Runner;
  let exec: R18Int8['exec'];
  try {
    runner = await createWasmRunner(float);
    const { module } = await kernelModule(undefined, undefined);
    exec = (m) => Executor.create(m, module);
  } catch (e) {
    console.warn(`wasm kernels unavailable (${(e as Error).message}); calibrating with the TypeScript reference on 8 images`);
    runner = new ReferenceRunner(float);
  }
  const calib = calibrate(float, runner, randomImages({ count: exec ? CALIB : 8, size: SIZE, seed: 100 }));
  const evalSet = randomImages({ count: EVAL, size: SIZE, seed: 200 });
  const q = quantizeModel(float, calib);
  ctx = {
    float,
    q,
    calib,
    evalSet,
    want: await ortLogits(f, evalSet),
    exec,
    simLogits: evalSet.slice(0, SIM).map((x) => runInt8(q, x).logits),
  };
  return ctx;
}
