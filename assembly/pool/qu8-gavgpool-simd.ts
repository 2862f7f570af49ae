// qu8_gavgpool__simd: global average pool, u8 HW×C → u8 C, requantized to the output scale.
//
// Params: Qu8GavgpoolParams. Work unit: 16 channels.
// Memory contract: x is HW×C u8, y is C u8; mult = sx / (HW · sy). Exact integer sums (HW ≤ 2^23),
// then y = clamp(nearest(f32(Σ x − HW·zx) · m), −zy, 255 − zy) + zy.

import { Qu8GavgpoolParams } from '../params';
import { requantize, requantizeOffset } from '../requantize';

@inline function requant(s: v128, bias: v128, m: v128, lo: v128, hi: v128, offset: v128): v128 {
  return requantize(f32x4.mul(f32x4.convert_i32x4_s(i32x4.sub(s, bias)), m), lo, hi, offset);
}

export function qu8_gavgpool__simd(params: usize, begin: i32, end: i32, local: usize): void {
  const q = changetype<Qu8GavgpoolParams>(params);
  const x = q.x, HW = q.HW, C = q.C, zx = q.zx, m = q.mult, zy = q.zy, y = q.y;
  const cEnd = min(end << 4, C);
  const body = cEnd & ~15;
  const vb = i32x4.splat(HW * zx), vm = f32x4.splat(m), offset = requantizeOffset(zy);
  const lo = f32x4.splat(<f32>(-zy)), hi = f32x4.splat(<f32>(<i32>255 - zy));
  for (let c = begin << 4; c < body; c += 16) {
    let s0 = i32x4.splat(0), s1 = i32x4.splat(0), s2 = i32x4.splat(0), s3 = i32x4.splat(0);
    for (let p = 0; p < HW; p++) {
      const v = v128.load(x + <usize>(p * C + c));
      const l = i16x8.extend_low_i8x16_u(v), h = i16x8.extend_high_i8x16_u(v);
      s0 = i32x4.add(s0, i32x4.extend_low_i16x8_u(l));
      s1 = i32x4.add(s1, i32x4.extend_high_i16x8_u(l));
      s2 = i32x4.add(s2, i32x4.extend_low_i16x8_u(h));
      s3 = i32x4.add(s3, i32x4.extend_high_i16x8_u(h));
    }
    const h0 = i16x8.narrow_i32x4_s(requant(s0, vb, vm, lo, hi, offset), requant(s1, vb, vm, lo, hi, offset));
    const h1 = i16x8.narrow_i32x4_s(requant(s2, vb, vm, lo, hi, offset), requant(s3, vb, vm, lo, hi, offset));
    v128.store(y + <usize>c, i8x16.narrow_i16x8_u(h0, h1));
  }
  const flo = <f32>(-zy), fhi = <f32>(<i32>255 - zy);
  for (let c = max(body, begin << 4); c < cEnd; c++) {
    let s: i32 = 0;
    for (let p = 0; p < HW; p++) s += load<u8>(x + <usize>(p * C + c));
    const v = min<f32>(max<f32>(nearest<f32>(<f32>(s - HW * zx) * m), flo), fhi);
    store<u8>(y + <usize>c, <u8>(<i32>v + zy));
  }
}
