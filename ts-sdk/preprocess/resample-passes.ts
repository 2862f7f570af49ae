// The two separable passes of the resize, horizontal first as PIL and torch do (the order
// changes float rounding only, but keeping it keeps us closest to both).
//
// Memory contract: `src` is interleaved u8, `pixelStride` samples per pixel, rows packed.
// The horizontal pass writes `rows × outW × planes` f32 (planes interleaved) into `tmp` for
// source rows [y0, y0 + rows); the vertical pass reads it back. No u8 rounding in between.
import type { AxisTaps } from './resample-weights.ts';

/** Which planes the horizontal pass produces from the source pixels. */
export type SourceMode =
  | 'rgb' // 3 planes: samples 0, 1, 2 of each pixel (alpha skipped)
  | 'gray' // 1 plane: sample 0
  | 'luma'; // 1 plane: PIL's convert('L') of samples 0, 1, 2

/**
 * PIL's convert('L') (Pillow ≥ 8.3, libImaging/Convert.c `L24`): ITU-R 601-2 weights
 * 299/1000, 587/1000, 114/1000 in 16-bit fixed point, rounded to the nearest u8.
 */
export const luma = (r: number, g: number, b: number): number => (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;

export function horizontalPass(
  src: Uint8Array | Uint8ClampedArray,
  srcW: number,
  pixelStride: number,
  mode: SourceMode,
  taps: AxisTaps,
  y0: number,
  rows: number,
  tmp: Float32Array,
): void {
  // One loop per mode: a mode test inside the pixel loop costs ~20% on a 4 MP photo.
  const pass = mode === 'rgb' ? rowsRgb : mode === 'gray' ? rowsGray : rowsLuma;
  pass(src, srcW * pixelStride, pixelStride, taps, y0, rows, tmp);
}

type RowsFn = (
  src: Uint8Array | Uint8ClampedArray,
  rowStride: number,
  ps: number,
  taps: AxisTaps,
  y0: number,
  rows: number,
  tmp: Float32Array,
) => void;

const rowsRgb: RowsFn = (src, rowStride, ps, { first, count, weights, stride }, y0, rows, tmp) => {
  const outW = first.length;
  let t = 0;
  for (let y = y0; y < y0 + rows; y++) {
    for (let ox = 0; ox < outW; ox++) {
      let p = y * rowStride + first[ox] * ps;
      let wi = ox * stride;
      let r = 0,
        g = 0,
        b = 0;
      for (const end = wi + count[ox]; wi < end; wi++, p += ps) {
        const w = weights[wi];
        r += w * src[p];
        g += w * src[p + 1];
        b += w * src[p + 2];
      }
      tmp[t++] = r;
      tmp[t++] = g;
      tmp[t++] = b;
    }
  }
};

const rowsGray: RowsFn = (src, rowStride, ps, { first, count, weights, stride }, y0, rows, tmp) => {
  const outW = first.length;
  let t = 0;
  for (let y = y0; y < y0 + rows; y++) {
    for (let ox = 0; ox < outW; ox++) {
      let p = y * rowStride + first[ox] * ps;
      let wi = ox * stride;
      let v = 0;
      for (const end = wi + count[ox]; wi < end; wi++, p += ps) v += weights[wi] * src[p];
      tmp[t++] = v;
    }
  }
};

const rowsLuma: RowsFn = (src, rowStride, ps, { first, count, weights, stride }, y0, rows, tmp) => {
  const outW = first.length;
  let t = 0;
  for (let y = y0; y < y0 + rows; y++) {
    for (let ox = 0; ox < outW; ox++) {
      let p = y * rowStride + first[ox] * ps;
      let wi = ox * stride;
      let v = 0;
      for (const end = wi + count[ox]; wi < end; wi++, p += ps) v += weights[wi] * luma(src[p], src[p + 1], src[p + 2]);
      tmp[t++] = v;
    }
  }
};

/**
 * Vertical pass fused with ToTensor's /255, Normalize and the NHWC → NCHW transpose.
 * `taps.first` is relative to the first row held in `tmp`. A single plane is replicated
 * on every output channel, each with its own mean and std.
 */
export function verticalPassNormalize(
  tmp: Float32Array,
  outW: number,
  planes: number,
  taps: AxisTaps,
  mean: readonly number[],
  std: readonly number[],
  out: Float32Array,
): void {
  const { first, count, weights, stride } = taps;
  const outH = first.length;
  const channels = mean.length;
  const rowLen = outW * planes;
  const acc = new Float64Array(rowLen);
  const hw = outH * outW;
  for (let oy = 0; oy < outH; oy++) {
    acc.fill(0);
    // Row-at-a-time accumulation: sequential reads of tmp instead of a strided walk per pixel.
    for (let k = 0; k < count[oy]; k++) {
      const w = weights[oy * stride + k];
      const base = (first[oy] + k) * rowLen;
      for (let j = 0; j < rowLen; j++) acc[j] += w * tmp[base + j];
    }
    for (let c = 0; c < channels; c++) {
      const m = mean[c];
      const s = std[c];
      const plane = planes === 1 ? 0 : c;
      let o = c * hw + oy * outW;
      for (let x = 0; x < outW; x++) out[o++] = (acc[x * planes + plane] / 255 - m) / s;
    }
  }
}
