// Scalar twin of qu8_im2col_4c2__simd: same contract, no slack needed.
export function qu8_im2col_4c2__ref(
  x: usize, H: i32, W: i32, C: i32, zx: i32,
  KH: i32, KW: i32, stride: i32, padT: i32, padL: i32,
  OH: i32, OW: i32, Kp: i32, a: usize,
): void {
  const M = OH * OW;
  const Mp = (M + 3) & ~3;
  for (let m = 0; m < Mp; m++) {
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
