// PNG → 8-bit gray, RGB or RGBA, within a stated memory budget, at full size or reduced by 2,
// 4 or 8 (the mean of each block of pixels) as rows arrive. Written here rather than taken
// from fast-png, which inflates the whole stream whatever the header says (a 1 MB file
// inflating to 1 GiB took 3 GB and 10 s), checks no CRC and decodes a palette image without
// its palette as gray.
import { checkBudget, checkPixels, type DecodeLimits } from '../errors.ts';
import type { DecodedImage } from '../decoded-image.ts';
import { readChunks, readHeader, SAMPLES } from './chunks.ts';
import { INFLATE_BYTES, inflateExactly } from './inflate.ts';
import { outChannels, passes, rawSize, rowReader, type PlaceRow } from './rows.ts';

/** `denom`: 1 for full size, else 2, 4 or 8, each output pixel the rounded mean of a denom × denom block. */
export function decodePng(b: Uint8Array, limits: DecodeLimits, denomFor: (w: number, h: number) => number): DecodedImage {
  const header = readHeader(b);
  const { width: W, height: H, bitDepth, colorType, interlaced } = header;
  checkPixels('png', limits, W, H);
  const C = outChannels(colorType);
  const ps = passes(W, H, SAMPLES[colorType] * bitDepth, interlaced);
  const rowBytes = Math.max(...ps.map((p) => p.rowBytes));
  const d = denomFor(W, H);
  const outW = Math.ceil(W / d);
  const outH = Math.ceil(H / d);
  checkBudget('png', limits, d > 1 ? `${W}×${H} (at 1/${d} scale: ${outW}×${outH})` : `${W}×${H}`, {
    output: outW * outH * C,
    'block sums': d > 1 ? outW * outH * C * 4 : 0,
    'row buffers': 2 * rowBytes + W * C,
    inflater: INFLATE_BYTES,
  });
  const chunks = readChunks(b, header);
  const out = new Uint8Array(outW * outH * C);
  const sums = d > 1 ? new Uint32Array(out.length) : undefined;
  const shift = Math.log2(d);
  const place: PlaceRow = sums
    ? (px, p, y) => {
        const base = (y >> shift) * outW;
        for (let i = 0, x = p.x0, s = 0; i < p.width; i++, x += p.dx) {
          const o = (base + (x >> shift)) * C;
          for (let c = 0; c < C; c++) sums[o + c] += px[s++];
        }
      }
    : (px, p, y) => {
        if (p.dx === 1) return out.set(px.subarray(0, W * C), y * W * C);
        for (let i = 0, o = (y * W + p.x0) * C; i < p.width; i++, o += p.dx * C) for (let c = 0; c < C; c++) out[o + c] = px[i * C + c];
      };
  const reader = rowReader(chunks, place);
  inflateExactly(chunks.idat, rawSize(ps), (data) => reader.push(data));
  if (sums) {
    for (let by = 0; by < outH; by++) {
      for (let bx = 0; bx < outW; bx++) {
        const n = Math.min(d, W - bx * d) * Math.min(d, H - by * d); // edge blocks are partial
        const o = (by * outW + bx) * C;
        for (let c = 0; c < C; c++) out[o + c] = Math.floor((sums[o + c] + (n >> 1)) / n);
      }
    }
  }
  return { data: out, width: outW, height: outH, channels: C as 1 | 3 | 4 };
}
