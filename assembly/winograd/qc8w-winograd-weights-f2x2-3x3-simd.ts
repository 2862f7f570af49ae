// qc8w_winograd_weights_f2x2_3x3__simd: the Winograd weight transform of one block of 8 output
// channels (see the scalar twin for the layouts); its core serves the SIMD convolution.
//
// Params: Qc8wWinogradWeightsParams. Work unit: a pair of input channels.
// Lanes of one load8x8_s are (4 channels × 2 input channels), which is also U''s layout, so
// the transform runs lane-wise on whole vectors.
import { Qc8wWinogradWeightsParams } from '../params';

@inline function putv(dst: usize, plane: usize, xi: i32, a: v128, b: v128, c: v128): void {
  v128.store(dst + <usize>xi * plane, i16x8.add(a, a));
  v128.store(dst + <usize>(xi + 1) * plane, i16x8.add(i16x8.add(a, b), c));
  v128.store(dst + <usize>(xi + 2) * plane, i16x8.add(i16x8.sub(a, b), c));
  v128.store(dst + <usize>(xi + 3) * plane, i16x8.add(c, c));
}

export function qc8w_winograd_weights_f2x2_3x3__simd(params: usize, begin: i32, end: i32, local: usize): void {
  const p = changetype<Qc8wWinogradWeightsParams>(params);
  winogradWeightsSimd(p.w, p.C, p.u, begin, min(end, p.C >> 1));
}

/** Input-channel pairs [p0, p1) of one block's U'. */
export function winogradWeightsSimd(w: usize, C: i32, u: usize, p0: i32, p1: i32): void {
  const pairs = C >> 1;
  const plane = <usize>pairs * 32;
  const tapBytes = <usize>pairs * 16;
  for (let p = p0; p < p1; p++) {
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
