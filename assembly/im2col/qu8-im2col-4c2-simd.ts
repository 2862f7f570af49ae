// qu8_im2col_4c2__simd: u8 NHWC activations → the i16 A operand of the 4x8c2 GEMM.
//
// Params: Qu8Im2colParams. Work unit: a group of 4 output rows (the GEMM's MR), all of its k.
// Memory contract
//   x: H×W×C u8, NHWC, zero point zx. May read up to 7 bytes past its end.
//   a: "4c2" layout [ceil(M/4)][Kp/2][4][2] i16, M = OH·OW, K = KH·KW·C, Kp = K rounded up to
//      even: element (m, k) = x[iy][ix][c] − zx with k = (ky·KW + kx)·C + c; 0 for padding
//      taps, for k ≥ K and for the rows M..ceil(M/4)·4−1. Writes only the groups of its units.
// Why this layout: the GEMM's four rows of one k pair sit in one 16-byte line, so its inner
// loop addresses A and W with a single induction variable and constant offsets, and
// i32x4.dot_i16x8_s reads A with no widening or zero-point work. Padding taps become 0.
//
// A kernel row's taps that are all inside the image are one contiguous run of KW·C input bytes
// and one contiguous run of k, so they are copied as one segment, 8 elements at a time
// (load8x8_u, subtract zx, four 4-byte pair stores). A segment may end mid-vector: the extra
// pairs it writes are later k of the same row, overwritten by what is written next (k is
// written in increasing order). Vector stores stop where they would pass the row's last pair
// (k + 8 > Kp) and the rest goes element by element, so nothing lands in another group of 4
// rows: threads writing neighbouring groups never touch each other's bytes.
// This matters most for the first layer (C = 3), where per-element copies cost more than the
// convolution itself.
import { Qu8Im2colParams } from '../params';

@inline function slot(row: usize, k: i32): usize {
  return row + (<usize>(k >> 1) << 4) + (<usize>(k & 1) << 1);
}

@inline function copySegment(row: usize, k0: i32, n: i32, src: usize, zx: i32, vz: v128, Kp: i32): void {
  let k = k0;
  let s = src;
  const end = k0 + n;
  if (k & 1) {
    store<i16>(slot(row, k), <i16>(<i32>load<u8>(s) - zx));
    k++;
    s++;
  }
  const vecEnd = min(end, Kp - 7);
  for (; k < vecEnd; k += 8, s += 8) {
    const v = i16x8.sub(v128.load8x8_u(s), vz);
    const d = row + (<usize>(k >> 1) << 4);
    v128.store32_lane(d, v, 0);
    v128.store32_lane(d, v, 1, 16);
    v128.store32_lane(d, v, 2, 32);
    v128.store32_lane(d, v, 3, 48);
  }
  for (; k < end; k++, s++) store<i16>(slot(row, k), <i16>(<i32>load<u8>(s) - zx));
}

@inline function zeroSegment(row: usize, k0: i32, n: i32): void {
  let k = k0;
  const end = k0 + n;
  if (k & 1) {
    store<i16>(slot(row, k), 0);
    k++;
  }
  for (; k + 1 < end; k += 2) store<i32>(row + (<usize>(k >> 1) << 4), 0);
  if (k < end) store<i16>(slot(row, k), 0);
}

export function qu8_im2col_4c2__simd(params: usize, begin: i32, end: i32, local: usize): void {
  const p = changetype<Qu8Im2colParams>(params);
  const x = p.x, H = p.H, W = p.W, C = p.C, zx = p.zx, KH = p.KH, KW = p.KW, stride = p.stride;
  const padT = p.padT, padL = p.padL, OW = p.OW, Kp = p.Kp, a = p.a;
  const M = p.OH * OW;
  const Mp = (M + 3) & ~3;
  const K = KH * KW * C;
  const vz = i16x8.splat(<i16>zx);
  const groupBytes = <usize>Kp << 3; // Kp/2 pairs × 16 bytes
  const runK = KW * C;
  const m0 = begin << 2;
  let oy = m0 / OW, ox = m0 % OW;
  for (let m = m0, mEnd = min(end << 2, Mp); m < mEnd; m++) {
    const row = a + <usize>(m >> 2) * groupBytes + (<usize>(m & 3) << 2);
    if (m >= M) {
      zeroSegment(row, 0, Kp);
      continue;
    }
    const ix0 = ox * stride - padL;
    const colsInside = ix0 >= 0 && ix0 + KW <= W;
    for (let ky = 0; ky < KH; ky++) {
      const iy = oy * stride - padT + ky;
      const k0 = ky * runK;
      if (iy < 0 || iy >= H) {
        zeroSegment(row, k0, runK);
      } else if (colsInside) {
        copySegment(row, k0, runK, x + <usize>((iy * W + ix0) * C), zx, vz, Kp);
      } else {
        for (let kx = 0; kx < KW; kx++) {
          const ix = ix0 + kx;
          if (ix >= 0 && ix < W) copySegment(row, k0 + kx * C, C, x + <usize>((iy * W + ix) * C), zx, vz, Kp);
          else zeroSegment(row, k0 + kx * C, C);
        }
      }
    }
    if (Kp > K) store<i16>(slot(row, K), 0);
    if (++ox == OW) {
      ox = 0;
      oy++;
    }
  }
}
