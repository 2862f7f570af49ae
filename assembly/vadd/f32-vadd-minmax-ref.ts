// f32_vadd_minmax__ref: y = clamp(a + b, lo, hi), the scalar twin of f32_vadd_minmax__simd
// (same per-element arithmetic, so they agree bit for bit); its core does the SIMD tail.
// Params: F32VaddParams. Work unit: 16 elements. Memory: n f32 each; y may alias a or b.
import { F32VaddParams } from '../params';

export function f32_vadd_minmax__ref(params: usize, begin: i32, end: i32, local: usize): void {
  const p = changetype<F32VaddParams>(params);
  const i0 = begin << 4, i1 = min(end << 4, p.n);
  if (i0 >= i1) return;
  const at = <usize>i0 << 2;
  f32VaddRef(i1 - i0, p.a + at, p.b + at, p.lo, p.hi, p.y + at);
}

export function f32VaddRef(n: i32, a: usize, b: usize, lo: f32, hi: f32, y: usize): void {
  for (let i = 0; i < n; i++) {
    const p = <usize>i << 2;
    store<f32>(y + p, min<f32>(max<f32>(load<f32>(a + p) + load<f32>(b + p), lo), hi));
  }
}
