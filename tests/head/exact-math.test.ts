// exact-math's exp and log (basic IEEE operations only, so every engine gives the same bits)
// against the engine's Math.exp/Math.log: within 1 ulp over a seeded sweep of the whole range,
// special values as the spec says, and exp(log(x)) ≈ x.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { exp, log } from '../../ts-sdk/head/exact-math.ts';
import { rng } from '../helpers/rng.ts';

/** Distance in units in the last place of `want`. */
function ulps(got: number, want: number): number {
  if (got === want) return 0;
  const spacing = Math.abs(want) < 2.2250738585072014e-308 ? 5e-324 : 2 ** (Math.floor(Math.log2(Math.abs(want))) - 52);
  return Math.abs(got - want) / spacing;
}

test('exp: within 1 ulp of Math.exp from −745 to 709.78 (subnormal results included), specials', () => {
  const r = rng(21);
  let worst = 0,
    at = 0;
  const xs = [
    0,
    -0,
    1,
    -1,
    0.5,
    1e-10,
    -1e-10,
    3.7e-9,
    0.34657359,
    0.3465736,
    700,
    709.78,
    -700,
    -708.4,
    -708.5,
    -720,
    -744.9,
    ...Array.from({ length: 100_000 }, () => r.next() * 1454.9 - 745),
  ];
  for (const x of xs) {
    const u = ulps(exp(x), Math.exp(x));
    if (u > worst) [worst, at] = [u, x];
  }
  assert.ok(worst <= 1, `exp(${at}) is ${exp(at)}, Math.exp says ${Math.exp(at)} (${worst} ulp)`);
  assert.is(exp(710), Infinity);
  assert.is(exp(-746), 0);
  assert.is(exp(-Infinity), 0);
  assert.is(exp(Infinity), Infinity);
  assert.ok(Number.isNaN(exp(NaN)));
  assert.is(exp(0), 1);
});

test('log: within 1 ulp of Math.log from subnormals to 1e308, specials', () => {
  const r = rng(22);
  let worst = 0,
    at = 0;
  const xs = [
    1,
    2,
    0.5,
    Math.SQRT2,
    Math.SQRT1_2,
    1 + 2 ** -52,
    1 - 2 ** -53,
    10,
    5e-324,
    1e-310,
    2.2250738585072014e-308,
    1.7976931348623157e308,
    ...Array.from({ length: 100_000 }, () => 10 ** (r.next() * 616 - 308)),
    ...Array.from({ length: 20_000 }, () => 0.5 + r.next()),
  ];
  for (const x of xs) {
    const u = ulps(log(x), Math.log(x));
    if (u > worst) [worst, at] = [u, x];
  }
  assert.ok(worst <= 1, `log(${at}) is ${log(at)}, Math.log says ${Math.log(at)} (${worst} ulp)`);
  assert.is(log(1), 0);
  assert.is(log(0), -Infinity);
  assert.is(log(Infinity), Infinity);
  assert.ok(Number.isNaN(log(-1)));
  assert.ok(Number.isNaN(log(NaN)));
});

test('exp and log invert each other to a few ulps', () => {
  const r = rng(23);
  for (let i = 0; i < 10_000; i++) {
    const x = r.next() * 100 - 50;
    assert.ok(Math.abs(log(exp(x)) - x) <= 4 * Number.EPSILON * Math.max(1, Math.abs(x)), `log(exp(${x})) = ${log(exp(x))}`);
  }
});

test.run();
