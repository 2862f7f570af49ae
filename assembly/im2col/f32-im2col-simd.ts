// f32_im2col__simd: f32 NHWC → A[m][k] (k = (ky·KW + kx)·C + c), padding taps 0, 4 channels at
// a time. Params: F32Im2colParams. Work unit: a row m (one output pixel).
// Memory contract: x is H×W×C f32; a is OH·OW rows of K = KH·KW·C f32 (row stride 4·K).
// Reads and writes nothing outside: channels past the last multiple of 4 go one by one, so a
// unit never touches another unit's row (threads may split the rows any way).
import { F32Im2colParams } from '../params';

export function f32_im2col__simd(params: usize, begin: i32, end: i32, local: usize): void {
  const p = changetype<F32Im2colParams>(params);
  const x = p.x, H = p.H, W = p.W, C = p.C, KH = p.KH, KW = p.KW, stride = p.stride, padT = p.padT, padL = p.padL, OW = p.OW;
  const zero = f32x4.splat(0);
  const tapBytes = <usize>C << 2;
  const body = C & ~3;
  let dst = p.a + <usize>begin * <usize>(KH * KW) * tapBytes;
  for (let m = begin, mEnd = min(end, p.OH * OW); m < mEnd; m++) {
    const oy = m / OW, ox = m % OW;
    for (let ky = 0; ky < KH; ky++) {
      const iy = oy * stride - padT + ky;
      for (let kx = 0; kx < KW; kx++) {
        const ix = ox * stride - padL + kx;
        if (iy >= 0 && iy < H && ix >= 0 && ix < W) {
          const src = x + (<usize>((iy * W + ix) * C) << 2);
          for (let c = 0; c < body; c += 4) v128.store(dst + (<usize>c << 2), v128.load(src + (<usize>c << 2)));
          for (let c = body; c < C; c++) store<f32>(dst + (<usize>c << 2), load<f32>(src + (<usize>c << 2)));
        } else {
          for (let c = 0; c < body; c += 4) v128.store(dst + (<usize>c << 2), zero);
          for (let c = body; c < C; c++) store<f32>(dst + (<usize>c << 2), 0);
        }
        dst += tapBytes;
      }
    }
  }
}
