// The examples as trainHead fits them: one f64 copy, standardized per feature (so one L2
// penalty suits every feature's scale and L-BFGS is well conditioned). Made before trainHead
// first awaits anything: from then on the caller's arrays are never read again.

export interface Standardized {
  /** n rows of D, (x − mean) / std. */
  x: Float64Array;
  mean: Float64Array;
  std: Float64Array;
}

/**
 * Rows standardized per feature: (x − mean) / std. A feature's std is floored at a tenth of the
 * features' average std: a feature almost constant over the examples (a ReLU unit one image
 * barely woke) would otherwise be scaled up hundredfold and swamp the logits of new images.
 */
export function standardize(rows: readonly Float32Array[], D: number): Standardized {
  const n = rows.length;
  const mean = new Float64Array(D),
    std = new Float64Array(D);
  for (const r of rows) for (let k = 0; k < D; k++) mean[k] += r[k];
  for (let k = 0; k < D; k++) mean[k] /= n;
  for (const r of rows) for (let k = 0; k < D; k++) std[k] += (r[k] - mean[k]) * (r[k] - mean[k]);
  // Math.sqrt is IEEE 754's correctly rounded square root in every engine (one instruction).
  let average = 0;
  for (let k = 0; k < D; k++) average += std[k] = Math.sqrt(std[k] / n);
  const floor = average > 0 ? (0.1 * average) / D : 1; // every feature constant: any scale will do
  for (let k = 0; k < D; k++) std[k] = Math.max(std[k], floor);
  const x = new Float64Array(n * D);
  rows.forEach((r, i) => {
    for (let k = 0; k < D; k++) x[i * D + k] = (r[k] - mean[k]) / std[k];
  });
  return { x, mean, std };
}
