// What decodeImage returns: an ImageInput with its channel count always set.
import type { PixelImage } from '../preprocess/image.ts';

export interface DecodedImage extends PixelImage {
  data: Uint8Array;
}
