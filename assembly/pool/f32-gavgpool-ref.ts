// f32_gavgpool__ref: y[c] = (Σ_p x[p][c], summed in p order) · inv, inv = 1/HW as f32; the
// scalar twin of f32_gavgpool__simd. Params: F32GavgpoolParams. Work unit: 4 channels.
import { F32GavgpoolParams } from '../params';

export function f32_gavgpool__ref(params: usize, begin: i32, end: i32, local: usize): void {
  const q = changetype<F32GavgpoolParams>(params);
  const x = q.x, HW = q.HW, C = q.C, inv = q.inv, y = q.y;
  for (let c = begin << 2, cEnd = min(end << 2, C); c < cEnd; c++) {
    let s: f32 = 0;
    for (let p = 0; p < HW; p++) s += load<f32>(x + (<usize>(p * C + c) << 2));
    store<f32>(y + (<usize>c << 2), s * inv);
  }
}
