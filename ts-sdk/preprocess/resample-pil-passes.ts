// Pillow's two 8-bit resize passes (resizeMode 'pil'), horizontal then vertical, each
// rounding to u8 and clipping, as ImagingResampleHorizontal_8bpc / _Vertical_8bpc do.
//
// Memory contract: `src` is interleaved u8, `pixelStride` samples per pixel, rows packed.
// The horizontal pass writes `rows × outW × planes` u8 (planes interleaved) into `tmp` for
// source rows [y0, y0 + rows); the vertical pass reads it back and writes `outH × outW ×
// planes` u8. Sums are integers below 2^31 (weights ≤ 2^22 summing to ~2^22, samples ≤ 255),
// so they are exact in a double and `>>` is safe. The destinations are Uint8ClampedArray so
// that the store does Pillow's clip to [0, 255]. A tap count of 0 (padding) stores 0.
import type { SourceMode } from './resample-passes.ts';
import { luma } from './resample-passes.ts';
import type { FixedTaps } from './resample-pil-weights.ts';

// PRECISION_BITS as a literal: read through an import, V8 can't tell that the sums starting
// from HALF are small integers and keeps them as heap numbers (measured 6× slower).
const BITS = 22;
/** Half a unit: every sum starts here, so the final shift rounds to nearest (halves up). */
const HALF = 1 << (BITS - 1);

type Src = Uint8Array | Uint8ClampedArray;

export function pilHorizontalPass(
  src: Src,
  srcW: number,
  pixelStride: number,
  mode: SourceMode,
  taps: FixedTaps,
  y0: number,
  rows: number,
  tmp: Uint8ClampedArray,
): void {
  // One loop per mode, as in resample-passes.ts: a mode test in the pixel loop costs time.
  const pass = mode === 'rgb' ? rowsRgb : mode === 'gray' ? rowsGray : rowsLuma;
  pass(src, srcW * pixelStride, pixelStride, taps, y0, rows, tmp);
}

type RowsFn = (src: Src, rowStride: number, ps: number, taps: FixedTaps, y0: number, rows: number, tmp: Uint8ClampedArray) => void;

const rowsRgb: RowsFn = (src, rowStride, ps, { first, count, weights, stride }, y0, rows, tmp) => {
  const outW = first.length;
  let t = 0;
  for (let y = y0; y < y0 + rows; y++) {
    for (let ox = 0; ox < outW; ox++) {
      let p = y * rowStride + first[ox] * ps;
      let wi = ox * stride;
      let r = HALF,
        g = HALF,
        b = HALF;
      for (const end = wi + count[ox]; wi < end; wi++, p += ps) {
        const w = weights[wi];
        r += w * src[p];
        g += w * src[p + 1];
        b += w * src[p + 2];
      }
      tmp[t++] = r >> BITS;
      tmp[t++] = g >> BITS;
      tmp[t++] = b >> BITS;
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
      let v = HALF;
      for (const end = wi + count[ox]; wi < end; wi++, p += ps) v += weights[wi] * src[p];
      tmp[t++] = v >> BITS;
    }
  }
};

// Pillow's Grayscale is convert('L') of the whole image before the resize: the u8 luma of
// each source pixel, then the 1-band resize.
const rowsLuma: RowsFn = (src, rowStride, ps, { first, count, weights, stride }, y0, rows, tmp) => {
  const outW = first.length;
  let t = 0;
  for (let y = y0; y < y0 + rows; y++) {
    for (let ox = 0; ox < outW; ox++) {
      let p = y * rowStride + first[ox] * ps;
      let wi = ox * stride;
      let v = HALF;
      for (const end = wi + count[ox]; wi < end; wi++, p += ps) v += weights[wi] * luma(src[p], src[p + 1], src[p + 2]);
      tmp[t++] = v >> BITS;
    }
  }
};

/** Vertical pass; `taps.first` is relative to the first row held in `tmp`. */
export function pilVerticalPass(tmp: Uint8ClampedArray, rowLen: number, taps: FixedTaps, dst: Uint8ClampedArray): void {
  const { first, count, weights, stride } = taps;
  const outH = first.length;
  // Row-at-a-time accumulation: sequential reads of tmp instead of a strided walk per pixel.
  // Int32Array, not Float64Array: the sums are below 2^31 and V8 keeps them in integers.
  const acc = new Int32Array(rowLen);
  for (let oy = 0; oy < outH; oy++) {
    acc.fill(HALF);
    let k = 0;
    const n = count[oy];
    // Two rows per sweep halves the accumulator traffic.
    for (; k + 1 < n; k += 2) {
      const w0 = weights[oy * stride + k];
      const w1 = weights[oy * stride + k + 1];
      const b0 = (first[oy] + k) * rowLen;
      const b1 = b0 + rowLen;
      for (let j = 0; j < rowLen; j++) acc[j] = (acc[j] + w0 * tmp[b0 + j] + w1 * tmp[b1 + j]) | 0;
    }
    if (k < n) {
      const w = weights[oy * stride + k];
      const b = (first[oy] + k) * rowLen;
      for (let j = 0; j < rowLen; j++) acc[j] = (acc[j] + w * tmp[b + j]) | 0;
    }
    const o = oy * rowLen;
    for (let j = 0; j < rowLen; j++) dst[o + j] = acc[j] >> BITS;
  }
}
