// Filter taps of one axis of an antialiased bilinear resize, computed once per axis.
//
// This is PIL's `precompute_coeffs` (libImaging/Resample.c), which torch's
// `_upsample_bilinear2d_aa` (antialias=True) copies: the triangle filter's support grows with
// the downscale factor so every source pixel contributes (antialiasing), sample centres sit
// at half pixels (align_corners=False), taps are clipped at the image border and the weights
// renormalized to sum to 1. PIL then rounds the weights to 22-bit fixed point and the pixels
// to u8 after each pass; we keep both in floating point, as torch does for float images.

export interface AxisTaps {
  /** Per output index: first source index and number of taps (0 = outside the image: padding). */
  first: Int32Array;
  count: Int32Array;
  /** Per output index, `stride` slots of weights; the first `count[i]` are used. */
  weights: Float64Array;
  stride: number;
}

/** Triangle ("bilinear") filter, support 1. */
const triangle = (x: number): number => {
  const a = Math.abs(x);
  return a < 1 ? 1 - a : 0;
};

/**
 * Taps for output indices `start … start+n-1` of a resize from `inSize` to `outSize` samples.
 * Only the window the crop keeps is computed; indices outside [0, outSize) get no taps.
 */
export function bilinearTaps(inSize: number, outSize: number, start: number, n: number): AxisTaps {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filterScale; // triangle support 1, widened when downscaling
  const invScale = 1 / filterScale; // multiplied, not divided, as PIL and torch do
  const stride = Math.ceil(support) * 2 + 1;
  const first = new Int32Array(n);
  const count = new Int32Array(n);
  const weights = new Float64Array(n * stride);
  for (let o = 0; o < n; o++) {
    const i = start + o;
    if (i < 0 || i >= outSize) continue;
    const center = (i + 0.5) * scale;
    // C's (int) cast truncates; PIL rounds the bounds with + 0.5 before it.
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xmax = Math.min(Math.trunc(center + support + 0.5), inSize);
    const base = o * stride;
    let total = 0;
    for (let x = xmin; x < xmax; x++) {
      const w = triangle((x - center + 0.5) * invScale);
      weights[base + x - xmin] = w;
      total += w;
    }
    // Drop zero taps at both ends (exact: they add 0), so the loops do no useless work.
    let lo = 0;
    let hi = xmax - xmin;
    while (hi > lo && weights[base + hi - 1] === 0) hi--;
    while (lo < hi && weights[base + lo] === 0) lo++;
    for (let k = lo; k < hi; k++) weights[base + k - lo] = total !== 0 ? weights[base + k] / total : weights[base + k];
    first[o] = xmin + lo;
    count[o] = hi - lo;
  }
  return { first, count, weights, stride };
}

/**
 * The source rows any output row reads, [y0, y0 + rows), with `taps.first` made relative to
 * y0 (in place), so the horizontal pass runs over those rows only.
 */
export function keepUsedRows(taps: { first: Int32Array; count: Int32Array }, inSize: number): { y0: number; rows: number } {
  let y0 = inSize;
  let y1 = 0;
  for (let i = 0; i < taps.first.length; i++) {
    if (taps.count[i] === 0) continue;
    y0 = Math.min(y0, taps.first[i]);
    y1 = Math.max(y1, taps.first[i] + taps.count[i]);
  }
  const rows = Math.max(y1 - y0, 0);
  for (let i = 0; i < taps.first.length; i++) taps.first[i] -= y0;
  return { y0, rows };
}
