// Choosing each activation's real range [lo, hi] for u8 quantization from calibration
// statistics. Raw min/max lets one outlier pixel in one calibration image stretch the step
// for every value; clipping a tiny tail buys resolution for the bulk.
//   minmax     — the observed extremes.
//   percentile — clip at the p-quantile of each side's magnitudes (default 99.99 %).
//   mse        — the clip t·[min, max] (t on a grid in (0, 1]) minimizing expected squared
//                error: rounding noise Δ²/12 for every non-zero value inside, squared
//                excess for every value beyond (exact zeros quantize exactly).
//   entropy    — TensorRT's calibration: per side, the clip whose quantized histogram (the
//                side's share of the 255 steps) loses the least information, i.e. minimizes
//                KL(P‖Q) between the clipped distribution P and its quantized Q.
import type { ActivationStats } from './calibrate.ts';
import { BINS, type MagnitudeHistogram } from './histogram.ts';

export type RangeRule = 'minmax' | 'percentile' | 'mse' | 'entropy';
export const RANGE_RULES: readonly RangeRule[] = ['minmax', 'percentile', 'mse', 'entropy'];

export interface Range {
  lo: number;
  hi: number;
}

export interface RangeOptions {
  /** For 'percentile': the share of each side's values kept inside, in percent. @defaultValue 99.99 */
  percentile?: number;
}

/** `nonNegative`: the activation is a ReLU output (or pooled from one), so its range starts at 0 and its zero point is 0. */
export function chooseRange(s: ActivationStats, rule: RangeRule, nonNegative: boolean, opts: RangeOptions = {}): Range {
  const lo0 = nonNegative ? 0 : Math.min(s.min, 0);
  const hi0 = Math.max(s.max, 0);
  if (rule === 'minmax' || s.count === 0) return { lo: lo0, hi: hi0 };
  if (rule === 'percentile') {
    const tailShare = 1 - (opts.percentile ?? 99.99) / 100;
    const hi = Math.min(hi0, s.pos.quantileFromTop(tailShare * s.pos.total));
    const lo = nonNegative ? 0 : -Math.min(-lo0, s.neg.quantileFromTop(tailShare * s.neg.total));
    return { lo, hi };
  }
  if (rule === 'entropy') {
    // Each side gets the quantization levels in proportion to its share of the values (all of them for a ReLU output).
    const posShare = nonNegative || s.neg.total === 0 ? 1 : s.pos.total / (s.pos.total + s.neg.total);
    const hi = Math.min(hi0, klClip(s.pos, Math.max(16, Math.round(255 * posShare))));
    const lo = nonNegative ? 0 : -Math.min(-lo0, klClip(s.neg, Math.max(16, Math.round(255 * (1 - posShare)))));
    return { lo, hi };
  }
  return mseRange(s, lo0, hi0);
}

/**
 * TensorRT's entropy calibration on one side's magnitudes: for each candidate clip (a bin
 * edge at or above `levels` bins), P = the histogram up to the clip with everything beyond
 * added to its last bin, Q = P merged into `levels` equal groups and spread back evenly over
 * each group's non-empty bins; the clip with the smallest KL(P‖Q) wins. Exact zeros are left
 * out: they quantize without error whatever the clip.
 */
function klClip(h: MagnitudeHistogram, levels: number): number {
  if (h.total === 0) return 0;
  let top = BINS;
  while (top > 0 && h.counts[top - 1] === 0) top--;
  if (top <= levels) return top * h.width;
  let best = top;
  let bestKl = Infinity;
  const step = Math.max(1, Math.floor((top - levels) / 256)); // ≤ 256 candidates per side
  for (let i = levels; i <= top; i += step) {
    let outliers = 0;
    for (let j = i; j < top; j++) outliers += h.counts[j];
    const kl = klDivergence(h.counts, i, outliers, levels);
    if (kl < bestKl) {
      bestKl = kl;
      best = i;
    }
  }
  return best * h.width;
}

function klDivergence(counts: Float64Array, n: number, outliers: number, levels: number): number {
  const p = (j: number) => counts[j] + (j === n - 1 ? outliers : 0);
  let total = 0;
  for (let j = 0; j < n; j++) total += p(j);
  const qTotal = total - outliers; // Q is built from the unclipped counts, each normalized on its own
  let kl = 0;
  for (let g = 0; g < levels; g++) {
    const a = Math.floor((g * n) / levels);
    const b = Math.floor(((g + 1) * n) / levels);
    // Q spreads the group's counts (of the unclipped histogram, as TensorRT) over its non-empty bins.
    let sum = 0;
    let nonEmpty = 0;
    for (let j = a; j < b; j++) {
      sum += counts[j];
      if (counts[j] > 0) nonEmpty++;
    }
    for (let j = a; j < b; j++) {
      const pj = p(j);
      if (pj === 0) continue;
      const qj = counts[j] > 0 ? sum / nonEmpty : 0;
      // A bin P has and Q lacks (the clip bin's outliers can make one) costs as if Q held 1e-4 of
      // the mass: the smoothing MXNet's and TVM's versions of this calibration use.
      kl += (pj / total) * Math.log(pj / total / Math.max(qj / qTotal, 1e-4));
    }
  }
  return kl;
}

const GRID = 200;

function mseRange(s: ActivationStats, lo0: number, hi0: number): Range {
  let best = { lo: lo0, hi: hi0 };
  let bestErr = Infinity;
  for (let i = 0; i < GRID; i++) {
    const t = 1 - (i / GRID) * 0.95; // 1 → 0.05
    const lo = lo0 * t;
    const hi = hi0 * t;
    const step = (hi - lo) / 255;
    const err = sideError(s.pos, hi, step) + sideError(s.neg, -lo, step);
    if (err < bestErr) {
      bestErr = err;
      best = { lo, hi };
    }
  }
  return best;
}

/** Expected squared error of one side's values when clipped at `clip` and rounded to a grid of `step`. */
function sideError(h: MagnitudeHistogram, clip: number, step: number): number {
  if (h.total === 0) return 0;
  let err = 0;
  for (let i = 0; i < BINS; i++) {
    const c = h.counts[i];
    if (c === 0) continue;
    const center = (i + 0.5) * h.width;
    err += center > clip ? c * (center - clip) ** 2 : (c * step * step) / 12;
  }
  return err;
}
