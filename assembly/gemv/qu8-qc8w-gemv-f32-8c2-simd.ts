// qu8_qc8w_gemv_f32_8c2__simd: the fully connected head, y = f32(a · Wᵀ + bias) · scale.
//
// Params: Qu8GemvParams. Work unit: a block of 8 outputs (NR).
// Memory contract
//   a:     i16 "4c2" layout (qu8_im2col_4c2 of a 1×1×C input): row 0 of group 0 is used,
//          its k pair at byte 16·(k/2). Kp even.
//   w:     int8 8c2 layout [ceil(N/8)][Kp/2][8][2].
//   bias:  i32[ceil(N/8)·8]; scale: f32[ceil(N/8)·8] (= sx · sw[n]), padded to blocks of 8.
//   y:     N f32. Writes exactly N values.
// Lane indices must be constants, hence the unrolled tail.
import { Qu8GemvParams } from '../params';

@inline function storeTail(dst: usize, v0: v128, v1: v128, n: i32): void {
  store<f32>(dst, f32x4.extract_lane(v0, 0));
  if (n > 1) store<f32>(dst, f32x4.extract_lane(v0, 1), 4);
  if (n > 2) store<f32>(dst, f32x4.extract_lane(v0, 2), 8);
  if (n > 3) store<f32>(dst, f32x4.extract_lane(v0, 3), 12);
  if (n > 4) store<f32>(dst, f32x4.extract_lane(v1, 0), 16);
  if (n > 5) store<f32>(dst, f32x4.extract_lane(v1, 1), 20);
  if (n > 6) store<f32>(dst, f32x4.extract_lane(v1, 2), 24);
}

export function qu8_qc8w_gemv_f32_8c2__simd(params: usize, begin: i32, end: i32, local: usize): void {
  const p = changetype<Qu8GemvParams>(params);
  const N = p.N, a = p.a, bias = p.bias, scale = p.scale, y = p.y;
  const blockBytes = <usize>p.Kp << 3;
  for (let n0 = begin << 3, nEnd = min(end << 3, N); n0 < nEnd; n0 += 8) {
    let c0 = i32x4.splat(0), c1 = i32x4.splat(0);
    let wp = p.w + <usize>(n0 >> 3) * blockBytes;
    const wEnd = wp + blockBytes;
    let ap = a;
    while (wp < wEnd) {
      const x = v128.load32_splat(ap);
      c0 = i32x4.add(c0, i32x4.dot_i16x8_s(x, v128.load8x8_s(wp)));
      c1 = i32x4.add(c1, i32x4.dot_i16x8_s(x, v128.load8x8_s(wp, 8)));
      wp += 16;
      ap += 16;
    }
    const b = bias + (<usize>n0 << 2);
    const s = scale + (<usize>n0 << 2);
    const v0 = f32x4.mul(f32x4.convert_i32x4_s(i32x4.add(c0, v128.load(b))), v128.load(s));
    const v1 = f32x4.mul(f32x4.convert_i32x4_s(i32x4.add(c1, v128.load(b, 16))), v128.load(s, 16));
    const dst = y + (<usize>n0 << 2);
    if (N - n0 >= 8) {
      v128.store(dst, v0);
      v128.store(dst, v1, 16);
    } else {
      storeTail(dst, v0, v1, N - n0);
    }
  }
}
