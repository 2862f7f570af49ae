// Per-output-channel symmetric int8 quantization of a conv or fc layer's float weights and
// biases (docs/ARCHITECTURE.md, "Numerics"): the one place it is done, for the converter
// (weights/convert/quantize.ts) and for heads trained on-device (ts-sdk/head/). Rounding is
// ties to even, the kernels' f32x4.nearest rule.

export const roundHalfEven = (v: number): number => {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/**
 * `w` is [N][K] (row n = output channel n), `b` [N], `sx` the layer input's activation scale.
 * Returns int8 weights (logical [N][K], not yet packed), f32 scales `sw[n] = max|w[n]| / 127`,
 * i32 biases `round(b[n] / (sx · sw[n]))` clamped to i32, and how many biases were clamped.
 */
export function quantizeRows(w: ArrayLike<number>, b: ArrayLike<number>, N: number, sx: number) {
  const K = w.length / N;
  const qw = new Int8Array(N * K);
  const scales = new Float32Array(N);
  for (let o = 0; o < N; o++) {
    let m = 0;
    for (let k = 0; k < K; k++) m = Math.max(m, Math.abs(w[o * K + k]));
    // An all-zero channel gets the unit channel's scale: any positive value works, and the bias keeps its precision.
    const sw = Math.fround(m > 0 ? m / 127 : 1 / 127);
    scales[o] = sw;
    for (let k = 0; k < K; k++) qw[o * K + k] = clamp(roundHalfEven(w[o * K + k] / sw), -127, 127);
  }
  return { w: qw, scales, K, ...quantizeBiases(b, scales, sx) };
}

/** i32 biases `round(b[n] / (sx · sw[n]))` clamped to i32, and how many were clamped. */
export function quantizeBiases(b: ArrayLike<number>, scales: Float32Array, sx: number) {
  const bias = new Int32Array(scales.length);
  let saturated = 0;
  for (let o = 0; o < scales.length; o++) {
    const bq = roundHalfEven(b[o] / (sx * scales[o]));
    if (Math.abs(bq) > 2147483647) saturated++;
    bias[o] = clamp(bq, -2147483648, 2147483647);
  }
  return { bias, saturated };
}
