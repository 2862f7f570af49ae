// Scalar twin of qu8_qc8w_gemv_f32_8c2__simd.
export function qu8_qc8w_gemv_f32__ref(
  N: i32, Kp: i32, a: usize, w: usize, bias: usize, scale: usize, y: usize,
): void {
  for (let n = 0; n < N; n++) {
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
