// The calibration runner on the SDK's own fp32 wasm executor (f32x4 kernels): the same
// Runner contract as the TypeScript reference, tens of times faster, so calibrating on a
// few hundred 224×224 images takes minutes instead of an hour. The reference stays the oracle.
import type { Model } from '../../ts-sdk/model/graph.ts';
import { kernelModule } from '../../ts-sdk/kernels/module.ts';
import { Executor } from '../../ts-sdk/runtime/executor.ts';
import { lowerFp32 } from './quantize.ts';
import type { Runner } from './reference.ts';

/**
 * A Runner over the float model (logical layouts); packs a copy of the weights for the f32
 * kernels. Always the plain SIMD build: relaxed f32 multiply-add rounds differently per
 * engine, and the same model and images should give the same pack on every machine.
 */
export async function createWasmRunner(floatModel: Model): Promise<Runner> {
  const { module } = await kernelModule(undefined, 'simd');
  const exec = await Executor.create(lowerFp32(floatModel), module);
  return {
    // fp32 plans hand the observer Float32Array views into the arena, valid during the call.
    run: (input, onActivation) => exec.run(input, onActivation && ((id, data) => onActivation(id, data as Float32Array))),
  };
}
