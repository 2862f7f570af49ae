// Checks an InputSpec once per call. A spec normally comes from a pack, so a failure here
// means a bad pack or a hand-written spec; the message names the field.
import type { InputSpec } from '../model/graph.ts';
import { checkSide, describe } from './validate-image.ts';

/** Most channels an image input may have (a multispectral network's bands included). */
export const MAX_INPUT_CHANNELS = 64;

export function validateSpec(spec: InputSpec, fn = 'preprocess'): void {
  if (typeof spec !== 'object' || spec === null) throw new TypeError(`${fn}: expected an InputSpec, got ${describe(spec)}`);
  checkSide(fn, 'spec.height', spec.height);
  checkSide(fn, 'spec.width', spec.width);
  checkSide(fn, 'spec.channels', spec.channels, MAX_INPUT_CHANNELS);
  if (typeof spec.resize !== 'number') throw new TypeError(`${fn}: spec.resize must be a number, got ${describe(spec.resize)}`);
  if (spec.resize !== 0) checkSide(fn, 'spec.resize (0 = straight to height×width)', spec.resize);
  if (spec.crop !== 'center' && spec.crop !== 'none')
    throw new TypeError(`${fn}: spec.crop must be 'center' or 'none', got ${String(spec.crop)}`);
  if (spec.interpolation !== 'bilinear')
    throw new TypeError(`${fn}: spec.interpolation must be 'bilinear', got ${String(spec.interpolation)}`);
  if (spec.resizeMode !== undefined && spec.resizeMode !== 'float' && spec.resizeMode !== 'pil') {
    throw new TypeError(`${fn}: spec.resizeMode must be 'float', 'pil' or absent (= 'float'), got ${String(spec.resizeMode)}`);
  }
  if (spec.color !== 'rgb' && spec.color !== 'gray-replicate') {
    throw new TypeError(`${fn}: spec.color must be 'rgb' or 'gray-replicate', got ${String(spec.color)}`);
  }
  if (spec.color === 'rgb' && spec.channels !== 3) {
    throw new RangeError(`${fn}: spec.color 'rgb' needs spec.channels 3, got ${spec.channels}`);
  }
  for (const [name, v] of [
    ['mean', spec.mean],
    ['std', spec.std],
  ] as const) {
    if (!Array.isArray(v)) throw new TypeError(`${fn}: spec.${name} must be an array of numbers, got ${describe(v)}`);
    if (v.length !== spec.channels)
      throw new RangeError(`${fn}: spec.${name} has ${v.length} values, expected spec.channels = ${spec.channels}`);
    if (!v.every((x) => typeof x === 'number' && Number.isFinite(x)))
      throw new RangeError(`${fn}: spec.${name} must be finite numbers, got [${v}]`);
  }
  if (spec.std.some((s) => s === 0)) throw new RangeError(`${fn}: spec.std must not contain 0, got [${spec.std}]`);
}
