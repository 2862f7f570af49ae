// Scalar twin of qu8_gavgpool__simd: same params and work units (16 channels each).
import { Qu8GavgpoolParams } from '../params';

export function qu8_gavgpool__ref(params: usize, begin: i32, end: i32, local: usize): void {
  const q = changetype<Qu8GavgpoolParams>(params);
  const x = q.x, HW = q.HW, C = q.C, zx = q.zx, m = q.mult, zy = q.zy, y = q.y;
  const lo = <f32>(-zy), hi = <f32>(<i32>255 - zy);
  for (let c = begin << 4, cEnd = min(end << 4, C); c < cEnd; c++) {
    let s: i32 = 0;
    for (let p = 0; p < HW; p++) s += load<u8>(x + <usize>(p * C + c));
    let v = <f32>(s - HW * zx) * m;
    v = min<f32>(max<f32>(nearest<f32>(v), lo), hi);
    store<u8>(y + <usize>c, <u8>(<i32>v + zy));
  }
}
