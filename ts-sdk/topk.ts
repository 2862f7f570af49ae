// Logits → the top-k classes with softmax probabilities.

export interface Prediction {
  /** Class name from the pack's labels. */
  label: string;
  /** Class index (labels may repeat: ImageNet has two "crane" classes). */
  index: number;
  /** Softmax probability in [0, 1]. */
  score: number;
}

/**
 * Softmax in f64. A NaN logit counts as −∞ (probability 0) so one bad class cannot turn every
 * score into NaN; +∞ logits share probability 1. Throws if no logit is a number above −∞,
 * since then no distribution exists (an fp32 pack whose weights overflow, for example).
 */
export function softmax(logits: Float32Array): Float64Array {
  let max = -Infinity;
  for (const v of logits) if (v > max) max = v; // NaN never compares greater
  if (max === -Infinity) {
    throw new RangeError(
      `softmax: none of the ${logits.length} logits is finite or +∞ (all NaN or −∞); the network's weights are likely corrupt`,
    );
  }
  const out = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    const v = logits[i];
    const e = max === Infinity ? (v === Infinity ? 1 : 0) : v >= -Infinity ? Math.exp(v - max) : 0;
    sum += out[i] = e;
  }
  for (let i = 0; i < out.length; i++) out[i] /= sum;
  return out;
}

/** Highest scores first; equal scores keep class order. */
export function topK(logits: Float32Array, labels: readonly string[], k: number): Prediction[] {
  const p = softmax(logits);
  const idx = Array.from(p.keys())
    .sort((a, b) => p[b] - p[a] || a - b)
    .slice(0, k);
  return idx.map((i) => ({ label: labels[i] ?? String(i), index: i, score: p[i] }));
}
