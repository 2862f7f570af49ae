// The one error decodeImage throws for a file it cannot or will not decode, and the limits
// every decoder checks before it allocates. Callers branch on `code`; the message says, in
// our words, what is wrong with the file and what is accepted.

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

export class ImageDecodeError extends Error {
  override name = 'ImageDecodeError';
  readonly code: ImageDecodeErrorCode;
  /** The format as sniffed from the magic bytes, when known. */
  readonly format: 'png' | 'jpeg' | undefined;
  constructor(code: ImageDecodeErrorCode, format: 'png' | 'jpeg' | undefined, message: string) {
    super(message);
    this.code = code;
    this.format = format;
  }
}

/** What one decode may cost, checked against the header's claims before any allocation. */
export interface DecodeLimits {
  /** Most pixels (width × height) of the decoded image. */
  maxPixels: number;
  /** Most bytes the decoder may allocate in all (output included), at its peak. */
  maxBytes: number;
}
