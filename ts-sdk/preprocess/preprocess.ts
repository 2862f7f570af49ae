// Image → the network's NCHW f32 input, with torchvision's semantics:
//   [Grayscale] → Resize(resize) (bilinear, antialiased) → CenterCrop → ToTensor → Normalize.
// Resize and crop are fused: only the resized pixels inside the crop window are computed,
// which with the per-axis taps keeps a 4 MP photo → 224×224 at tens of milliseconds.
// spec.resizeMode picks the resize arithmetic: 'float' (default) as torchvision's tensor
// path, 'pil' as its PIL path (Pillow's fixed point, u8 after each pass; resize-pil.ts).
import type { InputSpec } from '../model/graph.ts';
import type { ImageInput } from './image.ts';
import { geometry } from './geometry.ts';
import { bilinearTaps, keepUsedRows } from './resample-weights.ts';
import { horizontalPass, verticalPassNormalize, type SourceMode } from './resample-passes.ts';
import { planesOf, resizeWindowPil } from './resize-pil.ts';
import { toTensorNormalize } from './to-tensor.ts';
import { describe, validateImage } from './validate-image.ts';
import { validateSpec } from './validate-spec.ts';

/** The 1×C×H×W tensor (batch 1, planar) for `image` under `spec`. */
export function preprocess(image: ImageInput, spec: InputSpec): Float32Array<ArrayBuffer> {
  validateSpec(spec, 'preprocess');
  return run(image, spec, new Float32Array(spec.channels * spec.height * spec.width), 'preprocess');
}

/** As `preprocess`, written into `out` (exactly C·H·W floats, e.g. a view of the arena); returns `out`. */
export function preprocessInto<T extends Float32Array>(image: ImageInput, spec: InputSpec, out: T): T {
  validateSpec(spec, 'preprocessInto');
  return run(image, spec, out, 'preprocessInto');
}

function run<T extends Float32Array>(image: ImageInput, spec: InputSpec, out: T, fn: string): T {
  const img = validateImage(image, fn);
  if (!(out instanceof Float32Array)) throw new TypeError(`${fn}: out must be a Float32Array, got ${describe(out)}`);
  const expected = spec.channels * spec.height * spec.width;
  if (out.length !== expected) {
    throw new RangeError(`${fn}: out has ${out.length} floats, expected ${spec.channels}×${spec.height}×${spec.width} = ${expected}`);
  }

  const g = geometry(img.width, img.height, spec, fn);
  // Gray sources are resized once and replicated; RGB → gray uses PIL's u8 luma first.
  const mode: SourceMode = img.channels === 1 ? 'gray' : spec.color === 'gray-replicate' ? 'luma' : 'rgb';
  const planes = planesOf(mode);

  if (spec.resizeMode === 'pil') {
    const u8 = resizeWindowPil(img, mode, g.resizedW, g.resizedH, g.left, g.top, spec.width, spec.height);
    toTensorNormalize(u8, planes, spec.mean, spec.std, out);
    return out;
  }

  const tapsX = bilinearTaps(img.width, g.resizedW, g.left, spec.width);
  const tapsY = bilinearTaps(img.height, g.resizedH, g.top, spec.height);
  const { y0, rows } = keepUsedRows(tapsY, img.height);
  const tmp = new Float32Array(rows * spec.width * planes);
  horizontalPass(img.data, img.width, img.channels, mode, tapsX, y0, rows, tmp);
  verticalPassNormalize(tmp, spec.width, planes, tapsY, spec.mean, spec.std, out);
  return out;
}
