// fp32 path: im2col + GEMM (bias, ReLU), add, pools, FC and option-A shortcut, every variant,
// whole and split into work-unit ranges as threads run them (which must not change a bit).
// Tolerance: the f64 direct convolution is the reference. Per output, |got − want| must be
// within the worst-case bound of recursive f32 summation, (K + 2)·2⁻²³·Σ|x·w| + |b|·2⁻²³, and
// over a whole output max|got − want| / max|want| ≤ 1e-5 (the stated fp32 bound). The SIMD
// variants add in the scalar twin's order without FMA, so ref and simd must agree exactly
// (as numbers); the relaxed build's GEMM uses relaxed_madd and only meets the bound.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Harness, relaxedSupported, type Build } from '../helpers/wasm-harness.ts';
import { rng, type Rng } from '../helpers/rng.ts';
import { convF32, maxPool, outSize, padShortcut, type ConvShape } from '../helpers/kernel-ref.ts';
import { packF32Weights, roundUp, NR } from '../../ts-sdk/kernels/packing.ts';

const builds: Build[] = relaxedSupported() ? ['simd', 'relaxed'] : ['simd'];
const U = 2 ** -23;

interface Case extends ConvShape {
  name: string;
  relu: boolean;
}
const named: Case[] = [
  { name: 'conv1 7×7 s2 p3 C=3', H: 17, W: 15, C: 3, N: 16, KH: 7, KW: 7, stride: 2, padT: 3, padL: 3, padB: 3, padR: 3, relu: true },
  { name: '3×3 s1 p1 odd C, N', H: 6, W: 7, C: 5, N: 13, KH: 3, KW: 3, stride: 1, padT: 1, padL: 1, padB: 1, padR: 1, relu: false },
  { name: '3×3 s2 p1', H: 9, W: 9, C: 16, N: 24, KH: 3, KW: 3, stride: 2, padT: 1, padL: 1, padB: 1, padR: 1, relu: true },
  { name: '1×1 s2 projection', H: 8, W: 8, C: 12, N: 20, KH: 1, KW: 1, stride: 2, padT: 0, padL: 0, padB: 0, padR: 0, relu: false },
  {
    name: '1×1 s1 (direct GEMM, no im2col)',
    H: 5,
    W: 5,
    C: 9,
    N: 7,
    KH: 1,
    KW: 1,
    stride: 1,
    padT: 0,
    padL: 0,
    padB: 0,
    padR: 0,
    relu: true,
  },
  { name: 'n_lt_8, m_lt_4', H: 1, W: 3, C: 4, N: 3, KH: 1, KW: 3, stride: 1, padT: 0, padL: 1, padB: 0, padR: 1, relu: false },
  { name: 'deep K', H: 3, W: 3, C: 256, N: 16, KH: 3, KW: 3, stride: 1, padT: 1, padL: 1, padB: 1, padR: 1, relu: true },
];

function randomCase(r: Rng, i: number): Case {
  const K = r.pick([1, 3, 3, 7]);
  const pad = r.int(0, K >> 1);
  // At least one output pixel: the padded input must hold the kernel (H + 2·pad ≥ K).
  const side = () => r.int(Math.max(1, K - 2 * pad), 10);
  return {
    name: `random #${i}`,
    H: side(),
    W: side(),
    C: r.int(1, 24),
    N: r.int(1, 24),
    KH: K,
    KW: K,
    stride: r.pick([1, 2]),
    padT: pad,
    padL: pad,
    padB: pad,
    padR: pad,
    relu: r.next() < 0.5,
  };
}

function runConv(
  h: Harness,
  c: Case,
  seed: number,
  variant: 'ref' | 'simd' | 'relaxed',
  split = 1,
): { got: Float32Array; want: Float64Array; bound: Float64Array } {
  const r = rng(seed);
  const [OH, OW] = outSize(c);
  const K = c.KH * c.KW * c.C,
    M = OH * OW;
  const x = Float32Array.from({ length: c.H * c.W * c.C }, () => r.normal());
  const w = Float32Array.from({ length: c.N * K }, () => r.normal() / Math.sqrt(K));
  const bias = Float32Array.from({ length: roundUp(c.N, NR) }, (_, n) => (n < c.N ? r.normal() * 0.1 : 0));
  h.reset();
  const px = h.put(x),
    pa = h.alloc(M * K * 4),
    pw = h.put(packF32Weights(w, c.N, K)),
    pb = h.put(bias),
    py = h.alloc(M * c.N * 4);
  const direct = c.KH === 1 && c.KW === 1 && c.stride === 1 && c.padT + c.padL + c.padB + c.padR === 0;
  if (!direct)
    h.run(
      variant === 'ref' ? 'f32_im2col__ref' : 'f32_im2col__simd',
      { x: px, H: c.H, W: c.W, C: c.C, KH: c.KH, KW: c.KW, stride: c.stride, padT: c.padT, padL: c.padL, OH, OW, a: pa },
      split,
      seed,
    );
  h.run(
    `f32_gemm_minmax_4x8__${variant}`,
    {
      M,
      N: c.N,
      K,
      a: direct ? px : pa,
      aStride: K * 4,
      w: pw,
      bias: pb,
      y: py,
      yStride: c.N * 4,
      lo: c.relu ? 0 : -Infinity,
      hi: Infinity,
    },
    split,
    seed + 1,
  );
  const want = convF32(c, x, w, bias, c.relu);
  const absW = w.map(Math.abs),
    absX = x.map(Math.abs);
  const mag = convF32(c, absX, absW, new Float32Array(c.N), false);
  const bound = mag.map((s, i) => (K + 2) * U * s + Math.abs(bias[i % c.N]) * U + 1e-30);
  return { got: h.f32(py, M * c.N), want, bound };
}

function check(name: string, got: ArrayLike<number>, want: ArrayLike<number>, bound?: ArrayLike<number>): void {
  let maxDiff = 0,
    maxAbs = 0;
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i] - want[i]);
    if (!(d <= (bound ? bound[i] : Infinity)))
      assert.unreachable(`${name}: at ${i}: expected ${want[i]}, got ${got[i]} (|diff| ${d} > bound ${bound?.[i]})`);
    maxDiff = Math.max(maxDiff, d);
    maxAbs = Math.max(maxAbs, Math.abs(want[i]));
  }
  assert.ok(maxDiff <= 1e-5 * maxAbs, `${name}: max|diff|/max|want| = ${maxDiff / maxAbs} > 1e-5`);
}

for (const build of builds) {
  const test = suite(`fp32 kernels [${build}]`);
  let h: Harness;
  test.before(async () => {
    h = await Harness.create(build);
  });
  const variants = build === 'relaxed' ? (['ref', 'simd', 'relaxed'] as const) : (['ref', 'simd'] as const);

  const cases = [...named];
  const r = rng(99);
  for (let i = 0; i < 60; i++) cases.push(randomCase(r, i));
  for (const [i, c] of cases.entries()) {
    test(`conv ${c.name}`, () => {
      if (outSize(c).some((s) => s < 1))
        assert.unreachable(`${c.name}: the shape has no output, so it would test nothing; shape ${JSON.stringify(c)}`);
      const results = variants.map((v) => runConv(h, c, 300 + i, v));
      results.forEach((res, j) => check(`${c.name} ${variants[j]}`, res.got, res.want, res.bound));
      // ref and simd, whole or split: identical numbers.
      const split = runConv(h, c, 300 + i, 'simd', 3).got;
      for (let k = 0; k < results[0].got.length; k++) {
        if (results[0].got[k] !== results[1].got[k])
          assert.unreachable(`${c.name}: ref ${results[0].got[k]} ≠ simd ${results[1].got[k]} at ${k}`);
        if (split[k] !== results[1].got[k])
          assert.unreachable(`${c.name}: simd in 3 pieces ${split[k]} ≠ whole ${results[1].got[k]} at ${k}`);
      }
    });
  }

  test('add, maxpool, gap, FC, shortcut, NCHW→NHWC', () => {
    const r = rng(5);
    for (const n of [1, 3, 4, 5, 64, 301]) {
      const a = Float32Array.from({ length: n }, () => r.normal()),
        b = Float32Array.from({ length: n }, () => r.normal());
      for (const v of ['ref', 'simd'] as const) {
        h.reset();
        const pa = h.put(a),
          pb = h.put(b),
          py = h.alloc(n * 4);
        h.run(`f32_vadd_minmax__${v}`, { n, a: pa, b: pb, y: py, lo: 0, hi: Infinity }, 1 + (n % 3), n);
        check(
          `add ${v} ${n}`,
          h.f32(py, n),
          a.map((x, i) => Math.max(Math.fround(x + b[i]), 0)),
          new Float64Array(n),
        );
      }
    }
    for (const [H, W, C] of [
      [9, 9, 5],
      [8, 8, 16],
      [1, 1, 3],
    ]) {
      const x = Float32Array.from({ length: H * W * C }, () => r.normal());
      const want = maxPool(x, H, W, C, 3, 2, 1, (n) => new Float32Array(n));
      const OH = Math.floor((H - 1) / 2) + 1,
        OW = Math.floor((W - 1) / 2) + 1;
      for (const v of ['ref', 'simd'] as const) {
        h.reset();
        const px = h.put(x),
          py = h.alloc(want.length * 4);
        h.run(`f32_maxpool__${v}`, { x: px, H, W, C, K: 3, stride: 2, pad: 1, OH, OW, y: py }, 2, H);
        check(`maxpool ${v}`, h.f32(py, want.length), want, new Float64Array(want.length));
      }
      const inv = Math.fround(1 / (H * W));
      const gwant = new Float64Array(C).map((_, c) => {
        let s = 0;
        for (let p = 0; p < H * W; p++) s += x[p * C + c];
        return s / (H * W);
      });
      for (const v of ['ref', 'simd'] as const) {
        h.reset();
        const px = h.put(x),
          py = h.alloc(C * 4);
        h.run(`f32_gavgpool__${v}`, { x: px, HW: H * W, C, inv, y: py }, 2, C);
        check(
          `gap ${v}`,
          h.f32(py, C),
          gwant,
          gwant.map(() => 1e-5),
        );
      }
      for (const c0 of [0, 1, 3]) {
        const swant = padShortcut(x, H, W, C, 2, C + 3, 0, (n) => new Float32Array(n), c0);
        h.reset();
        const px = h.put(x),
          py = h.put(new Float32Array(swant.length).fill(Number.NaN));
        h.run(
          'x32_pad_shortcut__scalar',
          { x: px, H, W, C, stride: 2, OH: Math.ceil(H / 2), OW: Math.ceil(W / 2), Cout: C + 3, c0, fill: 0, y: py },
          2,
          W,
        );
        check(`shortcut c0=${c0}`, h.f32(py, swant.length), swant, new Float64Array(swant.length));
      }
    }
    const C = 3,
      HW = 20,
      x = Float32Array.from({ length: C * HW }, () => r.normal());
    h.reset();
    const px = h.put(x),
      py = h.alloc(C * HW * 4);
    h.run('x32_nchw_to_nhwc__scalar', { x: px, C, HW, y: py }, 3, HW);
    const got = h.f32(py, C * HW);
    for (let c = 0; c < C; c++) for (let p = 0; p < HW; p++) assert.is(got[p * C + c], x[c * HW + p]);
  });

  test.run();
}
