// u8_maxpool__simd: max pool over u8 NHWC (order of u8 codes = order of real values).
//
// Params: MaxpoolParams. Work unit: an output row.
// Memory contract: x is H×W×C u8, y is OH×OW×C u8. Padding taps are skipped (starting
// from 0, the smallest u8, is the same as skipping). Reads and writes nothing outside.
import { MaxpoolParams } from '../params';

export function u8_maxpool__simd(params: usize, begin: i32, end: i32, local: usize): void {
  const p = changetype<MaxpoolParams>(params);
  const x = p.x, H = p.H, W = p.W, C = p.C, K = p.K, stride = p.stride, pad = p.pad, OW = p.OW, y = p.y;
  const body = C & ~15;
  for (let oy = begin, oyEnd = min(end, p.OH); oy < oyEnd; oy++) {
    const y0 = max(oy * stride - pad, 0), y1 = min(oy * stride - pad + K, H);
    for (let ox = 0; ox < OW; ox++) {
      const x0 = max(ox * stride - pad, 0), x1 = min(ox * stride - pad + K, W);
      const dst = y + <usize>((oy * OW + ox) * C);
      for (let c = 0; c < body; c += 16) {
        let m = i8x16.splat(0);
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) {
            m = i8x16.max_u(m, v128.load(x + <usize>((iy * W + ix) * C + c)));
          }
        }
        v128.store(dst + <usize>c, m);
      }
      for (let c = body; c < C; c++) {
        let m: u32 = 0;
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) m = max<u32>(m, load<u8>(x + <usize>((iy * W + ix) * C + c)));
        }
        store<u8>(dst + <usize>c, <u8>m);
      }
    }
  }
}
