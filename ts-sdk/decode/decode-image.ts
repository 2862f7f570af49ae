// Encoded bytes → pixels, for runtimes without an image decoder of their own (Node, Deno,
// Bun, workerd). A separate entry point: the core SDK stays free of dependencies, and only
// callers who import this pay for the two decoders.
import { MAX_PIXELS, MAX_SIDE, describe } from '../preprocess/validate-image.ts';
import type { DecodedImage } from './decoded-image.ts';
import { decodeJpeg } from './jpeg.ts';
import { applyOrientation } from './orient.ts';
import { decodePng } from './png.ts';
import { jpegHeader, nameUnsupported, pngHeader, sniffFormat } from './sniff.ts';

export interface DecodeOptions {
  /**
   * Refuse images with more pixels than this, checked from the header before decoding
   * (a small file can declare a huge image). At most `MAX_PIXELS` (2^28).
   * @defaultValue 2^26 (67 MP; RGBA at that size is 256 MiB)
   */
  maxPixels?: number;
  /**
   * `'exif'`: rotate/mirror a JPEG as its EXIF Orientation says, as browsers show it (a phone
   * photo is upright, and equals what toImageData gives in a browser). `'ignore'`: pixels as
   * stored, as PIL's Image.open (and so a torchvision pipeline without exif_transpose) reads them.
   * @defaultValue 'exif'
   */
  orientation?: 'exif' | 'ignore';
}

export const DEFAULT_DECODE_OPTIONS: Readonly<Required<DecodeOptions>> = Object.freeze({ maxPixels: 2 ** 26, orientation: 'exif' });

const FN = 'decodeImage';
const ACCEPTED = 'JPEG (baseline or progressive, gray, colour or CMYK) and PNG (any bit depth, gray, gray+alpha, palette, RGB, RGBA)';

/** Decodes a JPEG or PNG file to 8-bit pixels: gray → 1 channel, colour → 3, RGBA PNG → 4. */
export function decodeImage(bytes: Uint8Array | ArrayBuffer, options: DecodeOptions = {}): DecodedImage {
  const b = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes;
  if (!(b instanceof Uint8Array)) throw new TypeError(`${FN}: expected the file's bytes as a Uint8Array or ArrayBuffer, got ${describe(bytes)}`);
  const maxPixels = options.maxPixels ?? DEFAULT_DECODE_OPTIONS.maxPixels;
  if (!(Number.isInteger(maxPixels) && maxPixels >= 1 && maxPixels <= MAX_PIXELS)) {
    throw new RangeError(`${FN}: options.maxPixels must be an integer in [1, ${MAX_PIXELS}], got ${maxPixels}`);
  }
  const orientation = options.orientation ?? DEFAULT_DECODE_OPTIONS.orientation;
  if (orientation !== 'exif' && orientation !== 'ignore') {
    throw new TypeError(`${FN}: options.orientation must be 'exif' or 'ignore', got ${String(orientation)}`);
  }

  const format = sniffFormat(b);
  if (format === undefined) {
    const known = nameUnsupported(b);
    const head = Array.from(b.subarray(0, 8), (x) => x.toString(16).padStart(2, '0')).join(' ');
    throw new TypeError(
      `${FN}: ${known ? `${known} is not supported` : `unrecognized image format (first bytes: ${head || 'none'})`}; accepted: ${ACCEPTED}`,
    );
  }
  const header = format === 'png' ? pngHeader(b) : jpegHeader(b);
  if (!header) throw new Error(`${FN}: invalid ${format.toUpperCase()} file: no image header found (truncated or corrupt)`);
  const { width, height } = header;
  if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE || width * height > maxPixels) {
    throw new RangeError(
      `${FN}: the ${format.toUpperCase()} declares ${width}×${height} pixels; accepted are 1…${MAX_SIDE} per side and at most ${maxPixels} pixels (options.maxPixels)`,
    );
  }

  let image: DecodedImage;
  try {
    image = format === 'png' ? decodePng(b) : decodeJpeg(b, header.components, maxPixels);
  } catch (e) {
    throw new Error(`${FN}: invalid ${format.toUpperCase()} file: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  if (image.width !== width || image.height !== height) {
    throw new Error(`${FN}: invalid ${format.toUpperCase()} file: header says ${width}×${height}, decoder produced ${image.width}×${image.height}`);
  }
  return orientation === 'exif' && header.orientation ? applyOrientation(image, header.orientation) : image;
}
