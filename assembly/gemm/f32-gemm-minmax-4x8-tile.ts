// The 4×8 f32 GEMM shared by f32_gemm_minmax_4x8__simd and __relaxed (one export per kernel
// file; this file holds their common body). Rows [m0, m1), m0 a multiple of 4.
//
// Memory contract
//   a:    M rows of K f32, row stride aStride bytes.
//   w:    f32 "8" layout [ceil(N/8)][K][8] (ts-sdk/kernels/packing.ts).
//   bias: f32[ceil(N/8)·8]. lo/hi: the clamp (ReLU: lo = 0; none: ±Infinity).
//   y:    M rows of N f32, row stride yStride bytes; writes exactly the rows' N values.
// Tile: 4 rows × 8 channels; per k, one splat of a[m][k] times two vectors of weights.
// __simd multiplies then adds (bit-identical to the scalar twin); __relaxed uses
// f32x4.relaxed_madd (fused on FMA hardware: within the fp32 tolerance, not bit-identical).

@inline function madd(a: v128, b: v128, c: v128, relaxed: bool): v128 {
  if (relaxed) {
    if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  }
  return f32x4.add(c, f32x4.mul(a, b));
}

@inline function storeRow(y: usize, v0: v128, v1: v128, n: i32): void {
  if (n >= 8) {
    v128.store(y, v0);
    v128.store(y, v1, 16);
    return;
  }
  // Lane indices must be constants, hence the unrolled tail.
  store<f32>(y, f32x4.extract_lane(v0, 0));
  if (n > 1) store<f32>(y, f32x4.extract_lane(v0, 1), 4);
  if (n > 2) store<f32>(y, f32x4.extract_lane(v0, 2), 8);
  if (n > 3) store<f32>(y, f32x4.extract_lane(v0, 3), 12);
  if (n > 4) store<f32>(y, f32x4.extract_lane(v1, 0), 16);
  if (n > 5) store<f32>(y, f32x4.extract_lane(v1, 1), 20);
  if (n > 6) store<f32>(y, f32x4.extract_lane(v1, 2), 24);
}

@inline export function gemm(
  M: i32, N: i32, K: i32, a: usize, aStride: usize, w: usize, bias: usize,
  lo: f32, hi: f32, y: usize, yStride: usize, relaxed: bool, m0: i32, m1: i32,
): void {
  const vlo = f32x4.splat(lo), vhi = f32x4.splat(hi);
  const blockBytes = <usize>K << 5;
  const nBlocks = (N + 7) >> 3;
  for (let m = m0; m < m1; m += 4) {
    const rows = min(M - m, 4);
    const a0 = a + <usize>m * aStride;
    const a1 = rows > 1 ? a0 + aStride : a0;
    const a2 = rows > 2 ? a1 + aStride : a1;
    const a3 = rows > 3 ? a2 + aStride : a2;
    for (let nb = 0; nb < nBlocks; nb++) {
      let wp = w + <usize>nb * blockBytes;
      const end = wp + blockBytes;
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
      let off: usize = 0;
      while (wp < end) {
        const w0 = v128.load(wp), w1 = v128.load(wp, 16);
        const x0 = v128.load32_splat(a0 + off);
        c00 = madd(x0, w0, c00, relaxed); c01 = madd(x0, w1, c01, relaxed);
        const x1 = v128.load32_splat(a1 + off);
        c10 = madd(x1, w0, c10, relaxed); c11 = madd(x1, w1, c11, relaxed);
        const x2 = v128.load32_splat(a2 + off);
        c20 = madd(x2, w0, c20, relaxed); c21 = madd(x2, w1, c21, relaxed);
        const x3 = v128.load32_splat(a3 + off);
        c30 = madd(x3, w0, c30, relaxed); c31 = madd(x3, w1, c31, relaxed);
        wp += 32;
        off += 4;
      }
      const n0 = nb << 3;
      const b0 = v128.load(bias + (<usize>n0 << 2)), b1 = v128.load(bias + (<usize>n0 << 2), 16);
      const yp = y + <usize>m * yStride + (<usize>n0 << 2);
      const nv = N - n0;
      storeRow(yp, f32x4.pmin(f32x4.pmax(f32x4.add(c00, b0), vlo), vhi), f32x4.pmin(f32x4.pmax(f32x4.add(c01, b1), vlo), vhi), nv);
      if (rows > 1) storeRow(yp + yStride, f32x4.pmin(f32x4.pmax(f32x4.add(c10, b0), vlo), vhi), f32x4.pmin(f32x4.pmax(f32x4.add(c11, b1), vlo), vhi), nv);
      if (rows > 2) storeRow(yp + 2 * yStride, f32x4.pmin(f32x4.pmax(f32x4.add(c20, b0), vlo), vhi), f32x4.pmin(f32x4.pmax(f32x4.add(c21, b1), vlo), vhi), nv);
      if (rows > 3) storeRow(yp + 3 * yStride, f32x4.pmin(f32x4.pmax(f32x4.add(c30, b0), vlo), vhi), f32x4.pmin(f32x4.pmax(f32x4.add(c31, b1), vlo), vhi), nv);
    }
  }
}
