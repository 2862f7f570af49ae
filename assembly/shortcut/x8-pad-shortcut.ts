// x8_pad_shortcut: the ResNet paper's option-A shortcut on u8 NHWC: subsample by `stride`,
// place the input's C channels at channels c0..c0+C−1 and fill the others (0..c0−1 and
// c0+C..Cout−1) with the zero point `fill` (real zero). A copy, so one variant.
// Memory contract: x is H×W×C u8, y is OH×OW×Cout u8, OH = ceil(H/stride), OW likewise,
// 0 ≤ c0 ≤ Cout − C. Reads and writes nothing outside those.
export function x8_pad_shortcut(
  x: usize, H: i32, W: i32, C: i32, stride: i32, OH: i32, OW: i32, Cout: i32, c0: i32, fill: i32, y: usize,
): void {
  const after = Cout - c0 - C;
  for (let oy = 0; oy < OH; oy++) {
    for (let ox = 0; ox < OW; ox++) {
      const dst = y + <usize>((oy * OW + ox) * Cout);
      memory.fill(dst, <u8>fill, <usize>c0);
      memory.copy(dst + <usize>c0, x + <usize>(((oy * stride) * W + ox * stride) * C), <usize>C);
      memory.fill(dst + <usize>(c0 + C), <u8>fill, <usize>after);
    }
  }
  void H;
}

// f32 twin for the fp32 path: padding channels are 0.0.
export function x32_pad_shortcut(
  x: usize, H: i32, W: i32, C: i32, stride: i32, OH: i32, OW: i32, Cout: i32, c0: i32, y: usize,
): void {
  const after = Cout - c0 - C;
  for (let oy = 0; oy < OH; oy++) {
    for (let ox = 0; ox < OW; ox++) {
      const dst = y + (<usize>((oy * OW + ox) * Cout) << 2);
      memory.fill(dst, 0, <usize>c0 << 2);
      memory.copy(dst + (<usize>c0 << 2), x + (<usize>(((oy * stride) * W + ox * stride) * C) << 2), <usize>C << 2);
      memory.fill(dst + (<usize>(c0 + C) << 2), 0, <usize>after << 2);
    }
  }
  void H;
}
