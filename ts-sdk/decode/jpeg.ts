// JPEG → 8-bit gray or RGB with jpeg-js (pure JS, baseline and progressive, Adobe CMYK).
// jpeg-js always emits RGB, so a one-component (gray) file is reduced back to one channel.
// Its output differs slightly from libjpeg's (PIL, browsers): chroma is upsampled by pixel
// replication, not libjpeg's "fancy" triangle filter, so 4:2:0 files differ at colour edges.
import jpeg from 'jpeg-js'; // CommonJS: the default import is the portable form (Node, Deno, Bun, bundlers)
import type { DecodedImage } from './decoded-image.ts';

export function decodeJpeg(bytes: Uint8Array, components: number | undefined, maxPixels: number): DecodedImage {
  const { width, height, data } = jpeg.decode(bytes, {
    useTArray: true, // Uint8Array, never Node's Buffer
    formatAsRGBA: false,
    tolerantDecoding: true, // skips MCUs past the frame, which some encoders write (browsers accept them too)
    maxResolutionInMP: maxPixels / 1e6,
    // Room for the component planes plus the RGB output (≈ 4 bytes a pixel), with slack.
    maxMemoryUsageInMB: Math.ceil((maxPixels * 8) / 2 ** 20) + 64,
  });
  if (components !== 1) return { data, width, height, channels: 3 };
  const gray = new Uint8Array(width * height);
  for (let i = 0; i < gray.length; i++) gray[i] = data[3 * i];
  return { data: gray, width, height, channels: 1 };
}
