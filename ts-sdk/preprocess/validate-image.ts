// Checks a caller's image before any pixel is read: TypeError when it is not an image we
// accept, RangeError when its sizes are wrong. Messages say what was expected and what came.
import type { ImageChannels, ImageInput, PixelImage } from './image.ts';

/** Largest accepted side, in pixels (panoramas up to 32768 wide pass). */
export const MAX_SIDE = 1 << 15;
/** Largest accepted pixel count (268 MP; an RGBA image that size is already 1 GiB). */
export const MAX_PIXELS = 1 << 28;

const ACCEPTED =
  '{ data: Uint8Array | Uint8ClampedArray, width, height, channels?: 1 | 3 | 4 } (an ImageData fits); ' +
  'for an ImageBitmap, HTMLImageElement, HTMLCanvasElement, OffscreenCanvas or Blob await toImageData(source) first, ' +
  'for encoded JPEG/PNG bytes use decodeImage() from the decode entry point';

/** A short description of any value for error messages: `Float32Array(12)`, `string`, `null`. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v !== 'object') return typeof v === 'number' ? `number ${v}` : typeof v;
  const name = Object.getPrototypeOf(v)?.constructor?.name ?? 'object';
  return ArrayBuffer.isView(v) && 'length' in v ? `${name}(${(v as { length: number }).length})` : name;
}

/** Checks a size that must be an integer in [1, max]; `what` names it in the message. */
export function checkSide(fn: string, what: string, v: unknown, max = MAX_SIDE): number {
  if (typeof v !== 'number') throw new TypeError(`${fn}: ${what} must be a number, got ${describe(v)}`);
  if (!Number.isInteger(v) || v < 1 || v > max) {
    throw new RangeError(`${fn}: ${what} must be an integer in [1, ${max}], got ${v}`);
  }
  return v;
}

/** Validates `image` and returns it with `channels` filled in. */
export function validateImage(image: unknown, fn = 'preprocess'): PixelImage {
  if (typeof image !== 'object' || image === null || !('data' in image)) {
    throw new TypeError(`${fn}: expected an image ${ACCEPTED}; got ${describe(image)}`);
  }
  const { data, width, height, channels } = image as ImageInput;
  if (!(data instanceof Uint8Array || data instanceof Uint8ClampedArray)) {
    throw new TypeError(`${fn}: image.data must be a Uint8Array or Uint8ClampedArray of 8-bit samples, got ${describe(data)}`);
  }
  const w = checkSide(fn, 'image.width', width);
  const h = checkSide(fn, 'image.height', height);
  if (w * h > MAX_PIXELS) {
    throw new RangeError(`${fn}: image is ${w}×${h} = ${w * h} pixels, more than the ${MAX_PIXELS} accepted; downscale it first`);
  }
  let c: ImageChannels;
  if (channels === undefined) {
    const inferred = data.length / (w * h);
    if (inferred !== 1 && inferred !== 3 && inferred !== 4) {
      throw new RangeError(
        `${fn}: image.data has ${data.length} samples, expected ${w}×${h}×channels = ${w * h}, ${3 * w * h} or ${4 * w * h} (channels 1, 3 or 4)`,
      );
    }
    c = inferred;
  } else {
    if (typeof channels !== 'number') throw new TypeError(`${fn}: image.channels must be 1, 3 or 4, got ${describe(channels)}`);
    if (channels !== 1 && channels !== 3 && channels !== 4) {
      throw new RangeError(`${fn}: image.channels must be 1, 3 or 4, got ${channels}`);
    }
    c = channels;
    if (data.length !== w * h * c) {
      throw new RangeError(`${fn}: image.data has ${data.length} samples, expected ${w}×${h}×${c} = ${w * h * c}`);
    }
  }
  return { data, width: w, height: h, channels: c };
}
