// The image data of a PNG is one zlib stream split over IDAT chunks. It is inflated with
// fflate's streaming Inflate, fed in small slices so that no single step can produce more
// than about 4 MB (deflate expands at most 1032:1), and stopped as soon as the output
// passes the size the header implies: a decompression bomb costs a few megabytes and a few
// milliseconds, never the gigabytes it claims. fflate checks neither the zlib header nor the
// Adler-32 trailer, so both are checked here.
import { Inflate } from 'fflate';
import { decodeError } from '../errors.ts';
import { Adler32 } from './checksums.ts';

/**
 * Compressed bytes per push: at most 4.2 MB of output per step. Each push costs fflate a
 * fresh 160 KiB buffer, so 1 KiB slices took 2.5× as long on a 12 MP photo.
 */
const SLICE = 4096;
/**
 * Most bytes the inflater holds at once: one step's output (≤ 1032 · SLICE) in a buffer that
 * doubles as it grows (old and new alive while copying), or that buffer plus the copy handed
 * to us.
 */
export const INFLATE_BYTES = 13 << 20;

/**
 * Inflates the zlib stream split over `parts`, handing the output to `sink` in order. The
 * output must be exactly `expected` bytes: more is refused as soon as it appears.
 */
export function inflateExactly(parts: Uint8Array[], expected: number, sink: (data: Uint8Array) => void): void {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const at = (i: number): number => {
    for (const p of parts) {
      if (i < p.length) return p[i];
      i -= p.length;
    }
    return 0;
  };
  if (total < 6) throw decodeError('TRUNCATED', 'png', `the image data is ${total} bytes, too short for a zlib stream`);
  const cmf = at(0);
  const flg = at(1);
  if ((cmf & 15) !== 8 || cmf >> 4 > 7 || ((cmf << 8) | flg) % 31 !== 0) throw decodeError('CORRUPT', 'png', 'the image data does not start with a valid zlib header');
  if (flg & 32) throw decodeError('CORRUPT', 'png', 'the image data asks for a preset zlib dictionary, which PNG forbids');
  const trailer = ((at(total - 4) << 24) | (at(total - 3) << 16) | (at(total - 2) << 8) | at(total - 1)) >>> 0;

  let produced = 0;
  const adler = new Adler32();
  const inflater = new Inflate((data) => {
    produced += data.length;
    if (produced > expected) {
      throw decodeError('CORRUPT', 'png', `the image data inflates to more than the ${expected} bytes the header's size and format imply (a decompression bomb, or a damaged file)`);
    }
    adler.update(data);
    sink(data);
  });
  // The deflate stream: after the 2-byte header, before the 4-byte Adler-32.
  let skip = 2;
  let left = total - 6;
  try {
    for (const p of parts) {
      for (let i = Math.min(skip, p.length); i < p.length && left > 0; ) {
        const n = Math.min(SLICE, p.length - i, left);
        left -= n;
        inflater.push(p.subarray(i, i + n), left === 0);
        i += n;
      }
      skip = Math.max(0, skip - p.length);
    }
  } catch (e) {
    if (e instanceof Error && e.name === 'ImageDecodeError') throw e;
    // The chunks were all there (a cut file fails earlier), so a stream that stops early is damaged too.
    const eof = e instanceof Error && /unexpected EOF/.test(e.message);
    throw decodeError('CORRUPT', 'png', `the compressed image data is damaged (the zlib/deflate stream ${eof ? 'ends before its final block' : 'is invalid'} after ${produced} of ${expected} bytes)`, e);
  }
  if (produced < expected) throw decodeError('TRUNCATED', 'png', `the image data inflates to ${produced} bytes; the header's size and format need ${expected}`);
  if (adler.value !== trailer) throw decodeError('CORRUPT', 'png', 'the image data fails its Adler-32 check (the compressed data is damaged)');
}
