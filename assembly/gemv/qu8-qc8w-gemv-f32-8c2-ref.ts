// Scalar twin of qu8_qc8w_gemv_f32_8c2__simd: same params and work units.
import { Qu8GemvParams } from '../params';

export function qu8_qc8w_gemv_f32_8c2__ref(params: usize, begin: i32, end: i32, local: usize): void {
  const p = changetype<Qu8GemvParams>(params);
  const Kp = p.Kp, a = p.a, w = p.w, bias = p.bias, scale = p.scale, y = p.y;
  for (let n = begin << 3, nEnd = min(end << 3, p.N); n < nEnd; n++) {
    const wblock = w + <usize>((n >> 3) * Kp * 8 + (n & 7) * 2);
    let acc: i32 = 0;
    for (let k = 0; k < Kp; k += 2) {
      const wp = wblock + <usize>(k * 8);
      const ap = a + <usize>(k * 8); // 4c2 layout, row 0
      acc += <i32>load<i16>(ap) * <i32>load<i8>(wp) + <i32>load<i16>(ap, 2) * <i32>load<i8>(wp, 1);
    }
    store<f32>(y + (<usize>n << 2), <f32>(acc + load<i32>(bias + (<usize>n << 2))) * load<f32>(scale + (<usize>n << 2)));
  }
}
