// f32_im2col__ref: f32 NHWC → A[m][k] (k = (ky·KW + kx)·C + c), padding taps 0; the scalar
// twin of f32_im2col__simd. Params: F32Im2colParams. Work unit: a row m (one output pixel).
// Memory contract: x is H×W×C f32; a is OH·OW rows of K = KH·KW·C f32 (row stride 4·K).
import { F32Im2colParams } from '../params';

export function f32_im2col__ref(params: usize, begin: i32, end: i32, local: usize): void {
  const p = changetype<F32Im2colParams>(params);
  const x = p.x, H = p.H, W = p.W, C = p.C, KH = p.KH, KW = p.KW, stride = p.stride, padT = p.padT, padL = p.padL, OW = p.OW;
  let dst = p.a + <usize>begin * <usize>(KH * KW * C) * 4;
  for (let m = begin, mEnd = min(end, p.OH * OW); m < mEnd; m++) {
    const oy = m / OW, ox = m % OW;
    for (let ky = 0; ky < KH; ky++) {
      const iy = oy * stride - padT + ky;
      for (let kx = 0; kx < KW; kx++) {
        const ix = ox * stride - padL + kx;
        const inside = iy >= 0 && iy < H && ix >= 0 && ix < W;
        const src = x + (<usize>((iy * W + ix) * C) << 2);
        for (let c = 0; c < C; c++) {
          store<f32>(dst, inside ? load<f32>(src + (<usize>c << 2)) : 0);
          dst += 4;
        }
      }
    }
  }
}
