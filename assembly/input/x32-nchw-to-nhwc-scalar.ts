// x32_nchw_to_nhwc__scalar: NCHW → NHWC transpose of 32-bit elements (the fp32 path's input).
// A copy, so one implementation. Params: NchwToNhwcParams. Work unit: a pixel (all channels).
// Memory contract: x is C×HW, y is HW×C elements.
import { NchwToNhwcParams } from '../params';

export function x32_nchw_to_nhwc__scalar(params: usize, begin: i32, end: i32, local: usize): void {
  const q = changetype<NchwToNhwcParams>(params);
  const x = q.x, C = q.C, HW = q.HW, y = q.y;
  const pEnd = min(end, HW);
  for (let c = 0; c < C; c++) {
    const src = x + (<usize>(c * HW) << 2);
    for (let p = begin; p < pEnd; p++) store<u32>(y + (<usize>(p * C + c) << 2), load<u32>(src + (<usize>p << 2)));
  }
}
