// int8 convolution = qu8_im2col_4c2 + qu8_qc8w_gemm_minmax_4x8c2, every variant in every build,
// with and without a fused residual, whole and split into work-unit ranges as threads run
// them, against the direct-convolution TypeScript reference: equal bit for bit.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Harness, relaxedSupported, type Build } from '../helpers/wasm-harness.ts';
import { rng, type Rng } from '../helpers/rng.ts';
import { convQ8, outSize, type ConvShape, type Residual } from '../helpers/kernel-ref.ts';
import { packQ8Weights, roundUp, NR } from '../../ts-sdk/kernels/packing.ts';
import { asPtr } from '../../ts-sdk/kernels/abi.ts';

const builds: Build[] = relaxedSupported() ? ['simd', 'relaxed'] : ['simd'];
const variants = ['ref', 'simd'] as const;
const f32 = Math.fround;

interface Case extends ConvShape {
  name: string;
  relu: boolean;
  multScale?: number;
  multExact?: number;
  zy?: number;
  yPad?: number;
  residual?: boolean;
}

const named: Case[] = [
  { name: 'k_lt_2 (1×1, C=1)', H: 5, W: 4, C: 1, N: 8, KH: 1, KW: 1, stride: 1, padT: 0, padL: 0, padB: 0, padR: 0, relu: true },
  { name: 'conv1 7×7 s2 p3 C=3', H: 19, W: 17, C: 3, N: 16, KH: 7, KW: 7, stride: 2, padT: 3, padL: 3, padB: 3, padR: 3, relu: true },
  { name: '3×3 s1 p1 odd C and N', H: 7, W: 9, C: 5, N: 13, KH: 3, KW: 3, stride: 1, padT: 1, padL: 1, padB: 1, padR: 1, relu: false },
  { name: '3×3 s2 p1', H: 9, W: 8, C: 16, N: 24, KH: 3, KW: 3, stride: 2, padT: 1, padL: 1, padB: 1, padR: 1, relu: true },
  { name: '1×1 s2 projection', H: 8, W: 8, C: 24, N: 32, KH: 1, KW: 1, stride: 2, padT: 0, padL: 0, padB: 0, padR: 0, relu: false },
  {
    name: '1×1 s1 (im2col is a widening copy)',
    H: 6,
    W: 5,
    C: 33,
    N: 17,
    KH: 1,
    KW: 1,
    stride: 1,
    padT: 0,
    padL: 0,
    padB: 0,
    padR: 0,
    relu: true,
  },
  { name: 'n_lt_8', H: 4, W: 4, C: 8, N: 3, KH: 3, KW: 3, stride: 1, padT: 1, padL: 1, padB: 1, padR: 1, relu: true },
  { name: 'n_gt_8', H: 4, W: 4, C: 8, N: 9, KH: 3, KW: 3, stride: 1, padT: 1, padL: 1, padB: 1, padR: 1, relu: true },
  { name: 'm_lt_4 (1×3 output)', H: 1, W: 3, C: 7, N: 8, KH: 1, KW: 1, stride: 1, padT: 0, padL: 0, padB: 0, padR: 0, relu: false },
  { name: 'm_remainder (M=7)', H: 1, W: 7, C: 9, N: 11, KH: 1, KW: 3, stride: 1, padT: 0, padL: 1, padB: 0, padR: 1, relu: false },
  { name: 'asymmetric padding', H: 6, W: 6, C: 4, N: 8, KH: 3, KW: 3, stride: 2, padT: 0, padL: 0, padB: 1, padR: 1, relu: true },
  {
    name: 'clamp qmax (saturating scale)',
    H: 4,
    W: 4,
    C: 16,
    N: 16,
    KH: 3,
    KW: 3,
    stride: 1,
    padT: 1,
    padL: 1,
    padB: 1,
    padR: 1,
    relu: true,
    multScale: 1,
  },
  {
    name: 'clamp qmin without ReLU, zy=200',
    H: 4,
    W: 4,
    C: 16,
    N: 16,
    KH: 3,
    KW: 3,
    stride: 1,
    padT: 1,
    padL: 1,
    padB: 1,
    padR: 1,
    relu: false,
    multScale: 0.2,
    zy: 200,
  },
  // mult = 2⁻⁹ exactly: ~1/512 of the outputs are exact ties, which must round to even.
  {
    name: 'rounding ties to even',
    H: 16,
    W: 16,
    C: 16,
    N: 16,
    KH: 3,
    KW: 3,
    stride: 1,
    padT: 1,
    padL: 1,
    padB: 1,
    padR: 1,
    relu: false,
    multExact: 2 ** -9,
    zy: 128,
  },
  {
    name: 'strided output rows',
    H: 5,
    W: 5,
    C: 6,
    N: 10,
    KH: 3,
    KW: 3,
    stride: 1,
    padT: 1,
    padL: 1,
    padB: 1,
    padR: 1,
    relu: true,
    yPad: 7,
  },
  {
    name: 'fused residual (conv2 + add + ReLU)',
    H: 6,
    W: 7,
    C: 16,
    N: 16,
    KH: 3,
    KW: 3,
    stride: 1,
    padT: 1,
    padL: 1,
    padB: 1,
    padR: 1,
    relu: true,
    residual: true,
  },
  {
    name: 'fused residual, odd N, strided rows, no ReLU',
    H: 5,
    W: 3,
    C: 7,
    N: 13,
    KH: 3,
    KW: 3,
    stride: 1,
    padT: 1,
    padL: 1,
    padB: 1,
    padR: 1,
    relu: false,
    residual: true,
    yPad: 5,
  },
  {
    name: 'fused residual, N < 8, M remainder',
    H: 1,
    W: 7,
    C: 4,
    N: 5,
    KH: 1,
    KW: 1,
    stride: 1,
    padT: 0,
    padL: 0,
    padB: 0,
    padR: 0,
    relu: true,
    residual: true,
  },
  {
    name: 'fused residual saturating both ends, zy=100',
    H: 4,
    W: 4,
    C: 8,
    N: 16,
    KH: 3,
    KW: 3,
    stride: 1,
    padT: 1,
    padL: 1,
    padB: 1,
    padR: 1,
    relu: false,
    multScale: 0.3,
    zy: 100,
    residual: true,
  },
  { name: 'deep K (stage-4 like)', H: 3, W: 3, C: 512, N: 24, KH: 3, KW: 3, stride: 1, padT: 1, padL: 1, padB: 1, padR: 1, relu: true },
];

function randomCase(r: Rng, i: number): Case {
  const K = r.pick([1, 3, 3, 3, 5, 7]);
  const stride = r.pick([1, 2]);
  const pad = r.int(0, K >> 1);
  const padB = r.int(0, pad),
    padR = r.int(0, pad);
  // At least one output pixel: the padded input must hold the kernel (H + padT + padB ≥ K).
  return {
    name: `random #${i}`,
    H: r.int(Math.max(1, K - pad - padB), 12),
    W: r.int(Math.max(1, K - pad - padR), 12),
    C: r.int(1, 40),
    N: r.int(1, 40),
    KH: K,
    KW: K,
    stride,
    padT: pad,
    padL: pad,
    padB,
    padR,
    relu: r.next() < 0.5,
    residual: r.next() < 0.5,
  };
}

function run(h: Harness, c: Case, seed: number, im2col: 'ref' | 'simd', gemm: 'ref' | 'simd', split = 1): void {
  const r = rng(seed);
  const [OH, OW] = outSize(c);
  if (OH < 1 || OW < 1)
    assert.unreachable(`${c.name}: the shape has no output (${OH}×${OW}), so it would test nothing; shape ${JSON.stringify(c)}`);
  const K = c.KH * c.KW * c.C,
    Kp = roundUp(K, 2),
    Np = roundUp(c.N, NR),
    M = OH * OW;
  const x = Uint8Array.from({ length: c.H * c.W * c.C }, () => r.int(0, 255));
  const w = Int8Array.from({ length: c.N * K }, () => r.int(-127, 127));
  const zx = r.int(0, 255);
  const zy = c.zy ?? (c.relu ? 0 : r.int(0, 255));
  const bias = Int32Array.from({ length: Np }, (_, n) => (n < c.N ? r.int(-40000, 40000) : 0));
  // Typical multipliers land the accumulators' spread on ~the u8 range; tests also saturate.
  const typical = 128 / (127 * 128 * Math.sqrt(K));
  const mult = Float32Array.from({ length: Np }, () => c.multExact ?? (c.multScale ?? typical) * (0.5 + r.next()));
  const qmin = c.relu ? zy : 0,
    qmax = 255;

  h.reset();
  const px = h.put(x),
    pa = h.alloc(roundUp(M, 4) * Kp * 2),
    pw = h.put(packQ8Weights(w, c.N, K));
  const pb = h.put(bias),
    pm = h.put(mult);
  const yStride = c.N + (c.yPad ?? 0);
  const py = h.alloc(M * yStride);
  // The residual has y's layout (its padding columns hold junk the kernel must not use).
  let residual: Residual | undefined;
  let pr = asPtr(0);
  if (c.residual) {
    const full = Uint8Array.from({ length: M * yStride }, () => r.int(0, 255));
    residual = {
      r: Uint8Array.from({ length: M * c.N }, (_, i) => full[Math.floor(i / c.N) * yStride + (i % c.N)]),
      zr: r.int(0, 255),
      residualMult: f32(0.25 + 1.5 * r.next()),
    };
    pr = h.put(full);
  }
  h.run(
    `qu8_im2col_4c2__${im2col}`,
    { x: px, H: c.H, W: c.W, C: c.C, zx, KH: c.KH, KW: c.KW, stride: c.stride, padT: c.padT, padL: c.padL, OH, OW, Kp, a: pa },
    split,
    seed,
  );
  h.run(
    `qu8_qc8w_gemm_minmax_4x8c2__${gemm}`,
    {
      M,
      N: c.N,
      Kp,
      a: pa,
      w: pw,
      bias: pb,
      mult: pm,
      y: py,
      yStride,
      zy,
      qmin,
      qmax,
      residual: pr,
      zr: residual?.zr ?? 0,
      residualMult: residual?.residualMult ?? 0,
    },
    split,
    seed + 1,
  );

  const want = convQ8(c, x, zx, w, bias, mult, zy, qmin, qmax, residual);
  const got = h.u8(py, M * yStride);
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < yStride; n++) {
      const g = got[m * yStride + n];
      if (n >= c.N) {
        if (g !== 0xa5) assert.unreachable(`${c.name}: wrote outside the output at row ${m}, column ${n}`);
        continue;
      }
      const e = want[m * c.N + n];
      if (g !== e) {
        assert.unreachable(
          `${c.name} (seed ${seed}, im2col ${im2col}, gemm ${gemm}, ${split} pieces): at pixel ${m} (y ${Math.floor(m / OW)}, x ${m % OW}) channel ${n}: expected ${e}, got ${g}; shape ${JSON.stringify(c)}`,
        );
      }
    }
  }
}

for (const build of builds) {
  const test = suite(`conv q8 [${build}]`);
  let h: Harness;
  test.before(async () => {
    h = await Harness.create(build);
  });
  for (const [i, c] of named.entries()) {
    test(c.name, () => {
      for (const im of variants) for (const g of variants) run(h, c, 1000 + i, im, g);
      for (const g of variants) run(h, c, 1000 + i, g, g, 3);
    });
  }
  test(`seeded random sweep (200 shapes)`, () => {
    const r = rng(42);
    for (let i = 0; i < 200; i++) {
      const c = randomCase(r, i);
      run(h, c, 5000 + i, 'simd', 'simd', 1 + (i % 4));
      if (i % 4 === 0) run(h, c, 5000 + i, 'ref', 'ref', 2);
    }
  });
  test.run();
}
