// Scalar twin of qu8_vadd_minmax__simd: same params and work units (16 elements each). Its
// core also does the SIMD kernel's tail.
import { Qu8VaddParams } from '../params';

export function qu8_vadd_minmax__ref(params: usize, begin: i32, end: i32, local: usize): void {
  const p = changetype<Qu8VaddParams>(params);
  const i0 = begin << 4, i1 = min(end << 4, p.n);
  if (i0 >= i1) return;
  const at = <usize>i0;
  vaddRef(i1 - i0, p.a + at, p.za, p.ma, p.b + at, p.zb, p.mb, p.zy, p.qmin, p.qmax, p.y + at);
}

export function vaddRef(
  n: i32, a: usize, za: i32, ma: f32, b: usize, zb: i32, mb: f32,
  zy: i32, qmin: i32, qmax: i32, y: usize,
): void {
  const lo = <f32>(qmin - zy);
  const hi = <f32>(qmax - zy);
  for (let i = 0; i < n; i++) {
    const p = <usize>i;
    let v = <f32>(<i32>load<u8>(a + p) - za) * ma + <f32>(<i32>load<u8>(b + p) - zb) * mb;
    v = min<f32>(max<f32>(nearest<f32>(v), lo), hi);
    store<u8>(y + p, <u8>(<i32>v + zy));
  }
}
