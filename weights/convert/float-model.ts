// The converter's float model: fp32, every tensor `plain` (weights in their logical layouts:
// conv OHWI, fc [cout][cin]), as matchResnet makes it. The quantizer, the fp32 lowering and the
// reference take only that; a pack-ready model (toInt8 / toFp32 output, a read pack) is refused.
import type { Model } from '../../ts-sdk/model/graph.ts';

/** Throws a TypeError naming what `fn` got unless `model` is a float model in logical layouts. */
export function requireFloatModel(model: Model, fn: string): void {
  const packed = [...model.tensors.values()].find((t) => t.layout !== 'plain');
  if (model.graph.precision === 'fp32' && !packed) return;
  const got =
    model.graph.precision !== 'fp32'
      ? `an ${model.graph.precision} model`
      : `tensor '${packed!.name}' in the packed layout '${packed!.layout}'`;
  throw new TypeError(`${fn} needs the converter's float model (fp32, weights in their logical layouts), got ${got}`);
}
