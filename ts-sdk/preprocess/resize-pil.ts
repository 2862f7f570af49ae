// Pillow's `Image.resize(size, BILINEAR)` on an 8-bit image, restricted to a window of the
// result: what torchvision's PIL path computes before ToTensor (resizeMode 'pil').
//
// Each output pixel of each pass depends only on its own taps, so computing only the pixels
// inside the crop window gives the same values as Pillow's full resize followed by the crop.
// Pillow skips a pass whose size is unchanged; with a unit scale the taps are [2^22] and the
// pass is the identity, so running it changes nothing.
import type { PixelImage } from './image.ts';
import type { SourceMode } from './resample-passes.ts';
import { pilHorizontalPass, pilVerticalPass } from './resample-pil-passes.ts';
import { pilBilinearTaps } from './resample-pil-weights.ts';
import { keepUsedRows } from './resample-weights.ts';

/** Planes the resize produces for a source mode: 3 for 'rgb', 1 for 'gray' and 'luma'. */
export const planesOf = (mode: SourceMode): number => (mode === 'rgb' ? 3 : 1);

/**
 * Pixels [left, left + outW) × [top, top + outH) of `img` resized to resizedW × resizedH, as
 * `outH × outW × planes` interleaved u8; pixels outside the resized image are 0 (torchvision's
 * CenterCrop zero padding). `left = top = 0`, `outW = resizedW`, `outH = resizedH` gives the
 * whole resized image, equal to Pillow's.
 */
export function resizeWindowPil(
  img: PixelImage,
  mode: SourceMode,
  resizedW: number,
  resizedH: number,
  left: number,
  top: number,
  outW: number,
  outH: number,
): Uint8ClampedArray {
  const tapsX = pilBilinearTaps(img.width, resizedW, left, outW);
  const tapsY = pilBilinearTaps(img.height, resizedH, top, outH);
  const { y0, rows } = keepUsedRows(tapsY, img.height);
  const planes = planesOf(mode);
  const tmp = new Uint8ClampedArray(rows * outW * planes);
  pilHorizontalPass(img.data, img.width, img.channels, mode, tapsX, y0, rows, tmp);
  const out = new Uint8ClampedArray(outH * outW * planes);
  pilVerticalPass(tmp, outW * planes, tapsY, out);
  return out;
}
