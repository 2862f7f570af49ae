// f32_im2col__ref / __simd: f32 NHWC → A[m][k] (k = (ky·KW + kx)·C + c), padding taps 0.
//
// Memory contract: x is H×W×C f32; a is OH·OW rows of K = KH·KW·C f32 (row stride 4·K).
// __simd copies 4 channels at a time; the last chunk of a tap may spill up to 3 floats into
// the next tap's slots (overwritten next) and past the last row: give `a` 16 bytes of slack,
// and it may read up to 12 bytes past the end of x.
export function f32_im2col__ref(
  x: usize, H: i32, W: i32, C: i32, KH: i32, KW: i32, stride: i32, padT: i32, padL: i32,
  OH: i32, OW: i32, a: usize,
): void {
  let dst = a;
  for (let oy = 0; oy < OH; oy++) {
    for (let ox = 0; ox < OW; ox++) {
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
}

export function f32_im2col__simd(
  x: usize, H: i32, W: i32, C: i32, KH: i32, KW: i32, stride: i32, padT: i32, padL: i32,
  OH: i32, OW: i32, a: usize,
): void {
  const zero = f32x4.splat(0);
  const tapBytes = <usize>C << 2;
  let dst = a;
  for (let oy = 0; oy < OH; oy++) {
    for (let ox = 0; ox < OW; ox++) {
      for (let ky = 0; ky < KH; ky++) {
        const iy = oy * stride - padT + ky;
        for (let kx = 0; kx < KW; kx++) {
          const ix = ox * stride - padL + kx;
          if (iy >= 0 && iy < H && ix >= 0 && ix < W) {
            const src = x + (<usize>((iy * W + ix) * C) << 2);
            for (let c = 0; c < C; c += 4) v128.store(dst + (<usize>c << 2), v128.load(src + (<usize>c << 2)));
          } else {
            for (let c = 0; c < C; c += 4) v128.store(dst + (<usize>c << 2), zero);
          }
          dst += tapBytes;
        }
      }
    }
  }
}
