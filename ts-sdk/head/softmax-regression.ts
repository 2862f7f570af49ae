// Multinomial logistic regression: W, b minimizing the mean softmax cross-entropy of the
// examples plus (λ/2)·‖W‖² (the bias is not penalized), by L-BFGS from zero. Deterministic:
// f64 with a fixed order of operations and exp/log from exact-math.ts, so the same examples
// give the same weights, bit for bit, in every engine.
import { exp, log } from './exact-math.ts';
import { lbfgs } from './lbfgs.ts';

/** Examples as rows: `x` is n × dims (row-major), `y` the class of each row. */
export interface Examples {
  x: Float64Array;
  y: Int32Array;
  dims: number;
  classes: number;
}

export interface FitOptions {
  l2: number;
  maxIterations: number;
  gradientTolerance: number;
  relativeDecrease: number;
  onIteration?: (iteration: number, loss: number) => void | Promise<void>;
}

export interface Linear {
  /** [classes][dims], row-major. */
  w: Float64Array;
  b: Float64Array;
}

export interface Fit extends Linear {
  loss: number;
  iterations: number;
  stop: string;
}

/** The objective and its gradient over θ = [W (classes × dims), b (classes)]. */
export function crossEntropy(e: Examples, l2: number) {
  const { x, y, dims: D, classes: C } = e;
  const n = y.length;
  const z = new Float64Array(C);
  return (theta: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    const b = theta.subarray(C * D),
      gb = grad.subarray(C * D);
    const w = Array.from({ length: C }, (_, c) => theta.subarray(c * D, c * D + D));
    const gw = Array.from({ length: C }, (_, c) => grad.subarray(c * D, c * D + D));
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const xi = x.subarray(i * D, i * D + D);
      let max = -Infinity;
      for (let c = 0; c < C; c++) {
        const wc = w[c];
        let v = b[c];
        for (let k = 0; k < D; k++) v += wc[k] * xi[k];
        z[c] = v;
        if (v > max) max = v;
      }
      const yi = y[i];
      const zy = z[yi] - max;
      let sum = 0;
      for (let c = 0; c < C; c++) sum += z[c] = exp(z[c] - max); // z now holds e^(z − max)
      loss += log(sum) - zy;
      for (let c = 0; c < C; c++) {
        const r = z[c] / sum - (c === yi ? 1 : 0); // ∂loss_i/∂z_c
        const g = gw[c];
        for (let k = 0; k < D; k++) g[k] += r * xi[k];
        gb[c] += r;
      }
    }
    let penalty = 0;
    for (let j = 0; j < C * D; j++) penalty += theta[j] * theta[j];
    for (let j = 0; j < grad.length; j++) grad[j] = grad[j] / n + (j < C * D ? l2 * theta[j] : 0);
    return loss / n + 0.5 * l2 * penalty;
  };
}

export async function fitSoftmaxRegression(e: Examples, o: FitOptions): Promise<Fit> {
  const size = e.classes * e.dims;
  const r = await lbfgs(crossEntropy(e, o.l2), new Float64Array(size + e.classes), {
    maxIterations: o.maxIterations,
    gradientTolerance: o.gradientTolerance,
    relativeDecrease: o.relativeDecrease,
    memory: 10,
    onIteration: o.onIteration && ((it, f) => o.onIteration!(it, f)),
  });
  return { w: r.x.slice(0, size), b: r.x.slice(size), loss: r.f, iterations: r.iterations, stop: r.stop };
}
