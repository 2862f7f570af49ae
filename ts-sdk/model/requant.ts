// The int8 requantization parameters, derived from the scales in a pack: computed in f64 and
// rounded to f32 once (docs/ARCHITECTURE.md, "Numerics"). The one place these expressions
// live: the runtime's int8 lowering streams them to the kernels, and pack validation checks
// that every one is a finite f32, so neither can drift from the other.
const f32 = Math.fround;

/** Conv, per output channel n: `fround(sx · sw[n] / sy)`. */
export function convMultipliers(sx: number, sw: ArrayLike<number>, sy: number): Float32Array {
  return Float32Array.from(sw, (s) => f32((sx * s) / sy));
}

/** FC (f32 logits), per output channel n: `fround(sx · sw[n])`. */
export function fcScales(sx: number, sw: ArrayLike<number>): Float32Array {
  return Float32Array.from(sw, (s) => f32(sx * s));
}

/** A residual or add operand rescaled to the output: `fround(s / sy)`. */
export const rescale = (s: number, sy: number): number => f32(s / sy);

/** Global average pool over H·W positions: `fround(sx / (H·W · sy))`. */
export const gapMultiplier = (sx: number, hw: number, sy: number): number => f32(sx / (hw * sy));

/** The network input's quantization: `fround(1 / s)`. */
export const inputInverse = (s: number): number => f32(1 / s);
