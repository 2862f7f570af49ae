// An independent, deliberately naive preprocess for small images, written from the
// definitions rather than from ts-sdk/preprocess: dense 2D weights (every source pixel,
// triangle filter widened by the downscale factor, normalized), resized size and crop
// offset passed in (taken from torchvision tables in the tests), luma from PIL's formula.
import type { InputSpec } from '../../ts-sdk/model/graph.ts';

function denseWeights(inSize: number, outSize: number, i: number): Float64Array {
  const scale = inSize / outSize;
  const fs = Math.max(scale, 1);
  const center = (i + 0.5) * scale;
  const w = new Float64Array(inSize);
  let total = 0;
  for (let x = 0; x < inSize; x++) {
    const d = Math.abs(x + 0.5 - center) / fs;
    w[x] = d < 1 ? 1 - d : 0;
    total += w[x];
  }
  return w.map((v) => v / total);
}

export interface NaiveImage {
  data: ArrayLike<number>;
  width: number;
  height: number;
  channels: number;
}

export function naivePreprocess(img: NaiveImage, spec: InputSpec, resized: [number, number], offset: [number, number]): Float64Array {
  const { width: W, height: H, channels: C } = img;
  const sample = (x: number, y: number, c: number): number => {
    const p = (y * W + x) * C;
    if (C === 1) return img.data[p];
    // PIL's convert('L'): (R·19595 + G·38470 + B·7471 + 2^15) >> 16, i.e. 601-2 luma rounded to u8.
    if (spec.color === 'gray-replicate')
      return Math.floor((img.data[p] * 19595 + img.data[p + 1] * 38470 + img.data[p + 2] * 7471 + 32768) / 65536);
    return img.data[p + c];
  };
  const out = new Float64Array(spec.channels * spec.height * spec.width);
  for (let oy = 0; oy < spec.height; oy++) {
    const ry = offset[1] + oy;
    const wy = ry >= 0 && ry < resized[1] ? denseWeights(H, resized[1], ry) : undefined;
    for (let ox = 0; ox < spec.width; ox++) {
      const rx = offset[0] + ox;
      const wx = rx >= 0 && rx < resized[0] ? denseWeights(W, resized[0], rx) : undefined;
      for (let c = 0; c < spec.channels; c++) {
        let v = 0; // zero padding outside the resized image, as torchvision pads
        if (wx && wy) for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) v += wy[y] * wx[x] * sample(x, y, c);
        out[(c * spec.height + oy) * spec.width + ox] = (v / 255 - spec.mean[c]) / spec.std[c];
      }
    }
  }
  return out;
}

/**
 * Pillow's Image.resize(BILINEAR) for u8, naively: the whole image, horizontal pass then
 * vertical, each output sample from weights computed afresh over every source index, in
 * Pillow's double arithmetic (so the doubles match), rounded to 22-bit fixed point, the sum
 * rounded half up and clipped to u8. `planes` samples per pixel, all resized.
 */
export function naivePilResize(data: ArrayLike<number>, w: number, h: number, planes: number, ow: number, oh: number): Uint8Array {
  const fixedWeights = (inSize: number, outSize: number, i: number): number[] => {
    const scale = inSize / outSize;
    const fs = Math.max(scale, 1);
    const center = (i + 0.5) * scale;
    // Pillow's window [trunc(center − fs + 0.5), trunc(center + fs + 0.5)) ∩ [0, inSize); the
    // triangle is 0 outside it, but the total must add exactly these terms, in this order.
    const lo = Math.max(Math.trunc(center - fs + 0.5), 0);
    const hi = Math.min(Math.trunc(center + fs + 0.5), inSize);
    const k = new Array<number>(inSize).fill(0);
    let total = 0;
    for (let x = lo; x < hi; x++) {
      const d = Math.abs((x - center + 0.5) * (1 / fs));
      k[x] = d < 1 ? 1 - d : 0;
      total += k[x];
    }
    return k.map((v) => Math.floor(0.5 + (v / total) * 4194304));
  };
  const nonzero = (k: number[]): number[] => k.flatMap((v, t) => (v !== 0 ? [t] : []));
  const pass = (src: ArrayLike<number>, sw: number, sh: number, dw: number, dh: number, horizontal: boolean): Uint8Array => {
    const out = new Uint8Array(dw * dh * planes);
    const n = horizontal ? dw : dh;
    for (let i = 0; i < n; i++) {
      const k = fixedWeights(horizontal ? sw : sh, n, i);
      const taps = nonzero(k); // zero weights add nothing; skipping them only saves time
      for (let j = 0; j < (horizontal ? dh : dw); j++) {
        for (let c = 0; c < planes; c++) {
          let s = 2097152;
          for (const t of taps) s += k[t] * src[(horizontal ? j * sw + t : t * sw + j) * planes + c];
          out[(horizontal ? j * dw + i : i * dw + j) * planes + c] = Math.min(255, Math.floor(s / 4194304));
        }
      }
    }
    return out;
  };
  return pass(pass(data, w, h, ow, h, true), ow, h, ow, oh, false);
}
