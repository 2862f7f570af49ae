// f32_gavgpool__simd: global average pool, 4 channels at a time in the scalar twin's order.
// Params: F32GavgpoolParams. Work unit: 4 channels.
import { F32GavgpoolParams } from '../params';

export function f32_gavgpool__simd(params: usize, begin: i32, end: i32, local: usize): void {
  const q = changetype<F32GavgpoolParams>(params);
  const x = q.x, HW = q.HW, C = q.C, y = q.y;
  const cEnd = min(end << 2, C);
  const body = cEnd & ~3;
  const vinv = f32x4.splat(q.inv);
  for (let c = begin << 2; c < body; c += 4) {
    let s = f32x4.splat(0);
    for (let p = 0; p < HW; p++) s = f32x4.add(s, v128.load(x + (<usize>(p * C + c) << 2)));
    v128.store(y + (<usize>c << 2), f32x4.mul(s, vinv));
  }
  for (let c = max(body, begin << 2); c < cEnd; c++) {
    let s: f32 = 0;
    for (let p = 0; p < HW; p++) s += load<f32>(x + (<usize>(p * C + c) << 2));
    store<f32>(y + (<usize>c << 2), s * q.inv);
  }
}
