// x8_pad_shortcut__scalar: the ResNet paper's option-A shortcut on u8 NHWC: subsample by
// `stride`, then pad channels C..Cout−1 with the zero point `fill` (real zero). A copy
// (memory.copy / memory.fill), so it has one implementation.
// Params: PadShortcutParams. Work unit: an output row.
// Memory contract: x is H×W×C u8, y is OH×OW×Cout u8, OH = ceil(H/stride), OW likewise.
import { PadShortcutParams } from '../params';

export function x8_pad_shortcut__scalar(params: usize, begin: i32, end: i32, local: usize): void {
  const p = changetype<PadShortcutParams>(params);
  const x = p.x, W = p.W, C = p.C, stride = p.stride, OW = p.OW, Cout = p.Cout, fill = p.fill, y = p.y;
  for (let oy = begin, oyEnd = min(end, p.OH); oy < oyEnd; oy++) {
    for (let ox = 0; ox < OW; ox++) {
      const dst = y + <usize>((oy * OW + ox) * Cout);
      memory.copy(dst, x + <usize>(((oy * stride) * W + ox * stride) * C), <usize>C);
      memory.fill(dst + <usize>C, <u8>fill, <usize>(Cout - C));
    }
  }
}
