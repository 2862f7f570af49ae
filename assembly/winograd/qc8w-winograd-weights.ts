// qc8w_winograd_weights_f2x2_3x3__ref / __simd: one block of 8 output channels of a 3×3 conv,
// int8 8c2 layout → U' = G' g G'ᵀ in i16, layout [16][Cp/2][8][2] (ξ = 4·row + col).
//
// Memory contract
//   w: the block's int8 8c2 weights, [9·C/2][8][2] (k = (ky·3 + kx)·C + c); C even.
//   u: 16 · C · 16 bytes. Writes exactly that; reads exactly the block.
// Lanes of one load8x8_s are (4 channels × 2 input channels), which is also U''s layout, so
// the transform runs lane-wise on whole vectors.

export function qc8w_winograd_weights_f2x2_3x3__ref(w: usize, C: i32, u: usize): void {
  const pairs = C >> 1;
  const plane = <usize>pairs * 32;
  for (let p = 0; p < pairs; p++) {
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

@inline function putv(dst: usize, plane: usize, xi: i32, a: v128, b: v128, c: v128): void {
  v128.store(dst + <usize>xi * plane, i16x8.add(a, a));
  v128.store(dst + <usize>(xi + 1) * plane, i16x8.add(i16x8.add(a, b), c));
  v128.store(dst + <usize>(xi + 2) * plane, i16x8.add(i16x8.sub(a, b), c));
  v128.store(dst + <usize>(xi + 3) * plane, i16x8.add(c, c));
}

export function qc8w_winograd_weights_f2x2_3x3__simd(w: usize, C: i32, u: usize): void {
  const pairs = C >> 1;
  const plane = <usize>pairs * 32;
  const tapBytes = <usize>pairs * 16;
  for (let p = 0; p < pairs; p++) {
    for (let h = 0; h < 2; h++) {
      const src = w + <usize>p * 16 + <usize>(h << 3);
      const g00 = v128.load8x8_s(src), g01 = v128.load8x8_s(src + tapBytes), g02 = v128.load8x8_s(src + 2 * tapBytes);
      const g10 = v128.load8x8_s(src + 3 * tapBytes), g11 = v128.load8x8_s(src + 4 * tapBytes), g12 = v128.load8x8_s(src + 5 * tapBytes);
      const g20 = v128.load8x8_s(src + 6 * tapBytes), g21 = v128.load8x8_s(src + 7 * tapBytes), g22 = v128.load8x8_s(src + 8 * tapBytes);
      const dst = u + <usize>p * 32 + <usize>(h << 4);
      putv(dst, plane, 0, i16x8.add(g00, g00), i16x8.add(g01, g01), i16x8.add(g02, g02));
      putv(dst, plane, 4, i16x8.add(i16x8.add(g00, g10), g20), i16x8.add(i16x8.add(g01, g11), g21), i16x8.add(i16x8.add(g02, g12), g22));
      putv(dst, plane, 8, i16x8.add(i16x8.sub(g00, g10), g20), i16x8.add(i16x8.sub(g01, g11), g21), i16x8.add(i16x8.sub(g02, g12), g22));
      putv(dst, plane, 12, i16x8.add(g20, g20), i16x8.add(g21, g21), i16x8.add(g22, g22));
    }
  }
}
