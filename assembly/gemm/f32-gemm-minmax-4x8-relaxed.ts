// f32_gemm_minmax_4x8__relaxed (kernels-relaxed.wasm only): Y = clamp(A · Wᵀ + bias) with
// f32x4.relaxed_madd — fused on FMA hardware, so within the fp32 tolerance of the scalar twin,
// not bit-identical. Params: F32GemmParams. Work unit: a group of 4 rows (MR). Body and memory
// contract: f32-gemm-minmax-4x8-tile.ts.
import { F32GemmParams } from '../params';
import { gemm } from './f32-gemm-minmax-4x8-tile';

export function f32_gemm_minmax_4x8__relaxed(params: usize, begin: i32, end: i32, local: usize): void {
  const p = changetype<F32GemmParams>(params);
  gemm(p.M, p.N, p.K, p.a, <usize>p.aStride, p.w, p.bias, p.lo, p.hi, p.y, <usize>p.yStride, true, begin << 2, min(end << 2, p.M));
}
