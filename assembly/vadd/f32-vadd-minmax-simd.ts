// f32_vadd_minmax__simd: y = clamp(a + b, lo, hi), 4 lanes at a time, bit-identical to the
// scalar twin. Params: F32VaddParams. Work unit: 16 elements. Memory: n f32 each; y may alias
// a or b.
import { F32VaddParams } from '../params';
import { f32VaddRef } from './f32-vadd-minmax-ref';

export function f32_vadd_minmax__simd(params: usize, begin: i32, end: i32, local: usize): void {
  const q = changetype<F32VaddParams>(params);
  const n = min(end << 4, q.n), a = q.a, b = q.b, y = q.y, lo = q.lo, hi = q.hi;
  const vlo = f32x4.splat(lo), vhi = f32x4.splat(hi);
  const start = begin << 4;
  const body = n & ~3;
  for (let i = start; i < body; i += 4) {
    const p = <usize>i << 2;
    v128.store(y + p, f32x4.pmin(f32x4.pmax(f32x4.add(v128.load(a + p), v128.load(b + p)), vlo), vhi));
  }
  const tail = max(body, start);
  if (tail < n) f32VaddRef(n - tail, a + (<usize>tail << 2), b + (<usize>tail << 2), lo, hi, y + (<usize>tail << 2));
}
