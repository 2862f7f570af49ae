// The activation range rules: the histogram they read, what each does to data with outliers,
// and what the choice does to a whole ResNet-18 (printed as a table: cosine and top-1 vs ORT).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type ActivationStats, chooseRange, quantFromRange, quantizeModel, RANGE_RULES } from '../../weights/convert/index.ts';
import { BINS, MagnitudeHistogram } from '../../weights/convert/histogram.ts';
import { Rng } from '../fixtures/rng.ts';
import { r18Int8 } from './r18-int8.ts';
import { agreement, fmtAgreement } from './shared.ts';

/** Stats as calibrate() would build them, from a plain array, fed in batches. */
function statsOf(values: Float32Array, batches = 8): ActivationStats {
  const s: ActivationStats = {
    id: 0,
    count: 0,
    zeros: 0,
    min: Infinity,
    max: -Infinity,
    sum: 0,
    sumSq: 0,
    channelSum: new Float64Array(1),
    pos: new MagnitudeHistogram(),
    neg: new MagnitudeHistogram(),
  };
  const per = Math.ceil(values.length / batches);
  for (let b = 0; b < values.length; b += per) {
    const chunk = values.subarray(b, b + per);
    let mn = Infinity;
    let mx = -Infinity;
    for (const v of chunk) (mn = Math.min(mn, v)), (mx = Math.max(mx, v));
    s.min = Math.min(s.min, mn);
    s.max = Math.max(s.max, mx);
    s.pos.reserve(mx);
    s.neg.reserve(-mn);
    for (const v of chunk) {
      s.count++;
      if (v > 0) s.pos.add(v);
      else if (v < 0) s.neg.add(-v);
      else s.zeros++;
    }
  }
  return s;
}

/** SQNR (dB) of u8-quantizing `values` over the range a rule picks, measured on the values `keep` selects. */
function sqnr(values: Float32Array, rule: (typeof RANGE_RULES)[number], nonNegative: boolean, keep = (_v: number) => true): number {
  const q = quantFromRange(chooseRange(statsOf(values), rule, nonNegative), nonNegative);
  let e = 0;
  let s = 0;
  for (const v of values) {
    if (!keep(v)) continue;
    const u = Math.min(255, Math.max(0, Math.round(v / q.scale) + q.zeroPoint));
    e += (q.scale * (u - q.zeroPoint) - v) ** 2;
    s += v * v;
  }
  return 10 * Math.log10(s / e);
}

test('the growing histogram keeps every count and places quantiles within a bin', () => {
  const rng = new Rng(3);
  const h = new MagnitudeHistogram();
  const all: number[] = [];
  for (let b = 0; b < 6; b++) {
    const xs = Array.from({ length: 5000 }, () => Math.abs(rng.normal()) * 2 ** b); // each batch twice as wide: forces merges
    h.reserve(Math.max(...xs));
    xs.forEach((x) => h.add(x));
    all.push(...xs);
  }
  assert.is(h.total, all.length);
  assert.is(
    h.counts.reduce((a, c) => a + c, 0),
    all.length,
  );
  all.sort((a, b) => a - b);
  for (const tail of [0, 10, 300]) {
    const exact = all[all.length - 1 - tail];
    assert.ok(
      Math.abs(h.quantileFromTop(tail) - exact) <= h.width * 1.01,
      `tail ${tail}: ${h.quantileFromTop(tail)} vs ${exact} (bin ${h.width})`,
    );
  }
  assert.ok(h.width * BINS > all[all.length - 1]);
});

test('rare extreme outliers: percentile and entropy clip them and the bulk gains resolution; MSE keeps them (they dominate squared error)', () => {
  const rng = new Rng(9);
  const relu = Float32Array.from({ length: 200_000 }, () => Math.max(0, rng.normal()));
  const signed = Float32Array.from({ length: 200_000 }, () => rng.normal() + 0.5);
  for (const x of [relu, signed]) for (let i = 0; i < 10; i++) x[i * 997] = 40 + i; // 0.005 % outliers at 40σ
  for (const [name, x, nn] of [
    ['relu', relu, true],
    ['signed', signed, false],
  ] as const) {
    const bulk = (v: number) => v < 20;
    const [mm, pc, en] = (['minmax', 'percentile', 'entropy'] as const).map((r) => sqnr(x, r, nn, bulk));
    assert.ok(pc > mm + 10, `${name}: bulk SQNR minmax ${mm.toFixed(1)}, percentile ${pc.toFixed(1)} dB`);
    assert.ok(en > mm + 10, `${name}: bulk SQNR minmax ${mm.toFixed(1)}, entropy ${en.toFixed(1)} dB`);
    const total = RANGE_RULES.map((r) => sqnr(x, r, nn));
    assert.ok(total[2] >= Math.max(...total) - 0.3, `${name}: total SQNR ${total.map((v) => v.toFixed(1))} (mse should be best)`);
  }
});

test('MSE picks the least total squared error, on exponential tails and on Gaussians', () => {
  const rng = new Rng(4);
  const x = Float32Array.from({ length: 200_000 }, () => Math.max(0, -Math.log(1 - rng.next()) * (rng.next() < 0.5 ? -1 : 1)));
  const clean = Float32Array.from({ length: 100_000 }, () => Math.max(0, rng.normal()));
  for (const [name, data] of [
    ['Laplace', x],
    ['Gaussian', clean],
  ] as const) {
    const [mm, pc, mse, en] = RANGE_RULES.map((r) => sqnr(data, r, true));
    assert.ok(
      mse >= Math.max(mm, pc, en) - 0.3,
      `${name}: SQNR minmax ${mm.toFixed(1)}, percentile ${pc.toFixed(1)}, mse ${mse.toFixed(1)}, entropy ${en.toFixed(1)} dB`,
    );
    assert.ok(Math.max(mm, pc, mse, en) - Math.min(mm, pc, mse, en) < 3, `${name}: without outliers the rules stay within 3 dB`);
  }
});

test('a ReLU output always gets lo = 0 and zero point 0; a signed one contains 0', () => {
  const rng = new Rng(1);
  const x = Float32Array.from({ length: 10_000 }, () => rng.normal() + 3); // all positive but not a ReLU
  for (const rule of RANGE_RULES) {
    assert.is(chooseRange(statsOf(x), rule, true).lo, 0);
    const r = chooseRange(statsOf(x), rule, false);
    assert.ok(r.lo <= 0 && r.hi > 0, `${rule}: [${r.lo}, ${r.hi}]`);
  }
});

test('what the rule does to ResNet-18 int8 (64 inputs vs ORT fp32)', async () => {
  const { float, q, calib, evalSet, want, exec } = await r18Int8();
  if (!exec) return console.warn('skipped: the 64-input comparison runs on the wasm executor, which is not built');
  const rows: string[] = [];
  for (const rule of RANGE_RULES) {
    const e = await exec(rule === 'percentile' ? q : quantizeModel(float, calib, { range: rule })); // q: the default rule
    const a = agreement(
      evalSet.map((x) => e.run(x)),
      want,
    );
    rows.push(`  ${rule.padEnd(10)} ${fmtAgreement(a)}`);
    assert.ok(a.cosMean >= 0.99 && a.top1Confident >= 0.95, `${rule}: ${fmtAgreement(a)}`);
  }
  console.log(`  range rule vs ORT fp32 (ResNet-18 64×64, ${calib.images} calibration images):\n${rows.join('\n')}`);
});

test.run();
