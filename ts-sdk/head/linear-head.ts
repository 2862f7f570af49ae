// A linear head (W, b) fitted by one of trainHead's methods on the standardized features
// (standardize.ts), then folded back into a head on the raw features. Deterministic: f64 with a
// fixed order of operations. trainHead imports this module (and the optimizer under it) lazily.
import type { HeadMethod, HeadTrainingProgress } from '../options.ts';
import { fitSoftmaxRegression, type Linear } from './softmax-regression.ts';
import type { Standardized } from './standardize.ts';
import type { HeadTrainingSummary } from './trained-head.ts';

export interface LinearHeadOptions {
  method: HeadMethod;
  l2: number;
  maxIterations: number;
  onProgress?: (p: HeadTrainingProgress) => void;
  signal?: AbortSignal;
}

/** When to stop, as scipy's L-BFGS-B by default: largest gradient component ≤ 1e-5, or a relative decrease ≤ 1e7 · machine ε. */
const GRADIENT_TOLERANCE = 1e-5;
const RELATIVE_DECREASE = 2.220446049250313e-9;
/** Give an abort (a message to a worker, a timer) a chance to arrive at least this often. */
const YIELD_MS = 25;

/** The standardized examples, `y` their classes in [0, classes): W [classes][dims] and b as f32, on the raw features. */
export async function fitLinearHead({ x, mean, std }: Standardized, y: Int32Array, classes: number, o: LinearHeadOptions) {
  const D = mean.length,
    n = y.length,
    C = classes;
  const perClass = new Array<number>(C).fill(0);
  for (let i = 0; i < n; i++) perClass[y[i]]++;
  let lin: Linear;
  let summary: HeadTrainingSummary;
  if (o.method === 'logistic') {
    let lastYield = Date.now();
    const fit = await fitSoftmaxRegression(
      { x, y, dims: D, classes: C },
      {
        l2: o.l2,
        maxIterations: o.maxIterations,
        gradientTolerance: GRADIENT_TOLERANCE,
        relativeDecrease: RELATIVE_DECREASE,
        onIteration: async (iteration, loss) => {
          o.onProgress?.({ iteration, maxIterations: o.maxIterations, loss });
          if (Date.now() - lastYield >= YIELD_MS) {
            await new Promise((r) => setTimeout(r, 0));
            lastYield = Date.now();
          }
          if (o.signal?.aborted) throw o.signal.reason;
        },
      },
    );
    lin = fit;
    summary = { method: 'logistic', examples: n, perClass, l2: o.l2, iterations: fit.iterations, loss: fit.loss, stop: fit.stop };
  } else {
    lin = nearestMean(x, y, D, C);
    o.onProgress?.({ iteration: 1, maxIterations: 1, loss: NaN });
    summary = { method: 'nearest-mean', examples: n, perClass, iterations: 0, loss: null, stop: 'closed form' };
  }
  return { ...unstandardize(lin, mean, std, C), summary };
}

/**
 * Gaussian classes with one shared variance v in standardized space: logit_c = −‖x − μ_c‖² / 2v
 * up to a term equal for every class, i.e. the linear head W_c = μ_c / v, b_c = −‖μ_c‖² / 2v.
 * v is the pooled within-class variance per feature (1, the total variance, when every class has
 * a single example).
 */
function nearestMean(x: Float64Array, y: Int32Array, D: number, C: number): Linear {
  const n = y.length;
  const mu = new Float64Array(C * D),
    count = new Float64Array(C);
  for (let i = 0; i < n; i++) {
    count[y[i]]++;
    for (let k = 0; k < D; k++) mu[y[i] * D + k] += x[i * D + k];
  }
  for (let c = 0; c < C; c++) for (let k = 0; k < D; k++) mu[c * D + k] /= count[c];
  let ss = 0;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < D; k++) {
      const d = x[i * D + k] - mu[y[i] * D + k];
      ss += d * d;
    }
  }
  const v = ss > 0 ? ss / (n * D) : 1;
  const w = new Float64Array(C * D),
    b = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    let norm = 0;
    for (let k = 0; k < D; k++) {
      w[c * D + k] = mu[c * D + k] / v;
      norm += mu[c * D + k] * mu[c * D + k];
    }
    b[c] = -norm / (2 * v);
  }
  return { w, b };
}

/** The head on standardized features as one on raw embeddings: W / std, b − (W / std)·mean; then f32. */
function unstandardize(lin: Linear, mean: Float64Array, std: Float64Array, C: number) {
  const D = mean.length;
  const w = new Float32Array(C * D),
    b = new Float32Array(C);
  for (let c = 0; c < C; c++) {
    let shift = 0;
    for (let k = 0; k < D; k++) {
      const v = lin.w[c * D + k] / std[k];
      w[c * D + k] = v;
      shift += v * mean[k];
    }
    b[c] = lin.b[c] - shift;
  }
  return { w, b };
}
