// f32_qu8_quantize_nchw: the network input, NCHW f32 (as torch and ONNX take it) → NHWC u8.
// q = clamp(nearest(x · inv), −z, 255 − z) + z with inv = 1/scale rounded to f32 once.
// Runs once per image over ~150 k values, so a scalar loop is enough (one variant).
// Memory contract: x is C×HW f32, y is HW×C u8. NaN inputs are rejected by the caller.
export function f32_qu8_quantize_nchw(x: usize, C: i32, HW: i32, inv: f32, z: i32, y: usize): void {
  const lo = <f32>(-z), hi = <f32>(<i32>255 - z);
  for (let c = 0; c < C; c++) {
    const src = x + (<usize>(c * HW) << 2);
    for (let p = 0; p < HW; p++) {
      const v = min<f32>(max<f32>(nearest<f32>(load<f32>(src + (<usize>p << 2)) * inv), lo), hi);
      store<u8>(y + <usize>(p * C + c), <u8>(<i32>v + z));
    }
  }
}

// f32 twin: NCHW → NHWC transpose for the fp32 path.
export function f32_nchw_to_nhwc(x: usize, C: i32, HW: i32, y: usize): void {
  for (let c = 0; c < C; c++) {
    const src = x + (<usize>(c * HW) << 2);
    for (let p = 0; p < HW; p++) store<f32>(y + (<usize>(p * C + c) << 2), load<f32>(src + (<usize>p << 2)));
  }
}
