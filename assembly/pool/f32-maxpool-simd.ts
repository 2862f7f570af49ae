// f32_maxpool__simd: max pool over f32 NHWC, 4 channels at a time (equal to the scalar twin).
// Params: MaxpoolParams. Work unit: an output row.
import { MaxpoolParams } from '../params';

export function f32_maxpool__simd(params: usize, begin: i32, end: i32, local: usize): void {
  const p = changetype<MaxpoolParams>(params);
  const x = p.x, H = p.H, W = p.W, C = p.C, K = p.K, stride = p.stride, pad = p.pad, OW = p.OW, y = p.y;
  const body = C & ~3;
  for (let oy = begin, oyEnd = min(end, p.OH); oy < oyEnd; oy++) {
    const y0 = max(oy * stride - pad, 0), y1 = min(oy * stride - pad + K, H);
    for (let ox = 0; ox < OW; ox++) {
      const x0 = max(ox * stride - pad, 0), x1 = min(ox * stride - pad + K, W);
      const dst = y + (<usize>((oy * OW + ox) * C) << 2);
      for (let c = 0; c < body; c += 4) {
        let m = f32x4.splat(-Infinity);
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) {
            m = f32x4.pmax(m, v128.load(x + (<usize>((iy * W + ix) * C + c) << 2)));
          }
        }
        v128.store(dst + (<usize>c << 2), m);
      }
      for (let c = body; c < C; c++) {
        let m: f32 = -Infinity;
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) {
            const v = load<f32>(x + (<usize>((iy * W + ix) * C + c) << 2));
            m = v > m ? v : m;
          }
        }
        store<f32>(dst + (<usize>c << 2), m);
      }
    }
  }
}
