// PNG → 8-bit gray, RGB or RGBA with fast-png (pure JS, ESM, zlib via fflate).
// fast-png returns the samples as stored: bit-packed rows below 8 bits, Uint16Array at 16
// bits, palette indices for indexed images. We normalize those as PIL's Image.open()
// .convert('RGB' / 'L') does: 16 bits → the high byte (libpng's strip_16; PIL clips 16-bit
// *gray* at 255 instead, which we don't copy), 1/2/4-bit gray scaled to 0…255, palette
// expanded to RGB, gray+alpha → gray. fast-png inflates the whole stream before we see
// it: the header size check bounds honest files, not a deflate bomb (cap the byte size).
import { decode } from 'fast-png';
import type { DecodedImage } from './decoded-image.ts';

export function decodePng(bytes: Uint8Array): DecodedImage {
  // fast-png 8.0's Adam7 path assumes whole bytes per sample and garbles 1/2/4-bit rows.
  // IHDR (checked by the caller to be first): bit depth at byte 24, interlace at byte 28.
  if (bytes[28] === 1 && bytes[24] < 8) {
    throw new Error(`interlaced (Adam7) PNGs with ${bytes[24]}-bit samples are not supported; re-save the file non-interlaced or at 8 bits`);
  }
  const png = decode(bytes);
  const { width, height, depth, channels } = png;
  if (channels === 1 && png.palette) {
    return { data: expandPalette(unpackBits(png.data, width, height, depth), png.palette), width, height, channels: 3 };
  }
  if (channels === 1 && depth < 8) {
    const scale = 255 / ((1 << depth) - 1); // 1 bit: ×255, 2 bits: ×85, 4 bits: ×17 (exact)
    const v = unpackBits(png.data, width, height, depth);
    for (let i = 0; i < v.length; i++) v[i] *= scale;
    return { data: v, width, height, channels: 1 };
  }
  const data = to8Bit(png.data, depth);
  if (channels === 2) return { data: takeEvery(data, 2), width, height, channels: 1 }; // alpha dropped
  if (channels !== 1 && channels !== 3 && channels !== 4) throw new Error(`unexpected PNG channel count ${channels}`);
  return { data, width, height, channels };
}

function to8Bit(data: Uint8Array | Uint8ClampedArray | Uint16Array, depth: number): Uint8Array {
  if (depth === 16) {
    const out = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = data[i] >> 8;
    return out;
  }
  return data instanceof Uint8Array ? data : new Uint8Array(data.buffer, data.byteOffset, data.length);
}

/** One u8 per pixel from rows of `depth`-bit samples, MSB first, each row padded to a byte. */
function unpackBits(data: Uint8Array | Uint8ClampedArray | Uint16Array, width: number, height: number, depth: number): Uint8Array {
  if (depth === 8) return to8Bit(data, 8);
  const out = new Uint8Array(width * height);
  const rowBytes = Math.ceil((width * depth) / 8);
  const mask = (1 << depth) - 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      out[y * width + x] = (data[y * rowBytes + (bit >> 3)] >> (8 - depth - (bit & 7))) & mask;
    }
  }
  return out;
}

/** RGB from palette indices (a tRNS alpha in the entries is ignored, as alpha is everywhere). */
function expandPalette(index: Uint8Array, palette: number[][]): Uint8Array {
  const out = new Uint8Array(index.length * 3);
  for (let i = 0; i < index.length; i++) {
    const entry = palette[index[i]];
    if (entry === undefined) throw new Error(`palette index ${index[i]} out of range (palette has ${palette.length} entries)`);
    out[3 * i] = entry[0];
    out[3 * i + 1] = entry[1];
    out[3 * i + 2] = entry[2];
  }
  return out;
}

function takeEvery(data: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(data.length / n);
  for (let i = 0; i < out.length; i++) out[i] = data[i * n];
  return out;
}
