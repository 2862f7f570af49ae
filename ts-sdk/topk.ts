// Logits → the top-k classes with softmax probabilities.

export interface Prediction {
  /** Class name from the pack's labels. */
  label: string;
  /** Class index (labels may repeat: ImageNet has two "crane" classes). */
  index: number;
  /** Softmax probability in [0, 1]. */
  score: number;
}

export function softmax(logits: Float32Array): Float64Array {
  let max = -Infinity;
  for (const v of logits) max = Math.max(max, v);
  const out = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += out[i] = Math.exp(logits[i] - max);
  for (let i = 0; i < out.length; i++) out[i] /= sum;
  return out;
}

/** Highest scores first; equal scores keep class order. */
export function topK(logits: Float32Array, labels: readonly string[], k: number): Prediction[] {
  const p = softmax(logits);
  const idx = Array.from(p.keys()).sort((a, b) => p[b] - p[a] || a - b).slice(0, k);
  return idx.map((i) => ({ label: labels[i] ?? String(i), index: i, score: p[i] }));
}
