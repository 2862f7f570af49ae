// The pixel input every entry point accepts: interleaved 8-bit samples, row-major, no
// padding between rows. `ImageData` from a canvas fits as is (RGBA, Uint8ClampedArray).

/** Samples per pixel: gray, RGB or RGBA (alpha is ignored). */
export type ImageChannels = 1 | 3 | 4;

export interface ImageInput {
  /** width · height · channels samples, row-major, channels interleaved. */
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  /** @defaultValue inferred from `data.length / (width · height)`, which must then be 1, 3 or 4 */
  channels?: ImageChannels;
}

/** An `ImageInput` after validation: `channels` known, sizes checked. */
export interface PixelImage extends ImageInput {
  channels: ImageChannels;
}
