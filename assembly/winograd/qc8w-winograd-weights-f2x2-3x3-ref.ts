// qc8w_winograd_weights_f2x2_3x3__ref: one block of 8 output channels of a 3×3 conv, int8 8c2
// layout → U' = G' g G'ᵀ in i16, layout [16][Cp/2][8][2] (ξ = 4·row + col). Scalar twin of
// qc8w_winograd_weights_f2x2_3x3__simd; its core also serves the scalar Winograd convolution.
//
// Params: Qc8wWinogradWeightsParams. Work unit: a pair of input channels.
// Memory contract
//   w: the block's int8 8c2 weights, [9·C/2][8][2] (k = (ky·3 + kx)·C + c); C even.
//   u: 16 · C · 16 bytes. Writes exactly that; reads exactly the block.
import { Qc8wWinogradWeightsParams } from '../params';

export function qc8w_winograd_weights_f2x2_3x3__ref(params: usize, begin: i32, end: i32, local: usize): void {
  const p = changetype<Qc8wWinogradWeightsParams>(params);
  winogradWeightsRef(p.w, p.C, p.u, begin, min(end, p.C >> 1));
}

/** Input-channel pairs [p0, p1) of one block's U'. */
export function winogradWeightsRef(w: usize, C: i32, u: usize, p0: i32, p1: i32): void {
  const pairs = C >> 1;
  const plane = <usize>pairs * 32;
  for (let p = p0; p < p1; p++) {
    for (let lane = 0; lane < 16; lane++) {
      // lane = (channel j, input-channel parity): byte offset within a pair's 16 bytes.
      const g00 = tap(w, pairs, p, 0, lane), g01 = tap(w, pairs, p, 1, lane), g02 = tap(w, pairs, p, 2, lane);
      const g10 = tap(w, pairs, p, 3, lane), g11 = tap(w, pairs, p, 4, lane), g12 = tap(w, pairs, p, 5, lane);
      const g20 = tap(w, pairs, p, 6, lane), g21 = tap(w, pairs, p, 7, lane), g22 = tap(w, pairs, p, 8, lane);
      // T1 = G' g (rows), then U' = T1 G'ᵀ (columns).
      const a0 = 2 * g00, a1 = 2 * g01, a2 = 2 * g02;
      const b0 = g00 + g10 + g20, b1 = g01 + g11 + g21, b2 = g02 + g12 + g22;
      const c0 = g00 - g10 + g20, c1 = g01 - g11 + g21, c2 = g02 - g12 + g22;
      const d0 = 2 * g20, d1 = 2 * g21, d2 = 2 * g22;
      const dst = u + <usize>p * 32 + <usize>(lane << 1);
      // Each T1 row (x, y, z) becomes the U' row (2x, x + y + z, x − y + z, 2z).
      put(dst, plane, 0, a0, a1, a2);
      put(dst, plane, 4, b0, b1, b2);
      put(dst, plane, 8, c0, c1, c2);
      put(dst, plane, 12, d0, d1, d2);
    }
  }
}

@inline function tap(w: usize, pairs: i32, p: i32, t: i32, lane: i32): i32 {
  return <i32>load<i8>(w + <usize>((t * pairs + p) * 16 + lane));
}

@inline function put(dst: usize, plane: usize, xi: i32, a: i32, b: i32, c: i32): void {
  store<i16>(dst + <usize>xi * plane, <i16>(2 * a));
  store<i16>(dst + <usize>(xi + 1) * plane, <i16>(a + b + c));
  store<i16>(dst + <usize>(xi + 2) * plane, <i16>(a - b + c));
  store<i16>(dst + <usize>(xi + 3) * plane, <i16>(2 * c));
}
