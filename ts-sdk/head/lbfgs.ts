// Limited-memory BFGS (Nocedal & Wright, Numerical Optimization, 2nd ed., Alg. 7.4 and 7.5)
// with a backtracking Armijo line search, in f64 with a fixed order of operations: the same
// inputs give the same iterates, bit for bit, in every engine. Written here rather than taken
// from a library because the core SDK has no runtime dependencies and must run in every
// runtime (workerd, browsers) with reproducible results; the head's objective is smooth and
// strongly convex, where this textbook form converges reliably.

/** f(x), writing ∇f(x) into `grad`. */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

export interface LbfgsOptions {
  maxIterations: number;
  /** Stop when max |∂f/∂xᵢ| ≤ this. */
  gradientTolerance: number;
  /** Stop when an iteration lowers f by at most this · max(|f|, 1). */
  relativeDecrease: number;
  /** Corrections kept. */
  memory: number;
  /** Called after every iteration; may await (to let an abort arrive) or throw (to stop). */
  onIteration?: (iteration: number, f: number, gradientMax: number) => void | Promise<void>;
}

export interface LbfgsResult {
  x: Float64Array;
  f: number;
  iterations: number;
  /** Why it stopped. */
  stop: 'gradient' | 'decrease' | 'iterations' | 'line-search';
}

const ARMIJO = 1e-4;
const MAX_BACKTRACKS = 40;

const dot = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};
const maxAbs = (a: Float64Array): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
};

export async function lbfgs(f: Objective, x0: Float64Array, o: LbfgsOptions): Promise<LbfgsResult> {
  const n = x0.length;
  let x = x0.slice();
  let g = new Float64Array(n);
  let fx = f(x, g);
  const S: Float64Array[] = [],
    Y: Float64Array[] = [],
    rho: number[] = [];
  const d = new Float64Array(n),
    alpha = new Float64Array(o.memory);
  let xNew = new Float64Array(n),
    gNew = new Float64Array(n);
  for (let it = 1; ; it++) {
    if (maxAbs(g) <= o.gradientTolerance) return { x, f: fx, iterations: it - 1, stop: 'gradient' };
    if (it > o.maxIterations) return { x, f: fx, iterations: it - 1, stop: 'iterations' };
    // Two-loop recursion: d = −H·g, H the inverse-Hessian estimate from the last corrections.
    for (let i = 0; i < n; i++) d[i] = -g[i];
    for (let j = S.length - 1; j >= 0; j--) {
      alpha[j] = rho[j] * dot(S[j], d);
      const y = Y[j];
      for (let i = 0; i < n; i++) d[i] -= alpha[j] * y[i];
    }
    const gamma = S.length
      ? dot(S[S.length - 1], Y[Y.length - 1]) / dot(Y[Y.length - 1], Y[Y.length - 1])
      : 1 / Math.max(1, Math.sqrt(dot(g, g)));
    for (let i = 0; i < n; i++) d[i] *= gamma;
    for (let j = 0; j < S.length; j++) {
      const beta = rho[j] * dot(Y[j], d);
      const s = S[j];
      for (let i = 0; i < n; i++) d[i] += (alpha[j] - beta) * s[i];
    }
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // Not a descent direction (rounding in a flat region): restart from steepest descent.
      S.length = Y.length = rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i];
      slope = -dot(g, g);
    }
    // Backtracking: the first step that lowers f by at least ARMIJO · step · slope.
    let step = 1,
      fNew = NaN,
      found = false;
    for (let b = 0; b < MAX_BACKTRACKS; b++, step *= 0.5) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + step * d[i];
      fNew = f(xNew, gNew);
      if (fNew <= fx + ARMIJO * step * slope) {
        found = true;
        break;
      }
    }
    if (!found) return { x, f: fx, iterations: it - 1, stop: 'line-search' };
    const s = new Float64Array(n),
      y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
    }
    const sy = dot(s, y);
    // Keep a correction only with positive curvature, so H stays positive definite.
    if (sy > 1e-10 * dot(y, y)) {
      if (S.length === o.memory) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    }
    const decrease = fx - fNew;
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    fx = fNew;
    await o.onIteration?.(it, fx, maxAbs(g));
    if (decrease <= o.relativeDecrease * Math.max(Math.abs(fx), 1)) return { x, f: fx, iterations: it, stop: 'decrease' };
  }
}
