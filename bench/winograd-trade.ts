// The Winograd trade on small maps: per 3×3 stride-1 conv shape of ResNet-18/34's last stages,
// direct (im2col + GEMM) against exact Winograd F(2×2, 3×3), whose time includes transforming
// each block's weights on the fly, and the transform alone — what storing transformed weights
// (16·C·N i16: 3.6× the int8 weights) would save. Interleaved, one thread, medians of 40.
//   node --experimental-wasm-relaxed-simd --import tsx bench/winograd-trade.ts [simd|relaxed]
import { readFileSync } from 'node:fs';
import {
  asPtr,
  instantiateKernels,
  paramsBytes,
  unitsOf,
  winogradLocalBytes,
  writeParams,
  KERNELS,
  type Fields,
  type KernelFn,
  type KernelName,
  type ParamsOfKernel,
} from '../ts-sdk/kernels/abi.ts';
import { packQ8Weights, roundUp } from '../ts-sdk/kernels/packing.ts';
import { stats } from './measure.ts';

const build = process.argv[2] === 'simd' ? 'simd' : 'relaxed';
const memory = new WebAssembly.Memory({ initial: 2048 });
const k = await instantiateKernels(
  new WebAssembly.Module(readFileSync(new URL(`../build/kernels-${build}.wasm`, import.meta.url))),
  memory,
);

for (const [H, C] of [
  [14, 256],
  [7, 512],
  [4, 512],
  [2, 512],
]) {
  let top: number = k.heapBase() + 4096;
  const take = (n: number) => {
    const q = top;
    top = Math.ceil((top + n + 128) / 64) * 64;
    return asPtr(q);
  };
  const bind = <N extends KernelName>(kernel: N, params: Fields<ParamsOfKernel<N>>, local = asPtr(0)) => {
    const kind = KERNELS[kernel].params,
      block = writeParams(memory.buffer, take(paramsBytes(kind)), kind, params);
    const fn = k[kernel] as KernelFn,
      units = unitsOf(kind, params);
    return () => fn(block, 0, units, local);
  };
  const W = H,
    N = C,
    K = 9 * C,
    M = H * W;
  const x = take(H * W * C),
    a = take(roundUp(M, 4) * K * 2);
  const packed = packQ8Weights(
    Int8Array.from({ length: N * K }, (_, i) => ((i * 7919) % 255) - 127),
    N,
    K,
  );
  const w = take(packed.length);
  new Int8Array(memory.buffer, w, packed.length).set(packed);
  const bias = take(N * 4),
    mult = take(N * 4),
    y = take(M * N);
  new Float32Array(memory.buffer, mult, N).fill(1e-4);
  const v = take(16 * roundUp(Math.ceil(H / 2) ** 2, 4) * C * 2),
    local = take(winogradLocalBytes(C)),
    u = take(16 * C * 16);
  const quant = { y, zy: 0, qmin: 0, qmax: 255, residual: asPtr(0), zr: 0, residualMult: 0 };
  const im2col = bind('qu8_im2col_4c2__simd', { x, H, W, C, zx: 17, KH: 3, KW: 3, stride: 1, padT: 1, padL: 1, OH: H, OW: W, Kp: K, a });
  const gemm = bind('qu8_qc8w_gemm_minmax_4x8c2__simd', { M, N, Kp: K, a, w, bias, mult, yStride: N, ...quant });
  const input = bind('qu8_winograd_input_f2x2_3x3__simd', { x, H, W, C, zx: 17, Cp: C, v });
  const conv = bind('qu8_qc8w_winograd_conv_f2x2_3x3_minmax_4x8c2__simd', { H, W, N, Cp: C, v, w, bias, mult, ...quant }, local);
  const transforms = Array.from({ length: N / 8 }, (_, nb) =>
    bind('qc8w_winograd_weights_f2x2_3x3__simd', { w: asPtr(w + nb * C * 72), C, u }),
  );
  const fns = [
    () => {
      im2col();
      gemm();
    },
    () => {
      input();
      conv();
    },
    () => transforms.forEach((t) => t()),
  ];
  for (const f of fns) for (const t0 = performance.now(); performance.now() - t0 < 800; ) f();
  const times = fns.map(() => [] as number[]);
  for (let r = 0; r < 40; r++) {
    fns.forEach((f, i) => {
      const s = performance.now();
      f();
      times[i].push(performance.now() - s);
    });
  }
  const [direct, wino, transform] = times.map((t) => stats(t).median);
  console.log(
    `${H}×${W}×${C} → ${N}: direct ${direct.toFixed(2)} ms, Winograd ${wino.toFixed(2)} ms (${(wino / direct).toFixed(2)}×), of which the weight transform ${transform.toFixed(2)} ms; stored, U' would take ${((16 * C * N * 2) / 2 ** 20).toFixed(2)} MiB against ${((K * N) / 2 ** 20).toFixed(2)} MiB of int8 weights`,
  );
}
