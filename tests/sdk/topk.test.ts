import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { softmax, topK } from '../../ts-sdk/topk.ts';

const f = (...v: number[]) => new Float32Array(v);

test('softmax sums to 1 and orders like the logits', () => {
  const p = softmax(f(1, 3, 2, -50));
  assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  assert.ok(p[1] > p[2] && p[2] > p[0] && p[0] > p[3]);
  // shift invariance: huge logits do not overflow
  const q = softmax(f(1e30, 1e30 - 1e24));
  assert.ok(Number.isFinite(q[0]) && q[0] >= 0.5);
});

test('a NaN logit scores 0 and does not spoil the others', () => {
  const top = topK(f(0, NaN, 2, 1), ['a', 'b', 'c', 'd'], 4);
  assert.equal(
    top.map((t) => t.label),
    ['c', 'd', 'a', 'b'],
  );
  assert.equal(top[3].score, 0);
  for (const t of top) assert.ok(Number.isFinite(t.score));
  assert.ok(Math.abs(top.reduce((a, t) => a + t.score, 0) - 1) < 1e-12);
});

test('+Infinity logits share probability 1; -Infinity scores 0', () => {
  const p = softmax(f(Infinity, 3, Infinity, -Infinity, NaN));
  assert.equal([...p], [0.5, 0, 0.5, 0, 0]);
  const q = softmax(f(-Infinity, 0));
  assert.equal([...q], [0, 1]);
});

test('no usable logit is a RangeError that says why', () => {
  assert.throws(
    () => softmax(f(NaN, NaN)),
    (e: Error) => e instanceof RangeError && /none of the 2 logits/.test(e.message),
  );
  assert.throws(() => softmax(f(-Infinity)), RangeError);
  assert.throws(() => softmax(f()), RangeError);
});

test.run();
