// Encoded bytes → pixels, for runtimes without an image decoder of their own (Node, Deno,
// Bun, workerd). A separate entry point, so only callers who import it pay for the decoders. Every decode states its cost up front: the
// header's size is checked against maxPixels and the buffers it implies against maxBytes
// before any is allocated, so a small hostile file cannot make a service allocate gigabytes.
import { MAX_PIXELS, describe } from '../preprocess/validate-image.ts';
import type { DecodedImage } from './decoded-image.ts';
import { ImageDecodeError } from './errors.ts';
import { decodeJpeg } from './jpeg/decode-jpeg.ts';
import { decodePng } from './png/decode-png.ts';
import { nameUnsupported, sniffFormat } from './sniff.ts';

export interface DecodeOptions {
  /**
   * Refuse files that declare more pixels than this (width × height, before any scaling),
   * checked from the header before decoding. At most `MAX_PIXELS` (2^28).
   * @defaultValue 2^26 (67 MP)
   */
  maxPixels?: number;
  /**
   * Refuse files whose decoding would allocate more than this many bytes in all (output
   * included), computed from the header before anything is allocated. The default lets a
   * 12 MP baseline JPEG or a 16 MP RGBA PNG decode at full size and fits a 128 MB isolate
   * (Cloudflare Workers) with an int8 ResNet-18 loaded; see docs/RELIABILITY.md.
   * @defaultValue 64 MiB
   */
  maxBytes?: number;
  /**
   * Decode at the smallest of 1/1, 1/2, 1/4 and 1/8 scale whose shorter side is still at
   * least `minSide` pixels (PIL's `Image.draft()` rule): a JPEG straight from its DCT
   * coefficients (libjpeg's scaling, exactly as PIL's draft decodes it), a PNG as the mean of
   * each 2×2, 4×4 or 8×8 block while its rows arrive. A 12 MP photo for a 224×224 network
   * then decodes to 500×375 in a few MB, never at full size. The pixels differ from a
   * full-size decode followed by the resize (scores move slightly; docs/RELIABILITY.md
   * measures it), so it is off by default. Give it the size the network's preprocessing
   * resizes to (`info.input.resize`, or its larger input side).
   * @defaultValue 0 (full size)
   */
  minSide?: number;
  /**
   * `'exif'`: rotate/mirror a JPEG as its EXIF Orientation says, as browsers show it (a phone
   * photo is upright, and equals what toImageData gives in a browser). `'ignore'`: pixels as
   * stored, as PIL's Image.open (and so a torchvision pipeline without exif_transpose) reads them.
   * @defaultValue 'exif'
   */
  orientation?: 'exif' | 'ignore';
}

export const DEFAULT_DECODE_OPTIONS: Readonly<Required<DecodeOptions>> = Object.freeze({
  maxPixels: 2 ** 26,
  maxBytes: 64 * 2 ** 20,
  minSide: 0,
  orientation: 'exif',
});

const FN = 'decodeImage';
const ACCEPTED = 'JPEG (baseline or progressive, gray, colour or CMYK) and PNG (any bit depth, gray, gray+alpha, palette, RGB, RGBA)';

/**
 * Decodes a JPEG or PNG file to 8-bit pixels: gray → 1 channel, colour → 3, RGBA PNG → 4.
 * A file that cannot or may not be decoded throws an `ImageDecodeError` (its `code` says why);
 * bad arguments throw a TypeError or RangeError.
 */
export function decodeImage(bytes: Uint8Array | ArrayBuffer, options: DecodeOptions = {}): DecodedImage {
  const b = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes;
  if (!(b instanceof Uint8Array))
    throw new TypeError(`${FN}: expected the file's bytes as a Uint8Array or ArrayBuffer, got ${describe(bytes)}`);
  const o = { ...DEFAULT_DECODE_OPTIONS, ...options };
  const int = (name: string, v: unknown, min: number, max: number): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      throw new RangeError(`${FN}: options.${name} must be an integer in [${min}, ${max}], got ${typeof v === 'number' ? v : describe(v)}`);
    return v;
  };
  const limits = { maxPixels: int('maxPixels', o.maxPixels, 1, MAX_PIXELS), maxBytes: int('maxBytes', o.maxBytes, 1, 2 ** 32) };
  const minSide = int('minSide', o.minSide, 0, 2 ** 15);
  if (o.orientation !== 'exif' && o.orientation !== 'ignore') {
    throw new TypeError(`${FN}: options.orientation must be 'exif' or 'ignore', got ${String(o.orientation)}`);
  }

  const format = sniffFormat(b);
  if (format === undefined) {
    const known = nameUnsupported(b);
    const head = Array.from(b.subarray(0, 8), (x) => x.toString(16).padStart(2, '0')).join(' ');
    throw new ImageDecodeError(
      'UNSUPPORTED_FORMAT',
      undefined,
      `${FN}: ${known ? `${known} is not supported` : `unrecognized image format (first bytes: ${head || 'none'})`}; accepted: ${ACCEPTED}`,
    );
  }
  const denomFor = (w: number, h: number): number => {
    // PIL's draft() rule: the largest 1/denom with denom · minSide ≤ the shorter side.
    for (const d of [8, 4, 2]) if (minSide && d * minSide <= Math.min(w, h)) return d;
    return 1;
  };
  return format === 'png' ? decodePng(b, limits, denomFor) : decodeJpeg(b, { limits, denomFor, orient: o.orientation === 'exif' });
}
