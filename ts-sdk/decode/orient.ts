// Applies an EXIF orientation to interleaved pixels: the image as a viewer shows it.
import type { DecodedImage } from './decoded-image.ts';
import type { Orientation } from './exif-orientation.ts';

/**
 * Output pixel (x, y) of the W'×H' result reads source pixel (sx, sy) of the W×H input:
 * 2 mirror, 3 rotate 180°, 4 flip, 5 transpose, 6 rotate 90° clockwise, 7 transverse,
 * 8 rotate 90° counter-clockwise.
 */
export function applyOrientation(img: DecodedImage, o: Orientation): DecodedImage {
  if (o === 1) return img;
  const { width: W, height: H, channels: C, data } = img;
  const swap = o >= 5;
  const outW = swap ? H : W;
  const outH = swap ? W : H;
  const out = new Uint8Array(data.length);
  let i = 0;
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      let sx: number, sy: number;
      switch (o) {
        case 2: sx = W - 1 - x; sy = y; break;
        case 3: sx = W - 1 - x; sy = H - 1 - y; break;
        case 4: sx = x; sy = H - 1 - y; break;
        case 5: sx = y; sy = x; break;
        case 6: sx = y; sy = H - 1 - x; break;
        case 7: sx = W - 1 - y; sy = H - 1 - x; break;
        default: sx = W - 1 - y; sy = x; break; // 8
      }
      const s = (sy * W + sx) * C;
      for (let c = 0; c < C; c++) out[i++] = data[s + c];
    }
  }
  return { data: out, width: outW, height: outH, channels: C };
}
