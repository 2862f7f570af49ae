// Scalar twin of qu8_vadd_minmax__simd.
export function qu8_vadd_minmax__ref(
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
