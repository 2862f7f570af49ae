// Format detection by magic bytes, and the image size read from the header alone, so that
// an oversized (or hostile) file is refused before any decoder allocates for it.
import { exifOrientation, type Orientation } from './exif-orientation.ts';

export type ImageFormat = 'png' | 'jpeg';

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const startsWith = (b: Uint8Array, magic: readonly number[], at = 0): boolean =>
  b.length >= at + magic.length && magic.every((m, i) => b[at + i] === m);
const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

export function sniffFormat(b: Uint8Array): ImageFormat | undefined {
  if (startsWith(b, PNG_MAGIC)) return 'png';
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'jpeg';
  return undefined;
}

/** Names formats we recognize but do not decode, for a helpful error. */
export function nameUnsupported(b: Uint8Array): string | undefined {
  if (startsWith(b, ascii('GIF8'))) return 'GIF';
  if (startsWith(b, ascii('RIFF')) && startsWith(b, ascii('WEBP'), 8)) return 'WebP';
  if (startsWith(b, ascii('BM'))) return 'BMP';
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])) return 'TIFF';
  if (startsWith(b, ascii('ftyp'), 4)) return 'HEIF/AVIF (or another ISO-BMFF file)';
  if (startsWith(b, [0xff, 0x0a]) || startsWith(b, [0, 0, 0, 0x0c, 0x4a, 0x58, 0x4c, 0x20])) return 'JPEG XL';
  return undefined;
}

export interface HeaderInfo {
  width: number;
  height: number;
  /** JPEG: components in the frame (1 = gray, 3 = YCbCr/RGB, 4 = CMYK); PNG: undefined. */
  components?: number;
  /** JPEG: the EXIF orientation (1 when absent); PNG: undefined. */
  orientation?: Orientation;
}

const u16 = (b: Uint8Array, i: number): number => (b[i] << 8) | b[i + 1];
const u32 = (b: Uint8Array, i: number): number => ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;

/** PNG: IHDR must be the first chunk, right after the signature. */
export function pngHeader(b: Uint8Array): HeaderInfo | undefined {
  if (b.length < 24 || !startsWith(b, ascii('IHDR'), 12)) return undefined;
  return { width: u32(b, 16), height: u32(b, 20) };
}

/** JPEG: walk the marker segments up to the first SOFn (baseline, progressive, lossless…). */
export function jpegHeader(b: Uint8Array): HeaderInfo | undefined {
  let orientation: Orientation | undefined;
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1];
    if (marker === 0xff) { i++; continue; } // fill byte
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) { i += 2; continue; } // no length
    if (marker === 0xda || marker === 0xd9) return undefined; // scan or end before any frame
    const len = u16(b, i + 2);
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      if (i + 10 > b.length) return undefined;
      return { height: u16(b, i + 5), width: u16(b, i + 7), components: b[i + 9], orientation: orientation ?? 1 };
    }
    // APP1: the first one holding EXIF decides (an XMP APP1 may come first or after).
    if (marker === 0xe1 && orientation === undefined && b[i + 4] === 0x45) orientation = exifOrientation(b.subarray(i + 4, i + 2 + len));
    i += 2 + len;
  }
  return undefined;
}
