// Run the float network over calibration inputs and keep, per activation, what the range
// rules and the report need: min/max, moments, and a two-sided magnitude histogram.
import type { Model } from '../../ts-sdk/model/graph.ts';
import { ConvertError } from './errors.ts';
import { finiteGuard } from './finite-check.ts';
import { MagnitudeHistogram } from './histogram.ts';
import type { Runner } from './reference.ts';

export interface ActivationStats {
  id: number;
  count: number;
  zeros: number;
  min: number;
  max: number;
  /** Σx and Σx² in f64, for the mean and standard deviation. */
  sum: number;
  sumSq: number;
  /** Σx per channel (NHWC: the last axis), for bias correction; count / channelSum.length values each. */
  channelSum: Float64Array;
  pos: MagnitudeHistogram;
  neg: MagnitudeHistogram;
}

export interface Calibration {
  images: number;
  /** Indexed by activation id; the logits are not collected. */
  stats: ActivationStats[];
}

export interface CalibrateOptions {
  /** How many inputs the iterable will give, for progress only. */
  total?: number;
  onProgress?: (done: number, total: number | undefined) => void;
}

export function calibrate(model: Model, runner: Runner, inputs: Iterable<Float32Array>, opts: CalibrateOptions = {}): Calibration {
  const g = model.graph;
  const stats: ActivationStats[] = g.activations.map((a) => ({
    id: a.id,
    count: 0,
    zeros: 0,
    min: Infinity,
    max: -Infinity,
    sum: 0,
    sumSq: 0,
    channelSum: new Float64Array(a.shape[2]),
    pos: new MagnitudeHistogram(),
    neg: new MagnitudeHistogram(),
  }));
  let images = 0;
  for (const x of inputs) {
    const guard = finiteGuard(model, `calibration image ${images + 1}`);
    runner.run(x, (id, data) => {
      guard(id, data);
      if (id !== g.outputId) observe(stats[id], data);
    });
    images++;
    opts.onProgress?.(images, opts.total);
  }
  if (images === 0)
    throw new ConvertError(
      'CALIBRATION',
      'no calibration inputs: int8 activation ranges need at least one image (more is better: 100–500 typical images)',
    );
  return { images, stats };
}

function observe(s: ActivationStats, data: Float32Array): void {
  let mn = Infinity;
  let mx = -Infinity;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < mn) mn = v;
    if (v > mx) mx = v;
    sum += v;
    sumSq += v * v;
  }
  s.min = Math.min(s.min, mn);
  s.max = Math.max(s.max, mx);
  s.sum += sum;
  s.sumSq += sumSq;
  s.count += data.length;
  const C = s.channelSum.length;
  for (let i = 0; i < data.length; i += C) for (let c = 0; c < C; c++) s.channelSum[c] += data[i + c];
  s.pos.reserve(mx);
  s.neg.reserve(-mn);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v > 0) s.pos.add(v);
    else if (v < 0) s.neg.add(-v);
    else s.zeros++;
  }
}

/** Mean of each channel over every position and image seen. */
export function channelMeans(s: ActivationStats): Float64Array {
  const perChannel = s.count / s.channelSum.length;
  return s.channelSum.map((v) => v / perChannel);
}

/** Standard deviation over every element seen (all channels, positions and images). */
export function stdOf(s: ActivationStats): number {
  const mean = s.sum / s.count;
  return Math.sqrt(Math.max(s.sumSq / s.count - mean * mean, 0));
}
