// The one error decodeImage throws for a file it cannot or will not decode, and the limits
// every decoder checks before it allocates. Callers branch on `code`; the message says, in
// our words, what is wrong with the file and what is accepted.
import { MAX_SIDE } from '../preprocess/validate-image.ts';

export type ImageDecodeErrorCode =
  /** Not a format we decode (the message names it when recognized, and lists what is accepted). */
  | 'UNSUPPORTED_FORMAT'
  /** A known format using a feature we do not decode (e.g. arithmetic-coded JPEG). */
  | 'UNSUPPORTED_FEATURE'
  /** The file breaks its format's rules (bad checksum, missing palette, impossible header…). */
  | 'CORRUPT'
  /** The file ends before its image data does. */
  | 'TRUNCATED'
  /** The header declares more pixels than options.maxPixels or a side over MAX_SIDE. */
  | 'TOO_MANY_PIXELS'
  /** Decoding would need more memory than options.maxBytes. */
  | 'OVER_BUDGET';

export type ImageFormat = 'png' | 'jpeg';

export class ImageDecodeError extends Error {
  override name = 'ImageDecodeError';
  readonly code: ImageDecodeErrorCode;
  /** The format as sniffed from the magic bytes, when known. */
  readonly format: ImageFormat | undefined;
  constructor(code: ImageDecodeErrorCode, format: ImageFormat | undefined, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.format = format;
  }
}

/** What one decode may cost, checked against the header's claims before any allocation. */
export interface DecodeLimits {
  /** Most pixels (width × height) the file may declare. */
  maxPixels: number;
  /** Most bytes the decoder may allocate in all (output included), at its peak. */
  maxBytes: number;
}

/** `decodeImage: invalid JPEG file: …`, with the code callers branch on. */
export function decodeError(code: ImageDecodeErrorCode, format: ImageFormat, what: string, cause?: unknown): ImageDecodeError {
  const lead =
    code === 'UNSUPPORTED_FEATURE' ? 'unsupported' : code === 'TRUNCATED' ? 'truncated' : code === 'CORRUPT' ? 'invalid' : 'refused';
  return new ImageDecodeError(
    code,
    format,
    `decodeImage: ${lead} ${format.toUpperCase()} file: ${what}`,
    cause === undefined ? undefined : { cause },
  );
}

/** Refuses a declared size over `limits.maxPixels` or a side over MAX_SIDE, before anything is allocated for it. */
export function checkPixels(format: ImageFormat, limits: DecodeLimits, width: number, height: number): void {
  if (width <= MAX_SIDE && height <= MAX_SIDE && width * height <= limits.maxPixels) return;
  throw decodeError(
    'TOO_MANY_PIXELS',
    format,
    `the file declares ${width}×${height} pixels; accepted are 1…${MAX_SIDE} per side and at most ${limits.maxPixels} pixels (options.maxPixels)`,
  );
}

const mb = (n: number): string => (n < 2 ** 20 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 2 ** 20).toFixed(1)} MiB`);

/**
 * Refuses a decode whose buffers (`parts`: name → bytes, all alive at the peak) would exceed
 * `limits.maxBytes`, before any of them is allocated.
 */
export function checkBudget(format: ImageFormat, limits: DecodeLimits, size: string, parts: Record<string, number>): void {
  const total = Object.values(parts).reduce((a, b) => a + b, 0);
  if (total <= limits.maxBytes) return;
  const list = Object.entries(parts)
    .filter(([, b]) => b > 0)
    .map(([k, b]) => `${k} ${mb(b)}`)
    .join(', ');
  throw decodeError(
    'OVER_BUDGET',
    format,
    `decoding this ${size} image needs ${mb(total)} (${list}), more than options.maxBytes = ${mb(limits.maxBytes)}` +
      (format === 'jpeg'
        ? '; pass options.minSide to decode it at 1/2, 1/4 or 1/8 scale, or raise maxBytes'
        : '; raise options.maxBytes to accept it'),
  );
}
