// Scalar twin of qu8_qc8w_gemm_minmax_4x8c2__simd: same arguments and layouts, same
// arithmetic (docs/ARCHITECTURE.md, "Numerics"), so the results are equal bit for bit.
export function qu8_qc8w_gemm_minmax__ref(
  M: i32, N: i32, Kp: i32, a: usize, w: usize, bias: usize, mult: usize,
  zy: i32, qmin: i32, qmax: i32, y: usize, yStride: usize, resid: usize, zr: i32, mr: f32,
): void {
  const lo = <f32>(qmin - zy);
  const hi = <f32>(qmax - zy);
  for (let m = 0; m < M; m++) {
    const arow = a + (<usize>((m >> 2) * Kp * 4 + (m & 3) * 2) << 1); // 4c2 layout
    for (let n = 0; n < N; n++) {
      const wcol = w + <usize>((n >> 3) * Kp * 8 + (n & 7) * 2); // 8c2 layout
      let acc: i32 = 0;
      for (let k = 0; k < Kp; k += 2) {
        const ap = arow + <usize>(k * 8), wp = wcol + <usize>(k * 8);
        acc += <i32>load<i16>(ap) * <i32>load<i8>(wp) + <i32>load<i16>(ap, 2) * <i32>load<i8>(wp, 1);
      }
      let v = <f32>(acc + load<i32>(bias + (<usize>n << 2))) * load<f32>(mult + (<usize>n << 2));
      if (resid != 0) v = v + <f32>(<i32>load<u8>(resid + <usize>m * yStride + <usize>n) - zr) * mr;
      v = min<f32>(max<f32>(nearest<f32>(v), lo), hi);
      store<u8>(y + <usize>m * yStride + <usize>n, <u8>(<i32>v + zy));
    }
  }
}
