// The network's input contract (how an image becomes the input tensor): torchvision's
// ImageNet evaluation transform unless the caller says otherwise.
import type { InputSpec } from '../../ts-sdk/model/graph.ts';
import { MAX_INPUT_CHANNELS } from '../../ts-sdk/preprocess/validate-spec.ts';
import { ConvertError } from './errors.ts';

/** torchvision: Resize(256) → CenterCrop(224) → ToTensor → Normalize(mean, std). */
export const IMAGENET_INPUT: Readonly<InputSpec> = Object.freeze({
  height: 224,
  width: 224,
  channels: 3,
  resize: 256,
  crop: 'center',
  interpolation: 'bilinear',
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
  color: 'rgb',
  // torchvision's ImageNet pipeline resizes a PIL image: 8-bit, rounded after each pass.
  resizeMode: 'pil',
});

export interface InputOptions {
  /** Network input side (square) or [height, width]. @defaultValue the ONNX input's static size, else 224 */
  size?: number | [number, number];
  /** Shorter side after Resize; 0 = resize straight to the input size. @defaultValue round(size · 256/224) (torchvision's 0.875 crop ratio) */
  resize?: number;
  /** @defaultValue ImageNet mean (0.485, 0.456, 0.406) */
  mean?: number[];
  /** @defaultValue ImageNet std (0.229, 0.224, 0.225) */
  std?: number[];
  /** @defaultValue 'rgb' for 3-channel networks, else 'gray-replicate' */
  color?: InputSpec['color'];
  /** @defaultValue 'center' */
  crop?: InputSpec['crop'];
  /** 'pil': resize like PIL on 8-bit images (torchvision's usual pipeline); 'float': like torchvision's tensor path. @defaultValue 'pil' */
  resizeMode?: InputSpec['resizeMode'];
}

/** Merge options with what the ONNX input declares ([N, C, H, W], H/W possibly symbolic). */
export function makeInputSpec(opts: InputOptions, onnxShape?: (number | string)[]): InputSpec {
  const staticDim = (i: number): number | undefined => {
    const d = onnxShape?.[i];
    return typeof d === 'number' && d > 0 ? d : undefined;
  };
  const [height, width] =
    opts.size === undefined
      ? [staticDim(2) ?? 224, staticDim(3) ?? staticDim(2) ?? 224]
      : typeof opts.size === 'number'
        ? [opts.size, opts.size]
        : opts.size;
  const channels = staticDim(1) ?? 3;
  // Checked before anything is sized by it (the mean/std arrays, the error message's example).
  if (channels > MAX_INPUT_CHANNELS)
    throw new ConvertError(
      'BAD_INPUT',
      `the network's input has ${channels} channels; edge-resnet takes images of 1 to ${MAX_INPUT_CHANNELS} channels`,
    );
  const resize = opts.resize ?? (height === 224 && width === 224 ? 256 : Math.round((Math.min(height, width) * 256) / 224));
  const mean = opts.mean ?? IMAGENET_INPUT.mean;
  const std = opts.std ?? IMAGENET_INPUT.std;
  for (const [name, v, given] of [
    ['mean', mean, opts.mean],
    ['std', std, opts.std],
  ] as const) {
    if (v.length !== channels && v.length !== 1) {
      const what = given ? `${name} has ${v.length} values` : `the default ${name} is ImageNet's ${v.length} values`;
      throw new ConvertError(
        'BAD_INPUT',
        `${what} but the network takes ${channels} channel${channels === 1 ? '' : 's'}: give the Normalize ${name} the network was trained with, one value per channel or one for all (CLI: --${name} ${channels === 1 ? '0.5' : new Array(channels).fill('0.5').join(',')}; library: input.${name})`,
      );
    }
  }
  if (std.some((s) => !(s > 0))) throw new ConvertError('BAD_INPUT', `std must be positive, got [${std}] (CLI: --std; library: input.std)`);
  if (!(height > 0 && width > 0 && Number.isInteger(height) && Number.isInteger(width)))
    throw new ConvertError('BAD_INPUT', `input size must be positive integers, got ${height}×${width}`);
  const fill = (v: number[]) => (v.length === channels ? [...v] : new Array<number>(channels).fill(v[0]));
  return {
    height,
    width,
    channels,
    resize,
    crop: opts.crop ?? 'center',
    interpolation: 'bilinear',
    mean: fill(mean),
    std: fill(std),
    // A 1-channel network takes gray; preprocessing needs 'gray-replicate' for anything but 3 channels.
    color: opts.color ?? (channels === 3 ? 'rgb' : 'gray-replicate'),
    resizeMode: opts.resizeMode ?? 'pil',
  };
}

/** Exact range of a normalized input value: pixels are in [0, 1] before Normalize. */
export function inputRange(spec: InputSpec): { lo: number; hi: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let c = 0; c < spec.channels; c++) {
    min = Math.min(min, (0 - spec.mean[c]) / spec.std[c]);
    max = Math.max(max, (1 - spec.mean[c]) / spec.std[c]);
  }
  return { lo: min, hi: max };
}
