// f32_gemm_minmax_4x8__ref: scalar twin of f32_gemm_minmax_4x8__simd (same params, work units
// and packed "8" weight layout). Sums over k in increasing order, one rounding per multiply and
// per add, so the SIMD kernel (same order, no FMA) is bit-identical.
import { F32GemmParams } from '../params';

export function f32_gemm_minmax_4x8__ref(params: usize, begin: i32, end: i32, local: usize): void {
  const p = changetype<F32GemmParams>(params);
  const N = p.N, K = p.K, a = p.a, aStride = <usize>p.aStride, w = p.w, bias = p.bias;
  const lo = p.lo, hi = p.hi, y = p.y, yStride = <usize>p.yStride;
  for (let m = begin << 2, mEnd = min(end << 2, p.M); m < mEnd; m++) {
    const arow = a + <usize>m * aStride;
    for (let n = 0; n < N; n++) {
      const wcol = w + (<usize>((n >> 3) * K * 8 + (n & 7)) << 2);
      let acc: f32 = 0;
      for (let k = 0; k < K; k++) {
        acc += load<f32>(arow + (<usize>k << 2)) * load<f32>(wcol + (<usize>(k * 8) << 2));
      }
      const v = acc + load<f32>(bias + (<usize>n << 2));
      store<f32>(y + <usize>m * yStride + (<usize>n << 2), min<f32>(max<f32>(v, lo), hi));
    }
  }
}
