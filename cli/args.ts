// commander value parsers. Numbers are read strictly as decimal: Number() would take '0x10'
// as 16, '1e1' as 10 and '' as 0, so `--top 0x10` must be an error, not 16 classes.
// InvalidArgumentError makes commander print the usage line with the message.
import { InvalidArgumentError } from 'commander';

const DECIMAL_INT = /^\d+$/;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A decimal integer ≥ min (and a safe integer). */
export function intAtLeast(min: number, name?: string) {
  return (v: string): number => {
    const n = DECIMAL_INT.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n) || n < min)
      throw new InvalidArgumentError(`${name ? `${name} must be` : 'expected'} a decimal integer ≥ ${min}, got '${v}'`);
    return n;
  };
}

export const positiveInt = (name: string) => intAtLeast(1, name);

/** A finite decimal number. */
export function decimal(v: string): number {
  const n = DECIMAL.test(v.trim()) ? Number(v.trim()) : NaN;
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`expected a decimal number, got '${v}'`);
  return n;
}

/** '224' or '224x160' (height×width). */
export function parseSize(v: string): number | [number, number] {
  const m = /^(\d+)(?:[x×](\d+))?$/.exec(v.trim());
  if (!m || Number(m[1]) < 1 || (m[2] !== undefined && Number(m[2]) < 1))
    throw new InvalidArgumentError(`expected N or HxW (positive decimal integers), got '${v}'`);
  return m[2] ? [Number(m[1]), Number(m[2])] : Number(m[1]);
}

/** '0.485,0.456,0.406' → numbers. */
export function parseList(v: string): number[] {
  try {
    return v.split(',').map(decimal);
  } catch {
    throw new InvalidArgumentError(`expected comma-separated decimal numbers, got '${v}'`);
  }
}

/** A percentage in (0, 100]. */
export function percent(v: string): number {
  const p = DECIMAL.test(v.trim()) ? Number(v.trim()) : NaN;
  if (!(p > 0 && p <= 100)) throw new InvalidArgumentError(`expected a percentage in (0, 100], got '${v}'`);
  return p;
}

/** A decimal number in [lo, hi) — e.g. a share of images to hold out, in %. */
export function decimalInRange(lo: number, hi: number, name: string) {
  return (v: string): number => {
    const n = DECIMAL.test(v.trim()) ? Number(v.trim()) : NaN;
    if (!(n >= lo && n < hi)) throw new InvalidArgumentError(`${name} must be a decimal number in [${lo}, ${hi}), got '${v}'`);
    return n;
  };
}
