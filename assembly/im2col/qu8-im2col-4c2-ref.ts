// Scalar twin of qu8_im2col_4c2__simd: same contract, no slack needed.
import { Qu8Im2colParams } from '../params';

export function qu8_im2col_4c2__ref(params: usize, begin: i32, end: i32, local: usize): void {
  const p = changetype<Qu8Im2colParams>(params);
  const x = p.x, H = p.H, W = p.W, C = p.C, zx = p.zx, KH = p.KH, KW = p.KW, stride = p.stride;
  const padT = p.padT, padL = p.padL, OW = p.OW, Kp = p.Kp, a = p.a;
  const M = p.OH * OW;
  const Mp = (M + 3) & ~3;
  // Units are groups of 4 rows.
  for (let m = begin << 2, mEnd = min(end << 2, Mp); m < mEnd; m++) {
    const oy = m / OW, ox = m % OW;
    // Element (m, k) of the 4c2 layout: group m/4, pair k/2, row m%4, k%2.
    const base = a + (<usize>((m >> 2) * Kp * 4 + (m & 3) * 2) << 1);
    let k = 0;
    for (let ky = 0; ky < KH; ky++) {
      const iy = oy * stride - padT + ky;
      for (let kx = 0; kx < KW; kx++) {
        const ix = ox * stride - padL + kx;
        const inside = m < M && iy >= 0 && iy < H && ix >= 0 && ix < W;
        for (let c = 0; c < C; c++, k++) {
          const v = inside ? <i32>load<u8>(x + <usize>((iy * W + ix) * C + c)) - zx : 0;
          store<i16>(base + (<usize>((k >> 1) * 8 + (k & 1)) << 1), <i16>v);
        }
      }
    }
    for (; k < Kp; k++) store<i16>(base + (<usize>((k >> 1) * 8 + (k & 1)) << 1), 0);
  }
}
