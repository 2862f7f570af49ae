// Turns the inflated byte stream into pixels, row by row as it arrives (PNG spec §7–9):
// undo each row's filter against the previous row, then expand its samples to 8-bit gray, RGB
// or RGBA, as PIL's Image.open().convert('RGB' / 'L') gives them: 16-bit samples keep their
// high byte (libpng's strip_16), 1/2/4-bit gray is scaled to 0…255, palette indices become
// RGB, gray + alpha drops the alpha (a tRNS chunk is ignored). Interlaced (Adam7) images are
// seven such sub-images; each row goes to the caller with the grid it belongs to.
import { decodeError } from '../errors.ts';
import { SAMPLES, type PngChunks } from './chunks.ts';

/** Adam7 passes: first column, first row, column step, row step. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
];

export interface Pass {
  x0: number;
  y0: number;
  dx: number;
  dy: number;
  width: number;
  height: number;
  rowBytes: number;
}

/** The sub-images the data holds, in order (one for a non-interlaced image); empty passes are left out. */
export function passes(width: number, height: number, bitsPerPixel: number, interlaced: boolean): Pass[] {
  const grid = interlaced ? ADAM7 : [[0, 0, 1, 1]];
  return grid
    .map(([x0, y0, dx, dy]) => ({
      x0,
      y0,
      dx,
      dy,
      width: Math.ceil((width - x0) / dx),
      height: Math.ceil((height - y0) / dy),
      rowBytes: 0,
    }))
    .filter((p) => p.width > 0 && p.height > 0)
    .map((p) => ({ ...p, rowBytes: Math.ceil((p.width * bitsPerPixel) / 8) }));
}

/** Output channels: gray and gray + alpha → 1, RGB and palette → 3, RGBA → 4. */
export const outChannels = (colorType: number): number => (colorType === 6 ? 4 : colorType === 2 || colorType === 3 ? 3 : 1);

/** Bytes of filtered data the header implies: one filter byte plus the packed samples, per row of each pass. */
export const rawSize = (ps: Pass[]): number => ps.reduce((n, p) => n + p.height * (1 + p.rowBytes), 0);

/** Receives each row: `pixels` holds `p.width` pixels of outChannels bytes, for image row `y`, columns p.x0 + i·p.dx. */
export type PlaceRow = (pixels: Uint8Array, p: Pass, y: number) => void;

/** A consumer of the inflated stream (`push` takes it in any chunking) that hands each finished row to `place`. */
export function rowReader(png: PngChunks, place: PlaceRow) {
  const { width, bitDepth, colorType, interlaced } = png.header;
  const samples = SAMPLES[colorType];
  const bpp = Math.max(1, (samples * bitDepth) >> 3); // the filters' byte distance (§9.2)
  const ps = passes(width, png.header.height, samples * bitDepth, interlaced);
  const C = outChannels(colorType);
  const maxRow = Math.max(...ps.map((p) => p.rowBytes));
  let prev = new Uint8Array(maxRow);
  let cur = new Uint8Array(maxRow);
  const pixels = new Uint8Array(width * C);
  let pass = 0;
  let row = 0;
  let filled = -1; // bytes of `cur` received; -1: waiting for the row's filter byte
  let filter = 0;

  const emit = (p: Pass) => {
    unfilter(filter, cur, prev, p.rowBytes, bpp, pass, row);
    const y = p.y0 + row * p.dy;
    expandRow(cur, p, y, pixels, C, colorType, bitDepth, png.palette);
    place(pixels, p, y);
    [prev, cur] = [cur, prev];
    filled = -1;
    if (++row === p.height) {
      row = 0;
      pass++;
      prev.fill(0); // each pass starts as if above it were a row of zeros
    }
  };

  return {
    push(d: Uint8Array): void {
      for (let i = 0; i < d.length && pass < ps.length; ) {
        const p = ps[pass];
        if (filled < 0) {
          filter = d[i++];
          filled = 0;
          continue;
        }
        const n = Math.min(p.rowBytes - filled, d.length - i);
        cur.set(d.subarray(i, i + n), filled);
        filled += n;
        i += n;
        if (filled === p.rowBytes) emit(p);
      }
    },
  };
}

function unfilter(type: number, cur: Uint8Array, prev: Uint8Array, n: number, bpp: number, pass: number, row: number): void {
  switch (type) {
    case 0:
      return;
    case 1:
      for (let i = bpp; i < n; i++) cur[i] = (cur[i] + cur[i - bpp]) & 255;
      return;
    case 2:
      for (let i = 0; i < n; i++) cur[i] = (cur[i] + prev[i]) & 255;
      return;
    case 3:
      for (let i = 0; i < n; i++) cur[i] = (cur[i] + (((i >= bpp ? cur[i - bpp] : 0) + prev[i]) >> 1)) & 255;
      return;
    case 4:
      for (let i = 0; i < n; i++) {
        const a = i >= bpp ? cur[i - bpp] : 0;
        const b = prev[i];
        const c = i >= bpp ? prev[i - bpp] : 0;
        const pa = Math.abs(b - c);
        const pb = Math.abs(a - c);
        const pc = Math.abs(a + b - 2 * c);
        cur[i] = (cur[i] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 255;
      }
      return;
    default:
      throw decodeError(
        'CORRUPT',
        'png',
        `row ${row}${pass ? ` of interlace pass ${pass + 1}` : ''} has filter type ${type}; only 0…4 exist`,
      );
  }
}

function expandRow(
  src: Uint8Array,
  p: Pass,
  y: number,
  out: Uint8Array,
  C: number,
  colorType: number,
  depth: number,
  palette: Uint8Array | undefined,
): void {
  if (depth < 8) {
    const mask = (1 << depth) - 1;
    const scale = colorType === 0 ? 255 / mask : 1; // 1 bit ×255, 2 bits ×85, 4 bits ×17 (exact)
    for (let x = 0, o = 0; x < p.width; x++, o += C) {
      const bit = x * depth;
      const v = (src[bit >> 3] >> (8 - depth - (bit & 7))) & mask;
      if (colorType === 0) out[o] = v * scale;
      else paletteEntry(out, o, palette!, v, y, p.x0 + x * p.dx);
    }
    return;
  }
  const bytes = depth >> 3; // 16-bit samples: the high byte comes first
  const stride = SAMPLES[colorType] * bytes;
  if (colorType === 3) {
    for (let x = 0; x < p.width; x++) paletteEntry(out, x * 3, palette!, src[x], y, p.x0 + x * p.dx);
  } else if (bytes === 1 && stride === C) out.set(src.subarray(0, p.width * C));
  else for (let x = 0, o = 0, s = 0; x < p.width; x++, o += C, s += stride) for (let c = 0; c < C; c++) out[o + c] = src[s + c * bytes];
}

function paletteEntry(out: Uint8Array, o: number, palette: Uint8Array, index: number, y: number, x: number): void {
  if (3 * index >= palette.length) {
    throw decodeError(
      'CORRUPT',
      'png',
      `pixel (${x}, ${y}) uses palette index ${index}, but the PLTE chunk has only ${palette.length / 3} entries`,
    );
  }
  out[o] = palette[3 * index];
  out[o + 1] = palette[3 * index + 1];
  out[o + 2] = palette[3 * index + 2];
}
