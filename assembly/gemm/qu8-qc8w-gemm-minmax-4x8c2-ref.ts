// Scalar twin of qu8_qc8w_gemm_minmax_4x8c2__simd: same params, layouts and work units, same
// arithmetic (docs/ARCHITECTURE.md, "Numerics"), so the results are equal bit for bit.
import { Qu8GemmParams } from '../params';

export function qu8_qc8w_gemm_minmax_4x8c2__ref(params: usize, begin: i32, end: i32, local: usize): void {
  const p = changetype<Qu8GemmParams>(params);
  const M = p.M, N = p.N;
  // Units as in the SIMD kernel: blocks of 8 channels if they outnumber groups of 4 rows.
  const byChannels = (N + 7) >> 3 > (M + 3) >> 2;
  const m0 = byChannels ? 0 : begin << 2, m1 = byChannels ? M : min(end << 2, M);
  const n0 = byChannels ? begin << 3 : 0, n1 = byChannels ? min(end << 3, N) : N;
  const Kp = p.Kp, a = p.a, w = p.w, bias = p.bias, mult = p.mult, y = p.y, yStride = <usize>p.yStride;
  const zy = p.zy, resid = p.residual, zr = p.zr, rmult = p.residualMult;
  const lo = <f32>(p.qmin - zy);
  const hi = <f32>(p.qmax - zy);
  for (let m = m0; m < m1; m++) {
    const arow = a + (<usize>((m >> 2) * Kp * 4 + (m & 3) * 2) << 1); // 4c2 layout
    for (let n = n0; n < n1; n++) {
      const wcol = w + <usize>((n >> 3) * Kp * 8 + (n & 7) * 2); // 8c2 layout
      let acc: i32 = 0;
      for (let k = 0; k < Kp; k += 2) {
        const ap = arow + <usize>(k * 8), wp = wcol + <usize>(k * 8);
        acc += <i32>load<i16>(ap) * <i32>load<i8>(wp) + <i32>load<i16>(ap, 2) * <i32>load<i8>(wp, 1);
      }
      let v = <f32>(acc + load<i32>(bias + (<usize>n << 2))) * load<f32>(mult + (<usize>n << 2));
      if (resid != 0) v = v + <f32>(<i32>load<u8>(resid + <usize>m * yStride + <usize>n) - zr) * rmult;
      v = min<f32>(max<f32>(nearest<f32>(v), lo), hi);
      store<u8>(y + <usize>m * yStride + <usize>n, <u8>(<i32>v + zy));
    }
  }
}
