// Peak-throughput probes for bench/kernels.ts (not shipped): independent chains of one
// multiply-accumulate instruction, enough of them to hide its latency.
// Returns a value derived from every chain so nothing is optimized away.

export function peak_dot_i16x8(p: usize, iters: i32): i32 {
  // Distinct operand pairs per chain: identical ones would be merged by the JIT (CSE).
  const x0 = v128.load(p), x1 = v128.load(p, 16), x2 = v128.load(p, 32), x3 = v128.load(p, 48);
  const w0 = v128.load(p, 64), w1 = v128.load(p, 80);
  let a0 = i32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  for (let i = 0; i < iters; i++) {
    a0 = i32x4.add(a0, i32x4.dot_i16x8_s(x0, w0)); a1 = i32x4.add(a1, i32x4.dot_i16x8_s(x0, w1));
    a2 = i32x4.add(a2, i32x4.dot_i16x8_s(x1, w0)); a3 = i32x4.add(a3, i32x4.dot_i16x8_s(x1, w1));
    a4 = i32x4.add(a4, i32x4.dot_i16x8_s(x2, w0)); a5 = i32x4.add(a5, i32x4.dot_i16x8_s(x2, w1));
    a6 = i32x4.add(a6, i32x4.dot_i16x8_s(x3, w0)); a7 = i32x4.add(a7, i32x4.dot_i16x8_s(x3, w1));
  }
  const s = i32x4.add(i32x4.add(i32x4.add(a0, a1), i32x4.add(a2, a3)), i32x4.add(i32x4.add(a4, a5), i32x4.add(a6, a7)));
  return i32x4.extract_lane(s, 0);
}
/** Multiply-accumulates per iteration of peak_dot_i16x8. */
export const PEAK_DOT_I16X8_MACS: i32 = 8 * 8;

/**
 * i32x4.dot_i16x8_s alone: 8 chains that feed each dot's result into the next dot, no add.
 * Its throughput against peak_dot_i16x8's says what the accumulate costs: a GEMM needs one
 * add per dot (wasm SIMD has no fused dot-accumulate outside the relaxed set).
 */
export function peak_dot_i16x8_alone(p: usize, iters: i32): i32 {
  const w0 = v128.load(p, 64), w1 = v128.load(p, 80);
  let a0 = v128.load(p), a1 = v128.load(p, 16), a2 = v128.load(p, 32), a3 = v128.load(p, 48);
  let a4 = i32x4.add(a0, w0), a5 = i32x4.add(a1, w0), a6 = i32x4.add(a2, w1), a7 = i32x4.add(a3, w1);
  for (let i = 0; i < iters; i++) {
    a0 = i32x4.dot_i16x8_s(a0, w0); a1 = i32x4.dot_i16x8_s(a1, w1);
    a2 = i32x4.dot_i16x8_s(a2, w0); a3 = i32x4.dot_i16x8_s(a3, w1);
    a4 = i32x4.dot_i16x8_s(a4, w0); a5 = i32x4.dot_i16x8_s(a5, w1);
    a6 = i32x4.dot_i16x8_s(a6, w0); a7 = i32x4.dot_i16x8_s(a7, w1);
  }
  const s = i32x4.add(i32x4.add(i32x4.add(a0, a1), i32x4.add(a2, a3)), i32x4.add(i32x4.add(a4, a5), i32x4.add(a6, a7)));
  return i32x4.extract_lane(s, 0);
}

/**
 * The 4×8c2 GEMM's inner loop with its loads, operands cycling through 3 KB (L1): four A pairs
 * splatted from i16 and eight weights, widened from i8 on load as the shipped kernel does
 * (peak_gemm_loop_i8w), or already i16 in memory (peak_gemm_loop_i16w) — what storing the
 * weights widened would buy. `wide` is a constant in each caller, so the branch folds away.
 */
@inline function gemmLoop(p: usize, iters: i32, wide: bool): i32 {
  let a0 = i32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  for (let i = 0; i < iters; i++) {
    const o = <usize>(i & 63) << 4;
    const w0 = wide ? v128.load(p + (o << 1)) : v128.load8x8_s(p + o);
    const w1 = wide ? v128.load(p + (o << 1), 16) : v128.load8x8_s(p + o, 8);
    const x0 = v128.load32_splat(p + o, 2048), x1 = v128.load32_splat(p + o, 2052);
    const x2 = v128.load32_splat(p + o, 2056), x3 = v128.load32_splat(p + o, 2060);
    a0 = i32x4.add(a0, i32x4.dot_i16x8_s(x0, w0)); a1 = i32x4.add(a1, i32x4.dot_i16x8_s(x0, w1));
    a2 = i32x4.add(a2, i32x4.dot_i16x8_s(x1, w0)); a3 = i32x4.add(a3, i32x4.dot_i16x8_s(x1, w1));
    a4 = i32x4.add(a4, i32x4.dot_i16x8_s(x2, w0)); a5 = i32x4.add(a5, i32x4.dot_i16x8_s(x2, w1));
    a6 = i32x4.add(a6, i32x4.dot_i16x8_s(x3, w0)); a7 = i32x4.add(a7, i32x4.dot_i16x8_s(x3, w1));
  }
  const s = i32x4.add(i32x4.add(i32x4.add(a0, a1), i32x4.add(a2, a3)), i32x4.add(i32x4.add(a4, a5), i32x4.add(a6, a7)));
  return i32x4.extract_lane(s, 0);
}

export function peak_gemm_loop_i8w(p: usize, iters: i32): i32 {
  return gemmLoop(p, iters, false);
}

export function peak_gemm_loop_i16w(p: usize, iters: i32): i32 {
  return gemmLoop(p, iters, true);
}

export function peak_relaxed_dot_i8x16_i7x16(p: usize, iters: i32): i32 {
  if (!ASC_FEATURE_RELAXED_SIMD) return 0;
  const x0 = v128.load(p), x1 = v128.load(p, 16), x2 = v128.load(p, 32), x3 = v128.load(p, 48);
  const w0 = v128.load(p, 64), w1 = v128.load(p, 80);
  let a0 = i32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  for (let i = 0; i < iters; i++) {
    a0 = i32x4.relaxed_dot_i8x16_i7x16_add_s(x0, w0, a0); a1 = i32x4.relaxed_dot_i8x16_i7x16_add_s(x0, w1, a1);
    a2 = i32x4.relaxed_dot_i8x16_i7x16_add_s(x1, w0, a2); a3 = i32x4.relaxed_dot_i8x16_i7x16_add_s(x1, w1, a3);
    a4 = i32x4.relaxed_dot_i8x16_i7x16_add_s(x2, w0, a4); a5 = i32x4.relaxed_dot_i8x16_i7x16_add_s(x2, w1, a5);
    a6 = i32x4.relaxed_dot_i8x16_i7x16_add_s(x3, w0, a6); a7 = i32x4.relaxed_dot_i8x16_i7x16_add_s(x3, w1, a7);
  }
  const s = i32x4.add(i32x4.add(i32x4.add(a0, a1), i32x4.add(a2, a3)), i32x4.add(i32x4.add(a4, a5), i32x4.add(a6, a7)));
  return i32x4.extract_lane(s, 0);
}
export const PEAK_RELAXED_DOT_MACS: i32 = 8 * 16;

export function peak_f32_madd(p: usize, iters: i32, relaxed: bool): f32 {
  const x0 = v128.load(p), x1 = v128.load(p, 16), x2 = v128.load(p, 32), x3 = v128.load(p, 48);
  const w0 = v128.load(p, 64), w1 = v128.load(p, 80);
  let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  if (relaxed && ASC_FEATURE_RELAXED_SIMD) {
    for (let i = 0; i < iters; i++) {
      a0 = f32x4.relaxed_madd(x0, w0, a0); a1 = f32x4.relaxed_madd(x0, w1, a1);
      a2 = f32x4.relaxed_madd(x1, w0, a2); a3 = f32x4.relaxed_madd(x1, w1, a3);
      a4 = f32x4.relaxed_madd(x2, w0, a4); a5 = f32x4.relaxed_madd(x2, w1, a5);
      a6 = f32x4.relaxed_madd(x3, w0, a6); a7 = f32x4.relaxed_madd(x3, w1, a7);
    }
  } else {
    for (let i = 0; i < iters; i++) {
      a0 = f32x4.add(a0, f32x4.mul(x0, w0)); a1 = f32x4.add(a1, f32x4.mul(x0, w1));
      a2 = f32x4.add(a2, f32x4.mul(x1, w0)); a3 = f32x4.add(a3, f32x4.mul(x1, w1));
      a4 = f32x4.add(a4, f32x4.mul(x2, w0)); a5 = f32x4.add(a5, f32x4.mul(x2, w1));
      a6 = f32x4.add(a6, f32x4.mul(x3, w0)); a7 = f32x4.add(a7, f32x4.mul(x3, w1));
    }
  }
  const s = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)));
  return f32x4.extract_lane(s, 0);
}
export const PEAK_F32_MACS: i32 = 8 * 4;
