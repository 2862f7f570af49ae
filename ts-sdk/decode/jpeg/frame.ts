// A JPEG frame as the decoder works on it: the SOF header's components (ITU T.81 B.2.2) and
// the geometry derived from it at the chosen output scale, the way libjpeg-turbo derives it
// (jdmaster.c, jdinput.c), so that every plane, upsampling step and rounding matches its.
import { decodeError } from '../errors.ts';
import type { HuffmanTable } from './huffman.ts';

export interface Component {
  id: number;
  /** Sampling factors (1…4) and quantization table slot from the frame header. */
  h: number;
  v: number;
  tq: number;
  /** Pixels per block side at the output scale: 8, 4, 2 or 1 (libjpeg's DCT_scaled_size). */
  size: number;
  /** Blocks per row and column, padded to whole MCUs (the interleaved layout). */
  bw: number;
  bh: number;
  /** Blocks that cover the component itself (what a single-component scan codes). */
  nbw: number;
  nbh: number;
  /** Its samples at the output scale, bw·size wide and bh·size high. */
  plane: Uint8Array;
  /** Width and height of the meaningful part of the plane (libjpeg's downsampled_width/height). */
  dsW: number;
  dsH: number;
  /** Quantized coefficients, 64 per block in natural order, when the image is decoded in several scans. */
  coefs: Int16Array | undefined;
  /** Entropy state of the current scan. */
  pred: number;
  dc: HuffmanTable | undefined;
  ac: HuffmanTable | undefined;
}

export interface Frame {
  progressive: boolean;
  width: number;
  height: number;
  components: Component[];
  maxH: number;
  maxV: number;
  mcusX: number;
  mcusY: number;
  /** Output scale 1/denom (1, 2, 4 or 8) and the output size, ceil(width / denom) × ceil(height / denom). */
  denom: number;
  outW: number;
  outH: number;
}

const fail = (what: string) => decodeError('CORRUPT', 'jpeg', what);

/** Parses a SOF segment body (after its length) into a frame without planes; `denomFor` picks the scale. */
export function readFrame(seg: Uint8Array, marker: number, denomFor: (w: number, h: number) => number): Frame {
  if (seg.length < 6) throw fail('the frame header (SOF) is too short');
  const precision = seg[0];
  const height = (seg[1] << 8) | seg[2];
  const width = (seg[3] << 8) | seg[4];
  const n = seg[5];
  if (precision !== 8) throw decodeError('UNSUPPORTED_FEATURE', 'jpeg', `${precision}-bit samples are not supported (only 8-bit JPEG)`);
  if (height === 0)
    throw decodeError('UNSUPPORTED_FEATURE', 'jpeg', 'the frame header leaves the height to a DNL marker, which is not supported');
  if (width === 0) throw fail('the frame header declares a width of 0');
  if (n !== 1 && n !== 3 && n !== 4)
    throw decodeError('UNSUPPORTED_FEATURE', 'jpeg', `${n} colour components are not supported (1 gray, 3 YCbCr/RGB, 4 CMYK/YCCK)`);
  if (seg.length < 6 + 3 * n) throw fail('the frame header (SOF) is shorter than its component list');
  const components: Component[] = [];
  for (let i = 0; i < n; i++) {
    const id = seg[6 + 3 * i];
    const h = seg[7 + 3 * i] >> 4;
    const v = seg[7 + 3 * i] & 15;
    const tq = seg[8 + 3 * i];
    if (h < 1 || h > 4 || v < 1 || v > 4) throw fail(`component ${id} has sampling factors ${h}×${v}; each must be 1…4`);
    if (tq > 3) throw fail(`component ${id} names quantization table ${tq}; only 0…3 exist`);
    if (components.some((c) => c.id === id)) throw fail(`two components share the id ${id}`);
    components.push({
      id,
      h,
      v,
      tq,
      size: 8,
      bw: 0,
      bh: 0,
      nbw: 0,
      nbh: 0,
      plane: new Uint8Array(0),
      dsW: 0,
      dsH: 0,
      coefs: undefined,
      pred: 0,
      dc: undefined,
      ac: undefined,
    });
  }
  const maxH = Math.max(...components.map((c) => c.h));
  const maxV = Math.max(...components.map((c) => c.v));
  const denom = denomFor(width, height);
  const minSize = 8 / denom;
  const mcusX = Math.ceil(width / (8 * maxH));
  const mcusY = Math.ceil(height / (8 * maxV));
  for (const c of components) {
    // libjpeg scales chroma up in the IDCT rather than by upsampling where the factors allow.
    let size = minSize;
    while (size < 8 && (maxH * minSize) % (c.h * size * 2) === 0 && (maxV * minSize) % (c.v * size * 2) === 0) size *= 2;
    c.size = size;
    c.bw = mcusX * c.h;
    c.bh = mcusY * c.v;
    c.nbw = Math.ceil(Math.ceil((width * c.h) / maxH) / 8);
    c.nbh = Math.ceil(Math.ceil((height * c.v) / maxV) / 8);
    c.dsW = Math.ceil((width * c.h * size) / (maxH * 8));
    c.dsH = Math.ceil((height * c.v * size) / (maxV * 8));
  }
  return {
    progressive: marker === 0xc2,
    width,
    height,
    components,
    maxH,
    maxV,
    mcusX,
    mcusY,
    denom,
    outW: Math.ceil(width / denom),
    outH: Math.ceil(height / denom),
  };
}

/** Bytes of the component planes. */
export const planeBytes = (f: Frame): number => f.components.reduce((n, c) => n + c.bw * c.bh * c.size * c.size, 0);
/** Bytes of the coefficient buffers a multi-scan image needs (2 bytes × 64 a block). */
export const coefBytes = (f: Frame): number => f.components.reduce((n, c) => n + c.bw * c.bh * 128, 0);
