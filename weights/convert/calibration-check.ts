// `convert --report`'s calibration check: does the calibration set look large and varied
// enough for this network? int8 ranges measured on a few similar images clip what other
// images produce, silently (a 32×32 ResNet-18 calibrated on everyday photos fell to cosine
// 0.94 on a silhouette). Measured, not guessed: the ranges are taken from the even-numbered
// images only, and that int8 network's logits on the odd-numbered ones — images its ranges
// never saw — are compared with fp32. The input's coverage of its possible range tells
// whether the images are one-sided (all dark, all low contrast).
import type { Model } from '../../ts-sdk/model/graph.ts';
import { kernelModule } from '../../ts-sdk/kernels/module.ts';
import { Executor } from '../../ts-sdk/runtime/executor.ts';
import { type Calibration, calibrate } from './calibrate.ts';
import { inputRange } from './input-spec.ts';
import { type QuantizeOptions, quantizeModel } from './quantize.ts';
import type { Runner } from './reference.ts';

/** Below this many images a calibration set is called small. */
export const FEW_IMAGES = 32;
/** int8-vs-fp32 cosine on images the ranges never saw below which the set is called one-sided. */
export const HELD_OUT_COSINE = 0.99;
/** Share of the input's possible range the calibration images must reach. */
export const INPUT_COVERAGE = 0.5;

export interface CalibrationCheck {
  images: number;
  /** Cosine of int8 (ranges from the even-numbered images) and fp32 logits, per odd-numbered image. */
  heldOutCosines: number[];
  /** Share of [lo, hi] (what Normalize can produce) the calibration images' input values span. */
  inputCoverage: number;
  warnings: string[];
}

export async function checkCalibration(
  float: Model,
  calib: Calibration,
  inputs: Float32Array[],
  runner: Runner,
  opts: QuantizeOptions = {},
): Promise<CalibrationCheck> {
  const g = float.graph;
  const warnings: string[] = [];
  const { lo, hi } = inputRange(g.input);
  const s = calib.stats[g.inputId];
  const inputCoverage = (Math.min(s.max, hi) - Math.max(s.min, lo)) / (hi - lo);
  if (inputs.length < FEW_IMAGES) {
    warnings.push(
      `only ${inputs.length} calibration image${inputs.length === 1 ? '' : 's'}: below ${FEW_IMAGES}, activation ranges rest on too few images (100–500 like the ones the network will see is typical)`,
    );
  }
  if (inputCoverage < INPUT_COVERAGE) {
    warnings.push(
      `one-sided: the calibration images span ${(100 * inputCoverage).toFixed(0)} % of the input's possible range [${lo.toFixed(2)}, ${hi.toFixed(2)}] (all dark, bright or low-contrast?)`,
    );
  }
  const heldOutCosines: number[] = [];
  if (inputs.length >= 2) {
    const even = inputs.filter((_, i) => i % 2 === 0);
    const odd = inputs.filter((_, i) => i % 2 === 1);
    const half = quantizeModel(float, calibrate(float, runner, even), opts);
    const { module } = await kernelModule(undefined, 'simd');
    const int8 = await Executor.create(half, module);
    for (const x of odd) heldOutCosines.push(cosine(int8.run(x), runner.run(x)));
    const worst = Math.min(...heldOutCosines);
    if (worst < HELD_OUT_COSINE) {
      warnings.push(
        `one-sided or too small: with ranges from ${even.length} of the images, the other ${odd.length} get int8 logits with cosine down to ${worst.toFixed(4)} against fp32 (below ${HELD_OUT_COSINE}): images unlike the calibration set will lose accuracy; add more varied images`,
      );
    }
  }
  return { images: inputs.length, heldOutCosines, inputCoverage, warnings };
}

export function formatCalibrationCheck(c: CalibrationCheck): string {
  const sorted = [...c.heldOutCosines].sort((a, b) => a - b);
  const lines = [
    `Calibration check over ${c.images} image${c.images === 1 ? '' : 's'}: input range covered ${(100 * c.inputCoverage).toFixed(0)} %`,
  ];
  if (sorted.length) {
    lines.push(
      `  ranges from the even-numbered images, int8 vs fp32 logits on the other ${sorted.length}: cosine min ${sorted[0].toFixed(4)}, median ${sorted[sorted.length >> 1].toFixed(4)}`,
    );
  }
  for (const w of c.warnings) lines.push(`  warning: ${w}`);
  if (!c.warnings.length) lines.push('  no warning: the set looks large and varied enough for this network');
  return lines.join('\n');
}

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0,
    aa = 0,
    bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
}
