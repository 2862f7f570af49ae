// qu8_im2col_4c2__simd: u8 NHWC activations → the i16 A operand of the 4x8c2 GEMM.
//
// Memory contract
//   x: H×W×C u8, NHWC, zero point zx. May read up to 7 bytes past its end.
//   a: "4c2" layout [ceil(M/4)][Kp/2][4][2] i16, M = OH·OW, K = KH·KW·C, Kp = K rounded up to
//      even: element (m, k) = x[iy][ix][c] − zx with k = (ky·KW + kx)·C + c; 0 for padding
//      taps, for k ≥ K and for the rows M..ceil(M/4)·4−1. May write up to 64 bytes past the
//      layout's end (give the buffer that slack); everything inside ends up as specified.
// Why this layout: the GEMM's four rows of one k pair sit in one 16-byte line, so its inner
// loop addresses A and W with a single induction variable and constant offsets, and
// i32x4.dot_i16x8_s reads A with no widening or zero-point work. Padding taps become 0.
//
// A kernel row's taps that are all inside the image are one contiguous run of KW·C input bytes
// and one contiguous run of k, so they are copied as one segment, 8 elements at a time
// (load8x8_u, subtract zx, four 4-byte pair stores). A segment may end mid-vector: the extra
// pairs it writes lie ahead (later k of this row, or a later row's group, or the slack) and
// are overwritten by what is written next, since rows and k are written in increasing order.
// This matters most for the first layer (C = 3), where per-element copies cost more than the
// convolution itself.

@inline function slot(row: usize, k: i32): usize {
  return row + (<usize>(k >> 1) << 4) + (<usize>(k & 1) << 1);
}

@inline function copySegment(row: usize, k0: i32, n: i32, src: usize, zx: i32, vz: v128): void {
  let k = k0;
  let s = src;
  const end = k0 + n;
  if (k & 1) {
    store<i16>(slot(row, k), <i16>(<i32>load<u8>(s) - zx));
    k++;
    s++;
  }
  for (; k < end; k += 8, s += 8) {
    const v = i16x8.sub(v128.load8x8_u(s), vz);
    const d = row + (<usize>(k >> 1) << 4);
    v128.store32_lane(d, v, 0);
    v128.store32_lane(d, v, 1, 16);
    v128.store32_lane(d, v, 2, 32);
    v128.store32_lane(d, v, 3, 48);
  }
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

export function qu8_im2col_4c2__simd(
  x: usize, H: i32, W: i32, C: i32, zx: i32,
  KH: i32, KW: i32, stride: i32, padT: i32, padL: i32,
  OH: i32, OW: i32, Kp: i32, a: usize,
): void {
  const M = OH * OW;
  const Mp = (M + 3) & ~3;
  const K = KH * KW * C;
  const vz = i16x8.splat(<i16>zx);
  const groupBytes = <usize>Kp << 3; // Kp/2 pairs × 16 bytes
  const runK = KW * C;
  let oy = 0, ox = 0;
  for (let m = 0; m < Mp; m++) {
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
        copySegment(row, k0, runK, x + <usize>((iy * W + ix0) * C), zx, vz);
      } else {
        for (let kx = 0; kx < KW; kx++) {
          const ix = ix0 + kx;
          if (ix >= 0 && ix < W) copySegment(row, k0 + kx * C, C, x + <usize>((iy * W + ix) * C), zx, vz);
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
