// Scalar twin of qu8_gavgpool__simd.
export function qu8_gavgpool__ref(x: usize, HW: i32, C: i32, zx: i32, m: f32, zy: i32, y: usize): void {
  const lo = <f32>(-zy), hi = <f32>(<i32>255 - zy);
  for (let c = 0; c < C; c++) {
    let s: i32 = 0;
    for (let p = 0; p < HW; p++) s += load<u8>(x + <usize>(p * C + c));
    let v = <f32>(s - HW * zx) * m;
    v = min<f32>(max<f32>(nearest<f32>(v), lo), hi);
    store<u8>(y + <usize>c, <u8>(<i32>v + zy));
  }
}
