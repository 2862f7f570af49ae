// Steady-state latency on a shared, noisy machine: warm every engine up by time (V8 compiles
// wasm with Liftoff first and tiers hot functions up to TurboFan lazily — onnxruntime-web
// stays slow for its first ~3 s), then time the engines round-robin (one run of each per
// round, the starting engine rotating) so slow drifts in load hit all of them alike, and
// compare medians measured in the same rounds.

export { cosine } from '../tests/helpers/similarity.ts';

export interface Timed {
  run(): Promise<unknown>;
}

export interface Stats {
  runs: number;
  median: number;
  min: number;
  max: number;
  /** Interquartile range, ms. */
  p25: number;
  p75: number;
  samples: number[];
}

export function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => {
    const i = (s.length - 1) * p;
    const lo = Math.floor(i);
    return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (i - lo);
  };
  return { runs: s.length, median: q(0.5), min: s[0], max: s[s.length - 1], p25: q(0.25), p75: q(0.75), samples };
}

/** Runs `e` for at least `seconds` and `minRuns` runs; returns the warm-up runs' times (ms). */
export async function warmUp(e: Timed, seconds: number, minRuns = 3): Promise<number[]> {
  const times: number[] = [];
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000 || times.length < minRuns) {
    const s = performance.now();
    await e.run();
    times.push(performance.now() - s);
  }
  return times;
}

export interface InterleaveOptions {
  /** At least this many timed runs of each engine. */
  minRuns: number;
  /** Keep adding rounds until this much time has passed (then stop at `minRuns`). */
  seconds: number;
  /** Never more rounds than this. @defaultValue 200 */
  maxRuns?: number;
  onRound?: (round: number) => void;
}

/** Round-robin timing; returns each engine's samples in ms, in the engines' order. */
export async function interleaved(engines: Timed[], o: InterleaveOptions): Promise<number[][]> {
  const samples: number[][] = engines.map(() => []);
  const t0 = performance.now();
  const maxRuns = o.maxRuns ?? 200;
  for (let round = 0; round < maxRuns; round++) {
    if (round >= o.minRuns && performance.now() - t0 >= o.seconds * 1000) break;
    for (let j = 0; j < engines.length; j++) {
      const i = (round + j) % engines.length;
      const s = performance.now();
      await engines[i].run();
      samples[i].push(performance.now() - s);
    }
    o.onRound?.(round + 1);
  }
  return samples;
}

export function argmax(x: ArrayLike<number>): number {
  let k = 0;
  for (let i = 1; i < x.length; i++) if (x[i] > x[k]) k = i;
  return k;
}
