// Choosing each activation's real range [lo, hi] for u8 quantization from calibration
// statistics. Raw min/max lets one outlier pixel in one calibration image stretch the step
// for every value; clipping a tiny tail buys resolution for the bulk.
//   minmax     — the observed extremes.
//   percentile — clip at the p-quantile of each side's magnitudes (default 99.99 %).
//   mse        — the clip t·[min, max] (t on a grid in (0, 1]) minimizing expected squared
//                error: rounding noise Δ²/12 for every non-zero value inside, squared
//                excess for every value beyond (exact zeros quantize exactly).
import type { ActivationStats } from './calibrate.ts';
import { BINS, type MagnitudeHistogram } from './histogram.ts';

export type RangeRule = 'minmax' | 'percentile' | 'mse';
export const RANGE_RULES: readonly RangeRule[] = ['minmax', 'percentile', 'mse'];

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
  return mseRange(s, lo0, hi0);
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
