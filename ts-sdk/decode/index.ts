// Separate entry point: JPEG/PNG bytes → pixels within a stated memory budget (no dependencies).
export { decodeImage, DEFAULT_DECODE_OPTIONS, type DecodeOptions } from './decode-image.ts';
export { ImageDecodeError, type ImageDecodeErrorCode } from './errors.ts';
export type { DecodedImage } from './decoded-image.ts';
