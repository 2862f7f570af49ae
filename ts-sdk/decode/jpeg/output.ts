// Component planes → interleaved 8-bit pixels, as libjpeg-turbo's default decompression and PIL
// give them: chroma upsampled by jdsample.c's rules ("fancy" triangle filters for 2:1 ratios
// when the output is not at 1/8 scale and the plane is over 2 samples wide, replication
// otherwise), colour converted with jdcolor.c's fixed-point tables, CMYK turned into RGB as
// PIL's convert('RGB') does, and each pixel written where the EXIF orientation puts it.
import { decodeError } from '../errors.ts';
import type { Orientation } from '../exif-orientation.ts';
import type { Component, Frame } from './frame.ts';

export type ColorSpace = 'gray' | 'ycbcr' | 'rgb' | 'cmyk' | 'ycck';

const SCALEBITS = 16;
const ONE_HALF = 1 << (SCALEBITS - 1);
const FIX = (x: number): number => Math.floor(x * (1 << SCALEBITS) + 0.5);
const CR_R = new Int32Array(256);
const CB_B = new Int32Array(256);
const CR_G = new Int32Array(256);
const CB_G = new Int32Array(256);
for (let i = 0; i < 256; i++) {
  const x = i - 128;
  CR_R[i] = (FIX(1.402) * x + ONE_HALF) >> SCALEBITS;
  CB_B[i] = (FIX(1.772) * x + ONE_HALF) >> SCALEBITS;
  CR_G[i] = -FIX(0.71414) * x;
  CB_G[i] = -FIX(0.34414) * x + ONE_HALF;
}
/** clamp(v) = CLAMP[v + 384] for v in [−384, 639], every value the colour conversion can produce. */
const CLAMP = Uint8Array.from({ length: 1024 }, (_, i) => Math.min(255, Math.max(0, i - 384)));
/** PIL's MULDIV255: a·b/255 rounded, in integers. */
const muldiv255 = (a: number, b: number): number => {
  const t = a * b + 128;
  return ((t >> 8) + t) >> 8;
};

type RowFn = (y: number, row: Uint8Array) => void;

/** One component's output row `y` (outW samples) into `row`, upsampled from its plane. */
function upsampler(c: Component, f: Frame): RowFn {
  const minSize = 8 / f.denom;
  const hIn = (c.h * c.size) / minSize;
  const vIn = (c.v * c.size) / minSize;
  const { plane, dsW, dsH } = c;
  const stride = c.bw * c.size;
  const W = f.outW;
  const fancy = minSize > 1; // libjpeg-turbo: do_fancy_upsampling && min_DCT_scaled_size > 1
  const wide = fancy && dsW > 2;
  if (hIn === f.maxH && vIn === f.maxV) return (y, row) => row.set(plane.subarray(y * stride, y * stride + W));
  if (hIn * 2 === f.maxH && vIn === f.maxV && wide) return (y, row) => h2Fancy(plane, y * stride, dsW, row);
  if (hIn === f.maxH && vIn * 2 === f.maxV && fancy) {
    return (y, row) => {
      const iy = y >> 1;
      const t = iy * stride;
      const o = (y & 1 ? Math.min(iy + 1, dsH - 1) : Math.max(iy - 1, 0)) * stride;
      const bias = y & 1 ? 2 : 1;
      for (let x = 0; x < W; x++) row[x] = (3 * plane[t + x] + plane[o + x] + bias) >> 2;
    };
  }
  if (hIn * 2 === f.maxH && vIn * 2 === f.maxV && wide) {
    const sums = new Int32Array(dsW);
    return (y, row) => {
      const iy = y >> 1;
      const t = iy * stride;
      const o = (y & 1 ? Math.min(iy + 1, dsH - 1) : Math.max(iy - 1, 0)) * stride;
      for (let x = 0; x < dsW; x++) sums[x] = 3 * plane[t + x] + plane[o + x];
      h2v2Fancy(sums, dsW, row);
    };
  }
  if (f.maxH % hIn === 0 && f.maxV % vIn === 0) {
    const hx = f.maxH / hIn;
    const vx = f.maxV / vIn;
    return (y, row) => {
      const t = Math.min(Math.floor(y / vx), dsH - 1) * stride;
      for (let ix = 0, x = 0; x < W; ix++) {
        const v = plane[t + ix];
        for (let k = 0; k < hx && x < W; k++) row[x++] = v;
      }
    };
  }
  throw decodeError(
    'UNSUPPORTED_FEATURE',
    'jpeg',
    `component ${c.id}'s sampling (${c.h}×${c.v} of ${f.maxH}×${f.maxV}) is not an integral ratio`,
  );
}

/**
 * jdsample.c h2v1_fancy_upsample: each output sample is ¾ of the nearer input sample and ¼ of
 * the further one, rounding biased 1 and 2; the edge samples are their own outer neighbours.
 * Writes 2·dsW samples (the row buffer has room; the caller uses the first outW).
 */
function h2Fancy(p: Uint8Array, t: number, dsW: number, row: Uint8Array): void {
  for (let ix = 0; ix < dsW; ix++) {
    const c3 = 3 * p[t + ix];
    row[2 * ix] = (c3 + p[t + (ix > 0 ? ix - 1 : 0)] + 1) >> 2;
    row[2 * ix + 1] = (c3 + p[t + (ix < dsW - 1 ? ix + 1 : ix)] + 2) >> 2;
  }
}

/**
 * jdsample.c h2v2_fancy_upsample on a row of column sums (3 · nearer row + further row):
 * 9/16, 3/16, 3/16, 1/16 of the four nearest samples, rounding biased 8 and 7.
 */
function h2v2Fancy(sums: Int32Array, dsW: number, row: Uint8Array): void {
  for (let ix = 0; ix < dsW; ix++) {
    const c3 = 3 * sums[ix];
    row[2 * ix] = (c3 + sums[ix > 0 ? ix - 1 : 0] + 8) >> 4;
    row[2 * ix + 1] = (c3 + sums[ix < dsW - 1 ? ix + 1 : ix] + 7) >> 4;
  }
}

/**
 * Where stored pixel (x, y) of a W×H image lands in the oriented output, as (start of row y,
 * step per x), in pixels.
 */
function placement(o: Orientation, W: number, H: number): (y: number) => [number, number] {
  switch (o) {
    case 2:
      return (y) => [y * W + W - 1, -1];
    case 3:
      return (y) => [(H - 1 - y) * W + W - 1, -1];
    case 4:
      return (y) => [(H - 1 - y) * W, 1];
    case 5:
      return (y) => [y, H];
    case 6:
      return (y) => [H - 1 - y, H];
    case 7:
      return (y) => [(W - 1) * H + H - 1 - y, -H];
    case 8:
      return (y) => [(W - 1) * H + y, -H];
    default:
      return (y) => [y * W, 1];
  }
}

/** Writes the frame's pixels to `out` (outW × outH, turned by `orientation`): 1 channel for gray, else 3. */
export function writePixels(f: Frame, color: ColorSpace, orientation: Orientation, out: Uint8Array): void {
  const W = f.outW;
  // Room for a 2:1 upsampler's whole last pair (2·dsW can pass outW by one).
  const rows = f.components.map(() => new Uint8Array(W + 8));
  const ups = f.components.map((c) => upsampler(c, f));
  const place = placement(orientation, W, f.outH);
  const C = color === 'gray' ? 1 : 3;
  const [a, b, c, k] = rows;
  for (let y = 0; y < f.outH; y++) {
    for (let i = 0; i < ups.length; i++) ups[i](y, rows[i]);
    const [start, step] = place(y);
    let o = start * C;
    const d = step * C;
    if (color === 'gray') for (let x = 0; x < W; x++, o += d) out[o] = a[x];
    else if (color === 'rgb') for (let x = 0; x < W; x++, o += d) (out[o] = a[x]), (out[o + 1] = b[x]), (out[o + 2] = c[x]);
    else if (color === 'ycbcr') {
      for (let x = 0; x < W; x++, o += d) {
        const yy = a[x],
          cb = b[x],
          cr = c[x];
        out[o] = CLAMP[yy + CR_R[cr] + 384];
        out[o + 1] = CLAMP[yy + ((CB_G[cb] + CR_G[cr]) >> SCALEBITS) + 384];
        out[o + 2] = CLAMP[yy + CB_B[cb] + 384];
      }
    } else if (color === 'cmyk') {
      // Adobe CMYK is stored inverted and libjpeg returns it as stored. PIL reads it inverted
      // ("CMYK;I") and converts with r = (255 − k) − c·(255 − k)/255: in stored values C, K,
      // that is K − (255 − C)·K/255.
      for (let x = 0; x < W; x++, o += d) {
        const K = k[x];
        out[o] = K - muldiv255(255 - a[x], K);
        out[o + 1] = K - muldiv255(255 - b[x], K);
        out[o + 2] = K - muldiv255(255 - c[x], K);
      }
    } else {
      // YCCK: libjpeg turns Y, Cb, Cr into C = 255 − R (and so on), then the same as CMYK.
      for (let x = 0; x < W; x++, o += d) {
        const yy = a[x],
          cb = b[x],
          cr = c[x],
          K = k[x];
        out[o] = K - muldiv255(CLAMP[yy + CR_R[cr] + 384], K);
        out[o + 1] = K - muldiv255(CLAMP[yy + ((CB_G[cb] + CR_G[cr]) >> SCALEBITS) + 384], K);
        out[o + 2] = K - muldiv255(CLAMP[yy + CB_B[cb] + 384], K);
      }
    }
  }
}
