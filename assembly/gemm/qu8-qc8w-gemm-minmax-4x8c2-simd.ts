// qu8_qc8w_gemm_minmax_4x8c2__simd: Y = requant(A · Wᵀ + bias), u8 out.
//
// Params: Qu8GemmParams. Work unit: one iteration of the outer loop — a block of 8 output
// channels (all rows) when blocks outnumber groups of 4 rows, else a group of 4 rows (all
// channels); either way a unit owns its outputs and the whole k reduction.
// Memory contract
//   a:    i16 "4c2" layout [ceil(M/4)][Kp/2][4][2] (qu8_im2col_4c2); Kp even. Rows past M in
//         the last group are read (they hold zeros) but never stored.
//   w:    int8 "8c2" layout [ceil(N/8)][Kp/2][8][2] (ts-sdk/kernels/packing.ts).
//   bias: i32[ceil(N/8)·8], mult: f32[ceil(N/8)·8] — padded to whole blocks of 8.
//   y:    M rows of N u8, row stride yStride bytes. Writes exactly M×N bytes.
//   residual: 0, or a residual laid out like y (M rows of N u8, stride yStride) with zero point
//         zr, added in the epilogue as (residual − zr) · residualMult — a ResNet block's conv2
//         fused with its add.
// Tile: 4 rows × 8 channels. Per k pair, A holds the 4 rows' (i16, i16) in one 16-byte line
// and W the 8 channels' (i8, i8) in 16 bytes; each row's pair is splatted to all lanes and
// multiplied with 4 channels × 2 weights by i32x4.dot_i16x8_s: 8 accumulators, every lane
// useful, no horizontal sums. Weights widen in the load (v128.load8x8_s) and stay int8 in
// memory. A and W advance 16 bytes per pair, so one induction variable and constant offsets
// address both — the loop keeps only three integer registers live.
// Epilogue (docs/ARCHITECTURE.md): f32(acc + bias) · mult [+ f32(residual − zr) · residualMult],
// nearest, clamp, + zy.
import { Qu8GemmParams } from '../params';
import { requantize, requantizeOffset } from '../requantize';

@inline function scaled(acc: v128, bias: usize, mult: usize): v128 {
  return f32x4.mul(f32x4.convert_i32x4_s(i32x4.add(acc, v128.load(bias))), v128.load(mult));
}

/** The residual row's 8 (or nValid) u8 at r as i16x8 r − zr. */
@inline function residualRow(r: usize, nValid: i32, vzr: v128): v128 {
  let b: v128;
  if (nValid >= 8) {
    b = v128.load64_zero(r);
  } else {
    let lanes: u64 = 0;
    for (let j = nValid - 1; j >= 0; j--) lanes = (lanes << 8) | <u64>load<u8>(r + <usize>j);
    b = i64x2.splat(lanes);
  }
  return i16x8.sub(i16x8.extend_low_i8x16_u(b), vzr);
}

@inline function storeRow(y: usize, q0: v128, q1: v128, nValid: i32): void {
  const h = i16x8.narrow_i32x4_s(q0, q1);
  const b = i8x16.narrow_i16x8_u(h, h);
  if (nValid >= 8) {
    v128.store64_lane(y, b, 0);
  } else {
    let lanes = i64x2.extract_lane(b, 0);
    for (let j = 0; j < nValid; j++) {
      store<u8>(y + <usize>j, <u8>lanes);
      lanes >>>= 8;
    }
  }
}

@inline function tile(
  a: usize, w: usize, bytes: usize, rows: i32,
  bias: usize, mult: usize, lo: v128, hi: v128, offset: v128,
  y: usize, yStride: usize, nValid: i32, resid: usize, vzr: v128, vrmult: v128,
): void {
  let c00 = i32x4.splat(0), c01 = i32x4.splat(0);
  let c10 = i32x4.splat(0), c11 = i32x4.splat(0);
  let c20 = i32x4.splat(0), c21 = i32x4.splat(0);
  let c30 = i32x4.splat(0), c31 = i32x4.splat(0);
  // One k pair per iteration: unrolling made V8 hoist every load to the loop top and spill
  // (measured: 35–54 % of peak unrolled ×4 against 61–73 % like this).
  for (let i: usize = 0; i < bytes; i += 16) {
    const w0 = v128.load8x8_s(w + i);
    const w1 = v128.load8x8_s(w + i, 8);
    const x0 = v128.load32_splat(a + i);
    c00 = i32x4.add(c00, i32x4.dot_i16x8_s(x0, w0));
    c01 = i32x4.add(c01, i32x4.dot_i16x8_s(x0, w1));
    const x1 = v128.load32_splat(a + i, 4);
    c10 = i32x4.add(c10, i32x4.dot_i16x8_s(x1, w0));
    c11 = i32x4.add(c11, i32x4.dot_i16x8_s(x1, w1));
    const x2 = v128.load32_splat(a + i, 8);
    c20 = i32x4.add(c20, i32x4.dot_i16x8_s(x2, w0));
    c21 = i32x4.add(c21, i32x4.dot_i16x8_s(x2, w1));
    const x3 = v128.load32_splat(a + i, 12);
    c30 = i32x4.add(c30, i32x4.dot_i16x8_s(x3, w0));
    c31 = i32x4.add(c31, i32x4.dot_i16x8_s(x3, w1));
  }
  finishRow(y, resid, c00, c01, bias, mult, lo, hi, offset, nValid, vzr, vrmult);
  if (rows > 1) finishRow(y + yStride, resid != 0 ? resid + yStride : <usize>0, c10, c11, bias, mult, lo, hi, offset, nValid, vzr, vrmult);
  if (rows > 2) finishRow(y + 2 * yStride, resid != 0 ? resid + 2 * yStride : <usize>0, c20, c21, bias, mult, lo, hi, offset, nValid, vzr, vrmult);
  if (rows > 3) finishRow(y + 3 * yStride, resid != 0 ? resid + 3 * yStride : <usize>0, c30, c31, bias, mult, lo, hi, offset, nValid, vzr, vrmult);
}

/** One row's 8 channels: requantize (adding the residual row r unless r is 0) and store. */
@inline function finishRow(
  y: usize, r: usize, c0: v128, c1: v128, bias: usize, mult: usize,
  lo: v128, hi: v128, offset: v128, nValid: i32, vzr: v128, vrmult: v128,
): void {
  let v0 = scaled(c0, bias, mult), v1 = scaled(c1, bias + 16, mult + 16);
  if (r != 0) {
    const d = residualRow(r, nValid, vzr);
    v0 = f32x4.add(v0, f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_s(d)), vrmult));
    v1 = f32x4.add(v1, f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_s(d)), vrmult));
  }
  storeRow(y, requantize(v0, lo, hi, offset), requantize(v1, lo, hi, offset), nValid);
}

export function qu8_qc8w_gemm_minmax_4x8c2__simd(params: usize, begin: i32, end: i32, local: usize): void {
  const p = changetype<Qu8GemmParams>(params);
  const M = p.M, N = p.N, a = p.a, w = p.w, bias = p.bias, mult = p.mult, y = p.y, zy = p.zy;
  const yStride = <usize>p.yStride, resid = p.residual;
  const vzr = i16x8.splat(<i16>p.zr), vrmult = f32x4.splat(p.residualMult);
  const lo = f32x4.splat(<f32>(p.qmin - zy));
  const hi = f32x4.splat(<f32>(p.qmax - zy));
  const offset = requantizeOffset(zy);
  const bytes = <usize>p.Kp << 3; // per group of A and per block of W alike
  const nBlocks = (N + 7) >> 3;
  const nGroups = (M + 3) >> 2;
  // Loop order by which operand is larger: keep the smaller one hot in cache and stream the
  // other once (the deepest layers have few rows and megabytes of weights). The outer loop's
  // iterations are the work units.
  if (nBlocks > nGroups) {
    for (let nb = begin, nbEnd = min(end, nBlocks); nb < nbEnd; nb++) {
      const n0 = nb << 3;
      for (let g = 0; g < nGroups; g++) {
        const m = g << 2;
        tile(a + <usize>g * bytes, w + <usize>nb * bytes, bytes, M - m,
          bias + (<usize>n0 << 2), mult + (<usize>n0 << 2), lo, hi, offset,
          y + <usize>m * yStride + <usize>n0, yStride, N - n0,
          resid != 0 ? resid + <usize>m * yStride + <usize>n0 : <usize>0, vzr, vrmult);
      }
    }
  } else {
    for (let g = begin, gEnd = min(end, nGroups); g < gEnd; g++) {
      const m = g << 2;
      for (let nb = 0; nb < nBlocks; nb++) {
        const n0 = nb << 3;
        tile(a + <usize>g * bytes, w + <usize>nb * bytes, bytes, M - m,
          bias + (<usize>n0 << 2), mult + (<usize>n0 << 2), lo, hi, offset,
          y + <usize>m * yStride + <usize>n0, yStride, N - n0,
          resid != 0 ? resid + <usize>m * yStride + <usize>n0 : <usize>0, vzr, vrmult);
      }
    }
  }
}
