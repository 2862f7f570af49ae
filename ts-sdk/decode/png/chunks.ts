// Walks a PNG's chunks (PNG spec §5): every chunk's length must fit the file and its CRC must
// match; IHDR comes first and is valid (§11.2.2); PLTE, when present, precedes the image data
// and fits the bit depth; IDAT chunks are consecutive; IEND ends the file. Unknown critical
// chunks are refused (§5.4: a decoder must not guess at them); ancillary ones are skipped.
import { decodeError } from '../errors.ts';
import { crc32 } from './checksums.ts';

export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  /** 0 gray, 2 RGB, 3 palette, 4 gray + alpha, 6 RGBA. */
  colorType: number;
  interlaced: boolean;
}

export interface PngChunks {
  header: PngHeader;
  /** RGB triples, for colour type 3. */
  palette: Uint8Array | undefined;
  /** The IDAT chunks' data, in order (views into the file). */
  idat: Uint8Array[];
}

/** Samples per pixel for each colour type. */
export const SAMPLES: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

const fail = (what: string) => decodeError('CORRUPT', 'png', what);
const u32 = (b: Uint8Array, i: number): number => ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
const typeName = (b: Uint8Array, i: number): string => String.fromCharCode(b[i], b[i + 1], b[i + 2], b[i + 3]);

/** The IHDR fields, checked; `b` is the whole file (signature already checked). */
export function readHeader(b: Uint8Array): PngHeader {
  if (b.length < 33) throw decodeError('TRUNCATED', 'png', `the file is ${b.length} bytes, too short to hold a PNG header (33 bytes)`);
  if (typeName(b, 12) !== 'IHDR' || u32(b, 8) !== 13) throw fail('the first chunk must be a 13-byte IHDR (image header)');
  if (crc32(b, 12, 29) !== u32(b, 29)) throw fail('the IHDR chunk fails its CRC check (the header is damaged)');
  const h: PngHeader = { width: u32(b, 16), height: u32(b, 20), bitDepth: b[24], colorType: b[25], interlaced: b[28] === 1 };
  if (h.width === 0 || h.height === 0 || h.width > 0x7fffffff || h.height > 0x7fffffff)
    throw fail(`the header declares ${h.width}×${h.height} pixels; each side must be 1…2^31−1`);
  const depths = DEPTHS[h.colorType];
  if (!depths) throw fail(`colour type ${h.colorType} does not exist (0, 2, 3, 4 and 6 do)`);
  if (!depths.includes(h.bitDepth))
    throw fail(`bit depth ${h.bitDepth} is not allowed for colour type ${h.colorType} (allowed: ${depths.join(', ')})`);
  if (b[26] !== 0) throw fail(`compression method ${b[26]} does not exist (only 0, zlib)`);
  if (b[27] !== 0) throw fail(`filter method ${b[27]} does not exist (only 0)`);
  if (b[28] > 1) throw fail(`interlace method ${b[28]} does not exist (0 none, 1 Adam7)`);
  return h;
}

/** Every chunk after IHDR, up to IEND. */
export function readChunks(b: Uint8Array, header: PngHeader): PngChunks {
  let palette: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  let idatEnded = false;
  for (let at = 33; ; ) {
    if (at + 12 > b.length) {
      throw decodeError(
        'TRUNCATED',
        'png',
        idat.length ? 'the file ends before its IEND chunk' : 'the file ends before any image data (IDAT)',
      );
    }
    const len = u32(b, at);
    const type = typeName(b, at + 4);
    const data = at + 8;
    if (len > b.length - data - 4)
      throw decodeError('TRUNCATED', 'png', `the ${JSON.stringify(type)} chunk declares ${len} bytes, more than the file has left`);
    if (!/^[A-Za-z]{4}$/.test(type))
      throw fail(
        `a chunk type must be four letters, found bytes ${Array.from(b.subarray(at + 4, at + 8), (x) => x.toString(16).padStart(2, '0')).join(' ')}`,
      );
    if (crc32(b, at + 4, data + len) !== u32(b, data + len))
      throw fail(`the ${type} chunk at byte ${at} fails its CRC check (the file is damaged)`);
    const body = b.subarray(data, data + len);
    at = data + len + 4;
    if (type === 'IDAT') {
      if (idatEnded) throw fail('IDAT chunks must be consecutive; another chunk interrupts the image data');
      if (header.colorType === 3 && !palette) throw fail('a palette image (colour type 3) needs a PLTE chunk before its image data');
      idat.push(body);
      continue;
    }
    if (idat.length) idatEnded = true;
    if (type === 'IEND') {
      if (!idat.length) throw fail('the file has no image data (IDAT) before IEND');
      return { header, palette, idat };
    }
    if (type === 'PLTE') palette = checkPalette(body, header, palette, idat.length > 0);
    else if (type === 'IHDR') throw fail('a second IHDR chunk');
    else if (type.charCodeAt(0) < 97)
      throw decodeError(
        'UNSUPPORTED_FEATURE',
        'png',
        `critical chunk ${type} is not part of PNG (unknown critical chunks must not be skipped)`,
      );
  }
}

function checkPalette(body: Uint8Array, h: PngHeader, seen: Uint8Array | undefined, afterData: boolean): Uint8Array {
  if (seen) throw fail('a second PLTE chunk');
  if (afterData) throw fail('the PLTE chunk must come before the image data');
  if (h.colorType === 0 || h.colorType === 4) throw fail(`a gray image (colour type ${h.colorType}) must not have a PLTE chunk`);
  const n = body.length / 3;
  if (!Number.isInteger(n) || n < 1 || n > 256)
    throw fail(`the PLTE chunk is ${body.length} bytes; it must hold 1…256 RGB entries (a multiple of 3 bytes)`);
  if (h.colorType === 3 && n > 2 ** h.bitDepth)
    throw fail(`the PLTE chunk has ${n} entries, more than ${h.bitDepth}-bit indices can address`);
  return body;
}
