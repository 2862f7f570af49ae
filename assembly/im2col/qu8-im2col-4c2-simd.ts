// qu8_im2col_4c2__simd: u8 NHWC activations → the i16 A operand of the 4x8c2 GEMM.
//
// Memory contract
//   x: H×W×C u8, NHWC, zero point zx. May read up to 7 bytes past its end.
//   a: "4c2" layout [ceil(M/4)][Kp/2][4][2] i16, M = OH·OW, K = KH·KW·C, Kp = K rounded up to
//      even: element (m, k) = x[iy][ix][c] − zx with k = (ky·KW + kx)·C + c; 0 for padding
//      taps, for k ≥ K and for the rows M..ceil(M/4)·4−1. Writes only inside that layout.
// Why this layout: the GEMM's four rows of one k pair sit in one 16-byte line, so its inner
// loop addresses A and W with a single induction variable and constant offsets (no row
// pointers to keep in registers), and i32x4.dot_i16x8_s reads A with no widening or
// zero-point work. Padding taps become 0, which is (zx − zx).
// Channels are handled 8 at a time (load8x8_u + sub); each 4-byte pair is stored to its
// row's slot. The last chunk of a tap may read past the tap (up to 7 bytes) but stores only
// the tap's own pairs; an odd C leaves the tap's last pair half-filled, completed by the next
// tap's first channel — so odd C takes the scalar path per element.
import { qu8_im2col_4c2__ref } from './qu8-im2col-4c2-ref';

export function qu8_im2col_4c2__simd(
  x: usize, H: i32, W: i32, C: i32, zx: i32,
  KH: i32, KW: i32, stride: i32, padT: i32, padL: i32,
  OH: i32, OW: i32, Kp: i32, a: usize,
): void {
  if (C & 1) {
    qu8_im2col_4c2__ref(x, H, W, C, zx, KH, KW, stride, padT, padL, OH, OW, Kp, a);
    return;
  }
  const M = OH * OW;
  const Mp = (M + 3) & ~3;
  const K = KH * KW * C;
  const vz = i16x8.splat(<i16>zx);
  const groupBytes = <usize>Kp << 3; // Kp/2 pairs × 16 bytes
  for (let m = 0; m < Mp; m++) {
    const oy = m / OW, ox = m % OW;
    // dst walks this row's pair slots: one slot per 16 bytes.
    let dst = a + <usize>(m >> 2) * groupBytes + (<usize>(m & 3) << 2);
    if (m >= M) {
      for (let k = 0; k < Kp; k += 2, dst += 16) store<i32>(dst, 0);
      continue;
    }
    for (let ky = 0; ky < KH; ky++) {
      const iy = oy * stride - padT + ky;
      const rowInside = iy >= 0 && iy < H;
      for (let kx = 0; kx < KW; kx++) {
        const ix = ox * stride - padL + kx;
        if (rowInside && ix >= 0 && ix < W) {
          const src = x + <usize>((iy * W + ix) * C);
          let c = 0;
          for (; c + 8 <= C; c += 8) {
            const v = i16x8.sub(v128.load8x8_u(src + <usize>c), vz);
            v128.store32_lane(dst, v, 0);
            v128.store32_lane(dst, v, 1, 16);
            v128.store32_lane(dst, v, 2, 32);
            v128.store32_lane(dst, v, 3, 48);
            dst += 64;
          }
          for (; c < C; c += 2) {
            store<i16>(dst, <i16>(<i32>load<u8>(src + <usize>c) - zx));
            store<i16>(dst, <i16>(<i32>load<u8>(src + <usize>c + 1) - zx), 2);
            dst += 16;
          }
        } else {
          for (let c = 0; c < C; c += 2, dst += 16) store<i32>(dst, 0);
        }
      }
    }
    if (Kp > K) store<i32>(dst, 0);
  }
}
