// x32_pad_shortcut__scalar: the option-A shortcut on 32-bit NHWC (the fp32 path): subsample by
// `stride`, pad channels C..Cout−1 with the 32-bit pattern `fill` (0: +0.0). A copy, so it has
// one implementation. Params: PadShortcutParams. Work unit: an output row.
// Memory contract: x is H×W×C, y is OH×OW×Cout 32-bit elements, OH = ceil(H/stride), OW likewise.
import { PadShortcutParams } from '../params';

export function x32_pad_shortcut__scalar(params: usize, begin: i32, end: i32, local: usize): void {
  const p = changetype<PadShortcutParams>(params);
  const x = p.x, W = p.W, C = p.C, stride = p.stride, OW = p.OW, Cout = p.Cout, fill = p.fill, y = p.y;
  for (let oy = begin, oyEnd = min(end, p.OH); oy < oyEnd; oy++) {
    for (let ox = 0; ox < OW; ox++) {
      const dst = y + (<usize>((oy * OW + ox) * Cout) << 2);
      memory.copy(dst, x + (<usize>(((oy * stride) * W + ox * stride) * C) << 2), <usize>C << 2);
      for (let c = C; c < Cout; c++) store<i32>(dst + (<usize>c << 2), fill);
    }
  }
}
