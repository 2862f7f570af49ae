// PNG → 8-bit gray, RGB or RGBA, within a stated memory budget. Written here rather than
// taken from fast-png, which inflates the whole stream whatever the header says (a 1 MB file
// inflating to 1 GiB took 3 GB and 10 s), checks no CRC and decodes a palette image without
// its palette as gray. The zlib inflater is fflate's; the rest of PNG is small.
import { checkBudget, checkPixels, type DecodeLimits } from '../errors.ts';
import type { DecodedImage } from '../decoded-image.ts';
import { readChunks, readHeader, SAMPLES } from './chunks.ts';
import { INFLATE_BYTES, inflateExactly } from './inflate.ts';
import { outChannels, passes, rawSize, rowWriter } from './rows.ts';

export function decodePng(b: Uint8Array, limits: DecodeLimits): DecodedImage {
  const header = readHeader(b);
  const { width, height, bitDepth, colorType, interlaced } = header;
  checkPixels('png', limits, width, height);
  const C = outChannels(colorType);
  const ps = passes(width, height, SAMPLES[colorType] * bitDepth, interlaced);
  const rowBytes = Math.max(...ps.map((p) => p.rowBytes));
  checkBudget('png', limits, `${width}×${height}`, { output: width * height * C, 'row buffers': 2 * rowBytes, inflater: INFLATE_BYTES });
  const chunks = readChunks(b, header);
  const out = new Uint8Array(width * height * C);
  const writer = rowWriter(chunks, out);
  inflateExactly(chunks.idat, rawSize(ps), (d) => writer.push(d));
  return { data: out, width, height, channels: C as 1 | 3 | 4 };
}
