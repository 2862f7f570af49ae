// torchvision's ToTensor + Normalize on u8 pixels, in float32 as torch computes them:
// x = fround(v / 255), then fround(fround(x − fround(mean)) / fround(std)). Each is one
// correctly rounded f32 operation, which an f64 operation followed by Math.fround equals
// (f64 has more than 2·24 + 2 bits). With 256 possible inputs it is a table per channel.

/** The 256 normalized values of channel `c`. */
export function normalizeTable(mean: number, std: number): Float32Array {
  const m = Math.fround(mean);
  const s = Math.fround(std);
  const t = new Float32Array(256);
  for (let v = 0; v < 256; v++) t[v] = Math.fround(Math.fround(v / 255) - m) / s;
  return t;
}

/**
 * Interleaved u8 (`pixels × planes`) → planar normalized f32 (`channels × pixels`). A single
 * plane is replicated on every output channel, each with its own mean and std.
 */
export function toTensorNormalize(
  u8: Uint8Array | Uint8ClampedArray,
  planes: number,
  mean: readonly number[],
  std: readonly number[],
  out: Float32Array,
): void {
  const pixels = u8.length / planes;
  for (let c = 0; c < mean.length; c++) {
    const table = normalizeTable(mean[c], std[c]);
    const plane = planes === 1 ? 0 : c;
    const o = c * pixels;
    for (let i = 0; i < pixels; i++) out[o + i] = table[u8[i * planes + plane]];
  }
}
