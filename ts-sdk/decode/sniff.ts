// Format detection by magic bytes, and names for the formats we recognize but do not decode.
import type { ImageFormat } from './errors.ts';

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
