// The int8 kernels' last step (docs/ARCHITECTURE.md, "Numerics"): clamp(nearest(v), lo, hi) + zy
// on four f32 lanes, with integer bounds |lo|, |hi| ≤ 255 — in six x64 instructions, where
// f32x4.nearest + i32x4.trunc_sat_f32x4_s + the add take nine in V8.
// Clamping before rounding gives the same integers because the bounds are integers. Adding
// 1.5·2^23 rounds to the nearest integer, ties to even (the f32 add's own rounding): for
// |v| < 2^22 the sum lies in [2^23, 2^24), where f32 values are spaced exactly 1 apart, and its
// bit pattern is 0x4B400000 + round(v). Subtracting 0x4B400000 − zy from the bits gives the result.
// A NaN (∞ − ∞ from a pack whose multipliers are finite but huge) becomes 0 first, so the
// output is zy, as trunc_sat and the scalar twins give.
const ROUNDER: f32 = 12582912.0; // 1.5 · 2^23, bits 0x4B400000

/** The last operand of requantize for output zero point zy. */
@inline export function requantizeOffset(zy: i32): v128 {
  return i32x4.splat(0x4b400000 - zy);
}

/** i32 lanes clamp(nearest(v), lo, hi) + zy; `offset` is requantizeOffset(zy). */
@inline export function requantize(v: v128, lo: v128, hi: v128, offset: v128): v128 {
  const number = v128.and(v, f32x4.eq(v, v));
  return i32x4.sub(f32x4.add(f32x4.pmin(f32x4.pmax(number, lo), hi), f32x4.splat(ROUNDER)), offset);
}
