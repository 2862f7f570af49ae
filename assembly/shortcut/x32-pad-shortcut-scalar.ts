// x32_pad_shortcut__scalar: the option-A shortcut on 32-bit NHWC (the fp32 path): subsample by
// `stride`, the input's C channels at c0..c0+C−1, every other channel the 32-bit pattern `fill`
// (0: +0.0). A copy, so it has one implementation. Params: PadShortcutParams. Work unit: an output row.
// Memory contract: x is H×W×C, y is OH×OW×Cout 32-bit elements, OH = ceil(H/stride), OW likewise,
// 0 ≤ c0 ≤ Cout − C.
import { PadShortcutParams } from '../params';

export function x32_pad_shortcut__scalar(params: usize, begin: i32, end: i32, local: usize): void {
  const p = changetype<PadShortcutParams>(params);
  const x = p.x, W = p.W, C = p.C, stride = p.stride, OW = p.OW, Cout = p.Cout, c0 = p.c0, fill = p.fill, y = p.y;
  for (let oy = begin, oyEnd = min(end, p.OH); oy < oyEnd; oy++) {
    for (let ox = 0; ox < OW; ox++) {
      const dst = y + (<usize>((oy * OW + ox) * Cout) << 2);
      for (let c = 0; c < c0; c++) store<i32>(dst + (<usize>c << 2), fill);
      memory.copy(dst + (<usize>c0 << 2), x + (<usize>(((oy * stride) * W + ox * stride) * C) << 2), <usize>C << 2);
      for (let c = c0 + C; c < Cout; c++) store<i32>(dst + (<usize>c << 2), fill);
    }
  }
}
