// Separate entry point: JPEG/PNG bytes → pixels (depends on jpeg-js and fast-png; the core does not).
export { decodeImage, DEFAULT_DECODE_OPTIONS, type DecodeOptions } from './decode-image.ts';
export type { DecodedImage } from './decoded-image.ts';
