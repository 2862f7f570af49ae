// Where the network's input pixels come from: torchvision's Resize output size and
// CenterCrop window (torchvision 0.14 transforms/functional.py), reproduced bit for bit,
// because a one-pixel shift of the crop is a visible accuracy difference.
import type { InputSpec } from '../model/graph.ts';

export interface Geometry {
  /** Size of the resized image (before the crop). */
  resizedW: number;
  resizedH: number;
  /** First resized column/row of the output window; negative = zero padding (crop larger than image). */
  left: number;
  top: number;
}

/** Python's round(): halves go to the even neighbour (round(0.5) = 0, round(2.5) = 2). */
export function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * `_compute_resized_output_size`: the shorter side becomes `resize`, the longer
 * `int(resize * long / short)` (float64 division, truncated); `resize` 0 = spec's size.
 */
export function resizedSize(srcW: number, srcH: number, spec: InputSpec): [number, number] {
  if (spec.resize === 0) return [spec.width, spec.height];
  const [short, long] = srcW <= srcH ? [srcW, srcH] : [srcH, srcW];
  const newLong = Math.trunc((spec.resize * long) / short);
  return srcW <= srcH ? [spec.resize, newLong] : [newLong, spec.resize];
}

/**
 * `center_crop`: offset `int(round((size - crop) / 2))`; when the crop is larger, torchvision
 * first zero-pads `(crop - size) // 2` before, which is a negative offset here.
 */
export function cropOffset(size: number, crop: number): number {
  return crop > size ? -Math.floor((crop - size) / 2) : roundHalfEven((size - crop) / 2);
}

export function geometry(srcW: number, srcH: number, spec: InputSpec, fn = 'preprocess'): Geometry {
  const [resizedW, resizedH] = resizedSize(srcW, srcH, spec);
  if (spec.crop === 'center') {
    return { resizedW, resizedH, left: cropOffset(resizedW, spec.width), top: cropOffset(resizedH, spec.height) };
  }
  if (resizedW !== spec.width || resizedH !== spec.height) {
    throw new RangeError(
      `${fn}: Resize(${spec.resize}) turns this ${srcW}×${srcH} image into ${resizedW}×${resizedH}, but the network takes ` +
        `${spec.width}×${spec.height} and spec.crop is 'none'; pass a ${spec.width}:${spec.height} image, or use a spec with resize 0 or crop 'center'`,
    );
  }
  return { resizedW, resizedH, left: 0, top: 0 };
}
