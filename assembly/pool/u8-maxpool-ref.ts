// Scalar twin of u8_maxpool__simd.
export function u8_maxpool__ref(
  x: usize, H: i32, W: i32, C: i32, K: i32, stride: i32, pad: i32, OH: i32, OW: i32, y: usize,
): void {
  for (let oy = 0; oy < OH; oy++) {
    for (let ox = 0; ox < OW; ox++) {
      const dst = y + <usize>((oy * OW + ox) * C);
      for (let c = 0; c < C; c++) {
        let m: u32 = 0;
        for (let ky = 0; ky < K; ky++) {
          const iy = oy * stride - pad + ky;
          if (iy < 0 || iy >= H) continue;
          for (let kx = 0; kx < K; kx++) {
            const ix = ox * stride - pad + kx;
            if (ix < 0 || ix >= W) continue;
            m = max<u32>(m, load<u8>(x + <usize>((iy * W + ix) * C + c)));
          }
        }
        store<u8>(dst + <usize>c, <u8>m);
      }
    }
  }
}
