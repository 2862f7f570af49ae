// A classification head as a pack stores it, and its logits computed in TypeScript with the
// runtime's arithmetic (docs/ARCHITECTURE.md, "Numerics", FC): int8 gives the pack's logits bit
// for bit; fp32 those of the simd build (the relaxed build may fuse multiply-adds).
import type { Quant } from '../model/graph.ts';
import { NR, roundUp } from '../kernels/packing.ts';
import { quantizeRows } from '../model/quantize-weights.ts';
import { fcScales } from '../model/requant.ts';

const f32 = Math.fround;

export type HeadWeights =
  | {
      precision: 'int8';
      /** Logical [classes][dims] int8 (not packed). */
      w: Int8Array;
      bias: Int32Array;
      /** Per-class weight scales. */
      wscale: Float32Array;
      /** The head input's quantization (the pooled activation's). */
      input: Quant;
    }
  | { precision: 'fp32'; w: Float32Array; bias: Float32Array };

export const headClasses = (h: HeadWeights): number => h.bias.length;
export const headDims = (h: HeadWeights): number => h.w.length / h.bias.length;

/** Float weights [classes][dims] and biases → the head a pack of this precision stores (int8: quantized as the converter does). */
export function makeHead(w: Float32Array, b: Float32Array, input: Quant | undefined): HeadWeights {
  if (!input) return { precision: 'fp32', w, bias: b };
  const q = quantizeRows(w, b, b.length, input.scale);
  return { precision: 'int8', w: q.w, bias: q.bias, wscale: q.scales, input };
}

/**
 * The logits the pack computes for an image whose embedding (Classifier.embed, not normalized)
 * is `e`. int8: q − z = round(e / scale) recovers the u8 activation exactly; an embedding off
 * that grid did not come from this backbone (or was normalized), and is refused.
 */
export function headLogits(h: HeadWeights, e: Float32Array): Float32Array {
  const N = headClasses(h),
    K = headDims(h);
  if (!(e instanceof Float32Array) || e.length !== K) {
    throw new RangeError(
      `expected an embedding of ${K} values (a Float32Array from Classifier.embed), got ${e instanceof Float32Array ? `${e.length} values` : Object.prototype.toString.call(e).slice(8, -1)}`,
    );
  }
  const out = new Float32Array(N);
  if (h.precision === 'fp32') {
    // f32_gemm_minmax__ref: one rounding per multiply and per add, k increasing, then + bias.
    for (let n = 0; n < N; n++) {
      let acc = 0;
      for (let k = 0; k < K; k++) acc = f32(acc + f32(e[k] * h.w[n * K + k]));
      out[n] = f32(acc + h.bias[n]);
    }
    return out;
  }
  const d = embeddingSteps(e, h.input);
  const s = fcScales(h.input.scale, h.wscale);
  for (let n = 0; n < N; n++) {
    let acc = 0;
    for (let k = 0; k < K; k++) acc += d[k] * h.w[n * K + k];
    out[n] = f32(f32((acc + h.bias[n]) | 0) * s[n]); // i32 wraps as the kernel's does
  }
  return out;
}

/**
 * An int8 head's embedding as the integers q − z its fc multiplies: round(e / scale), refused
 * unless e is on that grid (an embedding of another backbone, or a normalized one, is not).
 */
export function embeddingSteps(e: Float32Array, input: Quant): Int32Array {
  const { scale, zeroPoint } = input;
  const d = new Int32Array(e.length);
  for (let k = 0; k < e.length; k++) {
    const v = e[k] / scale,
      r = Math.round(v);
    if (!(Math.abs(v - r) < 1e-3 && r >= -zeroPoint && r <= 255 - zeroPoint)) {
      throw new RangeError(
        `embedding[${k}] = ${e[k]} is not a value this int8 head reads (multiples of ${scale} from ${-zeroPoint * scale} to ${(255 - zeroPoint) * scale}): pass Classifier.embed() output of this pack's backbone, without normalize`,
      );
    }
    d[k] = r;
  }
  return d;
}

/** Packed "8c2" int8 weights back to logical [N][K] (packQ8Weights's inverse). */
export function unpackQ8Weights(p: Int8Array, N: number, K: number): Int8Array {
  const Kp = roundUp(K, 2),
    w = new Int8Array(N * K);
  for (let n = 0; n < N; n++) {
    const block = Math.floor(n / NR) * Kp * NR + (n % NR) * 2;
    for (let k = 0; k < K; k++) w[n * K + k] = p[block + (k >> 1) * NR * 2 + (k & 1)];
  }
  return w;
}

/** Packed "8" f32 weights back to logical [N][K] (packF32Weights's inverse). */
export function unpackF32Weights(p: Float32Array, N: number, K: number): Float32Array {
  const w = new Float32Array(N * K);
  for (let n = 0; n < N; n++) {
    const block = Math.floor(n / NR) * K * NR + (n % NR);
    for (let k = 0; k < K; k++) w[n * K + k] = p[block + k * NR];
  }
  return w;
}
