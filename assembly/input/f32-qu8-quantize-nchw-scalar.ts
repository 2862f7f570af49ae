// f32_qu8_quantize_nchw__scalar: the network input, NCHW f32 (as torch and ONNX take it) → NHWC
// u8. q = clamp(nearest(x · inv), −z, 255 − z) + z with inv = 1/scale rounded to f32 once.
// Runs once per image over ~150 k values, so a scalar loop is enough (one implementation).
// Params: F32Qu8QuantizeParams. Work unit: a pixel (all its channels).
// Memory contract: x is C×HW f32, y is HW×C u8. NaN inputs are rejected by the caller.
import { F32Qu8QuantizeParams } from '../params';

export function f32_qu8_quantize_nchw__scalar(params: usize, begin: i32, end: i32, local: usize): void {
  const q = changetype<F32Qu8QuantizeParams>(params);
  const x = q.x, C = q.C, HW = q.HW, inv = q.inv, z = q.z, y = q.y;
  const lo = <f32>(-z), hi = <f32>(<i32>255 - z);
  const pEnd = min(end, HW);
  for (let c = 0; c < C; c++) {
    const src = x + (<usize>(c * HW) << 2);
    for (let p = begin; p < pEnd; p++) {
      const v = min<f32>(max<f32>(nearest<f32>(load<f32>(src + (<usize>p << 2)) * inv), lo), hi);
      store<u8>(y + <usize>(p * C + c), <u8>(<i32>v + z));
    }
  }
}
