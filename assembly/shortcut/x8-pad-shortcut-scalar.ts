// x8_pad_shortcut__scalar: the ResNet paper's option-A shortcut on u8 NHWC: subsample by
// `stride`, place the input's C channels at channels c0..c0+C−1 and fill the others
// (0..c0−1 and c0+C..Cout−1) with the zero point `fill` (real zero). PyTorch's common form,
// F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, p, p)), has c0 = p. A copy (memory.copy / memory.fill),
// so it has one implementation.
// Params: PadShortcutParams. Work unit: an output row.
// Memory contract: x is H×W×C u8, y is OH×OW×Cout u8, OH = ceil(H/stride), OW likewise,
// 0 ≤ c0 ≤ Cout − C. Reads and writes nothing outside those.
import { PadShortcutParams } from '../params';

export function x8_pad_shortcut__scalar(params: usize, begin: i32, end: i32, local: usize): void {
  const p = changetype<PadShortcutParams>(params);
  const x = p.x, W = p.W, C = p.C, stride = p.stride, OW = p.OW, Cout = p.Cout, c0 = p.c0, fill = p.fill, y = p.y;
  const after = Cout - c0 - C;
  for (let oy = begin, oyEnd = min(end, p.OH); oy < oyEnd; oy++) {
    for (let ox = 0; ox < OW; ox++) {
      const dst = y + <usize>((oy * OW + ox) * Cout);
      memory.fill(dst, <u8>fill, <usize>c0);
      memory.copy(dst + <usize>c0, x + <usize>(((oy * stride) * W + ox * stride) * C), <usize>C);
      memory.fill(dst + <usize>(c0 + C), <u8>fill, <usize>after);
    }
  }
}
