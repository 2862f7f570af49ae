// Scalar twin of f32_gemm_minmax_4x8__simd. Sums over k in increasing order, one rounding
// per multiply and per add, so the SIMD kernel (same order, no FMA) is bit-identical.
export function f32_gemm_minmax__ref(
  M: i32, N: i32, K: i32, a: usize, aStride: usize, w: usize, bias: usize,
  lo: f32, hi: f32, y: usize, yStride: usize,
): void {
  for (let m = 0; m < M; m++) {
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
