// Integer filter taps of one axis of Pillow's bilinear resize (resizeMode 'pil'), computed
// once per axis so the passes do only integer multiply-adds.
//
// Pillow's ImagingResample for 8-bit images (libImaging/Resample.c; checked bit for bit
// against Pillow 9.4, the one torchvision 0.14 runs with here): the same triangle filter,
// widened support and clipped, renormalized taps as resample-weights.ts, computed in double
// in the same order (so the doubles are identical), then each weight turned into fixed point
// with 22 fractional bits (32 − 8 − 2: 8 bits of pixel, 2 of headroom), rounding halves away
// from zero. The passes start every sum at half a unit and shift right, i.e. round half up,
// then clip to [0, 255]. That u8 rounding after each pass (and weights that need not sum to
// exactly 2^22) is why the result differs from the float resize's: by up to about one level,
// a quarter of a level on average.

/** Fractional bits of the fixed-point weights (resample-pil-passes.ts repeats it as a literal). */
export const PRECISION_BITS = 22;

export interface FixedTaps {
  /** Per output index: first source index and number of taps (0 = outside the image: padding). */
  first: Int32Array;
  count: Int32Array;
  /** Per output index, `stride` slots of weights in units of 2^-22; the first `count[i]` are used. */
  weights: Int32Array;
  stride: number;
}

/**
 * Taps for output indices `start … start+n-1` of a resize from `inSize` to `outSize` samples
 * over the whole source (Pillow's box (0, 0, w, h), which is what `Image.resize` passes when
 * no box is given). Indices outside [0, outSize) get no taps.
 */
export function pilBilinearTaps(inSize: number, outSize: number, start: number, n: number): FixedTaps {
  const scale = inSize / outSize; // (double)(in1 - in0) / outSize with in0 = 0, in1 = inSize (exact floats)
  const filterScale = Math.max(scale, 1);
  const support = filterScale; // bilinear support 1, widened when downscaling
  const ss = 1 / filterScale;
  const stride = Math.ceil(support) * 2 + 1;
  const first = new Int32Array(n);
  const count = new Int32Array(n);
  const weights = new Int32Array(n * stride);
  const k = new Float64Array(stride);
  for (let o = 0; o < n; o++) {
    const i = start + o;
    if (i < 0 || i >= outSize) continue;
    const center = (i + 0.5) * scale;
    // Bounds rounded with + 0.5 then truncated, as C's (int) cast does.
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const len = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    let total = 0;
    for (let x = 0; x < len; x++) {
      const d = Math.abs((x + xmin - center + 0.5) * ss);
      const w = d < 1 ? 1 - d : 0;
      k[x] = w;
      total += w;
    }
    // Normalize by division (not by a reciprocal) and round to fixed point, exactly as
    // Pillow's normalize_coeffs_8bpc: (int)(0.5 + k·2^22); the triangle is never negative.
    // Scaling by 2^22 is exact; only the + 0.5 can round, then the cast truncates.
    const base = o * stride;
    for (let x = 0; x < len; x++) weights[base + x] = Math.trunc(0.5 + (total !== 0 ? k[x] / total : k[x]) * (1 << PRECISION_BITS));
    // Drop zero weights at both ends: they add exactly 0 to the integer sums.
    let lo = 0;
    let hi = len;
    while (hi > lo && weights[base + hi - 1] === 0) hi--;
    while (lo < hi && weights[base + lo] === 0) lo++;
    if (lo > 0) weights.copyWithin(base, base + lo, base + hi);
    weights.fill(0, base + hi - lo, base + stride);
    first[o] = xmin + lo;
    count[o] = hi - lo;
  }
  return { first, count, weights, stride };
}
