// qu8_vadd_minmax__simd: residual add of two u8 tensors with their own scales, ReLU fused.
//
// Params: Qu8VaddParams. Work unit: 16 elements (one vector).
// Memory contract: a, b, y hold n u8 each (y may alias a or b). Reads and writes exactly n
// bytes. y = clamp(nearest(f32(a − za)·ma + f32(b − zb)·mb), qmin − zy, qmax − zy) + zy,
// ma = sa/sy, mb = sb/sy; multiply and add round separately (no FMA), as the scalar twin.
import { Qu8VaddParams } from '../params';
import { requantize, requantizeOffset } from '../requantize';
import { vaddRef } from './qu8-vadd-minmax-ref';

@inline function lanes(a: v128, za: v128, ma: v128, b: v128, zb: v128, mb: v128, lo: v128, hi: v128, offset: v128): v128 {
  let v = f32x4.add(
    f32x4.mul(f32x4.convert_i32x4_s(i32x4.sub(a, za)), ma),
    f32x4.mul(f32x4.convert_i32x4_s(i32x4.sub(b, zb)), mb),
  );
  return requantize(v, lo, hi, offset);
}

export function qu8_vadd_minmax__simd(params: usize, begin: i32, end: i32, local: usize): void {
  const q = changetype<Qu8VaddParams>(params);
  const n = min(end << 4, q.n), a = q.a, za = q.za, ma = q.ma, b = q.b, zb = q.zb, mb = q.mb;
  const zy = q.zy, qmin = q.qmin, qmax = q.qmax, y = q.y;
  const vza = i32x4.splat(za), vzb = i32x4.splat(zb), offset = requantizeOffset(zy);
  const vma = f32x4.splat(ma), vmb = f32x4.splat(mb);
  const lo = f32x4.splat(<f32>(qmin - zy)), hi = f32x4.splat(<f32>(qmax - zy));
  const body = n & ~15;
  for (let i = begin << 4; i < body; i += 16) {
    const p = <usize>i;
    const va = v128.load(a + p), vb = v128.load(b + p);
    const al = i16x8.extend_low_i8x16_u(va), ah = i16x8.extend_high_i8x16_u(va);
    const bl = i16x8.extend_low_i8x16_u(vb), bh = i16x8.extend_high_i8x16_u(vb);
    const q0 = lanes(i32x4.extend_low_i16x8_u(al), vza, vma, i32x4.extend_low_i16x8_u(bl), vzb, vmb, lo, hi, offset);
    const q1 = lanes(i32x4.extend_high_i16x8_u(al), vza, vma, i32x4.extend_high_i16x8_u(bl), vzb, vmb, lo, hi, offset);
    const q2 = lanes(i32x4.extend_low_i16x8_u(ah), vza, vma, i32x4.extend_low_i16x8_u(bh), vzb, vmb, lo, hi, offset);
    const q3 = lanes(i32x4.extend_high_i16x8_u(ah), vza, vma, i32x4.extend_high_i16x8_u(bh), vzb, vmb, lo, hi, offset);
    const h0 = i16x8.narrow_i32x4_s(q0, q1);
    const h1 = i16x8.narrow_i32x4_s(q2, q3);
    v128.store(y + p, i8x16.narrow_i16x8_u(h0, h1));
  }
  if (body < n && body >= begin << 4) {
    const p = <usize>body;
    vaddRef(n - body, a + p, za, ma, b + p, zb, mb, zy, qmin, qmax, y + p);
  }
}
