// The embedding: the vector the network's classification head (its one fc node) reads, as the
// real numbers that head computes with. int8 packs: the pooled activation is u8 with a scale sx
// and zero point zx, and the fc computes logit[n] = fround(fround(Σ_k (q[k] − zx)·w[n][k] + bq[n])
// · fround(sx·sw[n])) (docs/ARCHITECTURE.md, "Numerics"); the embedding is
// e[k] = fround(sx · (q[k] − zx)), from which q[k] − zx = round(e[k] / sx) is recovered exactly
// (|q − zx| ≤ 255, so f32's relative error 2⁻²⁴ moves e/sx by far less than ½). fp32 packs: the
// f32 pooled activation itself.
import type { FcNode, ModelGraph, Quant } from '../model/graph.ts';

/** Where the head's input lives in a graph, and how its stored values become real numbers. */
export interface HeadInput {
  fc: FcNode;
  /** Activation id of the fc's input (the pooled features). */
  activation: number;
  /** int8 graphs: the activation's quantization; fp32: undefined. */
  quant: Quant | undefined;
}

export function headInput(g: ModelGraph): HeadInput {
  const fc = g.nodes.find((n): n is FcNode => n.op === 'fc');
  // validateGraph guarantees exactly one fc; a graph built by hand might not.
  if (!fc) throw new Error('edge-resnet: this network has no fc head');
  return { fc, activation: fc.input, quant: g.precision === 'int8' ? g.activations[fc.input].quant : undefined };
}

/** The stored head input (u8 or f32) as the embedding, in a fresh array. */
export function toEmbedding(stored: Uint8Array | Float32Array, quant: Quant | undefined): Float32Array {
  if (!quant) return Float32Array.from(stored);
  const { scale, zeroPoint } = quant;
  return Float32Array.from(stored, (q) => scale * (q - zeroPoint));
}

/** Scales `e` in place to unit Euclidean length (in f64, then rounded once to f32); a zero vector stays zero. */
export function normalizeL2(e: Float32Array): Float32Array {
  let ss = 0;
  for (let i = 0; i < e.length; i++) ss += e[i] * e[i];
  if (ss === 0) return e;
  const norm = Math.sqrt(ss);
  for (let i = 0; i < e.length; i++) e[i] = e[i] / norm;
  return e;
}
