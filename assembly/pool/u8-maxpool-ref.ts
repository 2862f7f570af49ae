// Scalar twin of u8_maxpool__simd: same params and work units (output rows).
import { MaxpoolParams } from '../params';

export function u8_maxpool__ref(params: usize, begin: i32, end: i32, local: usize): void {
  const p = changetype<MaxpoolParams>(params);
  const x = p.x, H = p.H, W = p.W, C = p.C, K = p.K, stride = p.stride, pad = p.pad, OW = p.OW, y = p.y;
  for (let oy = begin, oyEnd = min(end, p.OH); oy < oyEnd; oy++) {
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
