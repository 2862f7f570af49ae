// The trainer's mathematics: the cross-entropy gradient against finite differences, L-BFGS on a
// problem with a known minimum, and the fitted head on data with a known answer.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { crossEntropy, fitSoftmaxRegression } from '../../ts-sdk/head/softmax-regression.ts';
import { lbfgs } from '../../ts-sdk/head/lbfgs.ts';
import { fitLinearHead } from '../../ts-sdk/head/linear-head.ts';
import { standardize } from '../../ts-sdk/head/standardize.ts';
import { rng } from '../helpers/rng.ts';

function examples(n: number, D: number, C: number, seed: number) {
  const r = rng(seed);
  return {
    x: Float64Array.from({ length: n * D }, () => r.normal()),
    y: Int32Array.from({ length: n }, (_, i) => i % C),
    dims: D,
    classes: C,
  };
}

test('cross-entropy gradient equals central finite differences (with and without L2)', () => {
  const e = examples(12, 5, 4, 1);
  const r = rng(2);
  for (const l2 of [0, 0.3]) {
    const f = crossEntropy(e, l2);
    const theta = Float64Array.from({ length: 4 * 5 + 4 }, () => r.normal() * 0.5);
    const grad = new Float64Array(theta.length);
    f(theta, grad);
    const h = 1e-6,
      scratch = new Float64Array(theta.length);
    for (let j = 0; j < theta.length; j++) {
      const p = theta.slice(),
        m = theta.slice();
      p[j] += h;
      m[j] -= h;
      const fd = (f(p, scratch) - f(m, scratch)) / (2 * h);
      assert.ok(Math.abs(fd - grad[j]) < 1e-7, `l2 ${l2}, θ[${j}]: gradient ${grad[j]}, finite difference ${fd}`);
    }
  }
});

test('cross-entropy of the zero head is ln(classes)', () => {
  const e = examples(9, 3, 5, 3);
  const v = crossEntropy(e, 1)(new Float64Array(3 * 5 + 5), new Float64Array(3 * 5 + 5));
  assert.ok(Math.abs(v - Math.log(5)) < 1e-15, `${v}`);
});

test("L-BFGS finds the minimum of an ill-conditioned quadratic and of Rosenbrock's function", async () => {
  const a = [1, 10, 100, 1000],
    c = [3, -2, 0.5, 7];
  const quad = (x: Float64Array, g: Float64Array) => {
    let f = 0;
    for (let i = 0; i < 4; i++) {
      f += 0.5 * a[i] * (x[i] - c[i]) ** 2;
      g[i] = a[i] * (x[i] - c[i]);
    }
    return f;
  };
  const q = await lbfgs(quad, new Float64Array(4), { maxIterations: 200, gradientTolerance: 1e-9, relativeDecrease: 0, memory: 10 });
  assert.is(q.stop, 'gradient');
  q.x.forEach((v, i) => assert.ok(Math.abs(v - c[i]) < 1e-9, `x[${i}] = ${v}, want ${c[i]}`));
  const rosen = (x: Float64Array, g: Float64Array) => {
    g[0] = -400 * x[0] * (x[1] - x[0] * x[0]) - 2 * (1 - x[0]);
    g[1] = 200 * (x[1] - x[0] * x[0]);
    return 100 * (x[1] - x[0] * x[0]) ** 2 + (1 - x[0]) ** 2;
  };
  const r = await lbfgs(rosen, Float64Array.from([-1.2, 1]), {
    maxIterations: 500,
    gradientTolerance: 1e-8,
    relativeDecrease: 0,
    memory: 10,
  });
  assert.ok(
    Math.abs(r.x[0] - 1) < 1e-6 && Math.abs(r.x[1] - 1) < 1e-6,
    `Rosenbrock minimum at [${[...r.x]}] after ${r.iterations} iterations (${r.stop})`,
  );
});

test('the fitted head separates separable classes, and its gradient at the end is below the tolerance', async () => {
  const r = rng(4);
  const centres = [
    [3, 0, 0],
    [0, 3, 0],
    [0, 0, 3],
  ];
  const rows = Array.from({ length: 60 }, (_, i) => Float32Array.from(centres[i % 3], (v) => v + r.normal() * 0.3));
  const y = Int32Array.from({ length: 60 }, (_, i) => i % 3);
  const { w, b, summary } = await fitLinearHead(standardize(rows, rows[0].length), y, 3, {
    method: 'logistic',
    l2: 1e-3,
    maxIterations: 300,
  });
  assert.is(summary.stop, 'gradient');
  rows.forEach((x, i) => {
    const z = [0, 1, 2].map((c) => b[c] + x.reduce((s, v, k) => s + v * w[c * 3 + k], 0));
    assert.is(z.indexOf(Math.max(...z)), y[i], `row ${i}`);
  });
  const fit = await fitSoftmaxRegression(
    { x: Float64Array.from(rows.flatMap((x) => [...x])), y, dims: 3, classes: 3 },
    { l2: 1e-3, maxIterations: 300, gradientTolerance: 1e-5, relativeDecrease: 0 },
  );
  const grad = new Float64Array(12);
  crossEntropy({ x: Float64Array.from(rows.flatMap((x) => [...x])), y, dims: 3, classes: 3 }, 1e-3)(
    Float64Array.from([...fit.w, ...fit.b]),
    grad,
  );
  assert.ok(
    grad.every((g) => Math.abs(g) <= 1e-5),
    `gradient at the end [${[...grad]}]`,
  );
});

test('nearest-mean on raw features: W = μ/v and b = −‖μ‖²/2v after standardization, so the closest mean wins', async () => {
  const rows = [
    [0, 0],
    [2, 0],
    [10, 10],
    [12, 10],
  ].map((v) => Float32Array.from(v));
  const y = Int32Array.from([0, 0, 1, 1]);
  const { w, b } = await fitLinearHead(standardize(rows, rows[0].length), y, 2, { method: 'nearest-mean', l2: 0, maxIterations: 1 });
  const score = (x: number[], c: number) => b[c] + x[0] * w[c * 2] + x[1] * w[c * 2 + 1];
  for (const [x, want] of [
    [[1, 1], 0],
    [[11, 9], 1],
    [[4, 4], 0],
    [[7, 7], 1],
  ] as const) {
    assert.is(score([...x], 0) > score([...x], 1) ? 0 : 1, want, `[${x}]`);
  }
  // Equidistant from both means: equal scores (up to f32 rounding).
  assert.ok(Math.abs(score([6, 5], 0) - score([6, 5], 1)) < 1e-4);
});

test('a feature almost constant over the examples does not swamp a new image (std floor)', async () => {
  const r = rng(5);
  // Feature 0 separates the classes; feature 1 is 0 except in one class-0 example, barely.
  const rows = Array.from({ length: 40 }, (_, i) => Float32Array.from([(i % 2 ? -1 : 1) + r.normal() * 0.2, i === 0 ? 1e-3 : 0]));
  const y = Int32Array.from({ length: 40 }, (_, i) => i % 2);
  const { w, b } = await fitLinearHead(standardize(rows, rows[0].length), y, 2, { method: 'logistic', l2: 1e-3, maxIterations: 300 });
  const z = (x: number[]) => [0, 1].map((c) => b[c] + x[0] * w[c * 2] + x[1] * w[c * 2 + 1]);
  const [z0, z1] = z([-1, 0.5]); // clearly class 1 by feature 0, and feature 1 woken for once
  assert.ok(z1 > z0, `class 1 expected: logits [${z0}, ${z1}], weights [${[...w]}]`);
});

test.run();
