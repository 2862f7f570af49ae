// Exact int8 Winograd F(2×2, 3×3): equal bit for bit to the direct convolution (TypeScript
// reference), for every variant in every build, whole and split into work-unit ranges as
// threads run them, including extreme values that stress the int16 transform ranges and i32
// wrap-around, with and without a fused residual.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Harness, relaxedSupported, type Build } from '../helpers/wasm-harness.ts';
import { rng } from '../helpers/rng.ts';
import { convQ8, type Residual } from '../helpers/kernel-ref.ts';
import { packQ8Weights, roundUp, NR } from '../../ts-sdk/kernels/packing.ts';
import { asPtr } from '../../ts-sdk/kernels/abi.ts';

const builds: Build[] = relaxedSupported() ? ['simd', 'relaxed'] : ['simd'];

interface Case {
  name: string;
  H: number;
  W: number;
  C: number;
  N: number;
  extreme?: 'max' | 'alternating';
  relu?: boolean;
  residual?: boolean;
}
const cases: Case[] = [
  { name: 'stage-1 like (even H, W)', H: 8, W: 8, C: 64, N: 16 },
  { name: 'odd H and W (partial tiles)', H: 7, W: 5, C: 16, N: 8 },
  { name: '1×1 spatial', H: 1, W: 1, C: 8, N: 8 },
  { name: 'T not a multiple of 4', H: 3, W: 5, C: 8, N: 24 },
  { name: 'N tail (13)', H: 4, W: 6, C: 24, N: 13 },
  { name: 'C even, not a multiple of 8 (scalar input path)', H: 5, W: 5, C: 6, N: 9 },
  { name: 'deep C=512, extreme |x − zx| = 255 and |w| = 127', H: 3, W: 3, C: 512, N: 8, extreme: 'max' },
  // Checkerboard input × tap-alternating weights: |V|, |U'| at their bounds, M sums that wrap in i32.
  { name: 'deep C=512, alternating extremes (wrap-around)', H: 4, W: 4, C: 512, N: 16, extreme: 'alternating' },
  { name: 'ReLU clamp', H: 6, W: 6, C: 32, N: 16, relu: true },
  { name: 'fused residual + ReLU (conv2 of a block)', H: 8, W: 8, C: 16, N: 16, relu: true, residual: true },
  { name: 'fused residual, odd H and W, N tail (11)', H: 5, W: 7, C: 8, N: 11, residual: true },
];

function run(h: Harness, c: Case, seed: number, variant: 'ref' | 'simd', split = 1): void {
  const r = rng(seed);
  const K = 9 * c.C,
    Np = roundUp(c.N, NR);
  const x = Uint8Array.from({ length: c.H * c.W * c.C }, (_, i) =>
    c.extreme === 'max'
      ? 255
      : c.extreme === 'alternating'
        ? ((Math.floor(i / c.C) % c.W) + Math.floor(i / (c.C * c.W))) % 2
          ? 255
          : 0
        : r.int(0, 255),
  );
  const zx = c.extreme === 'max' ? 0 : c.extreme === 'alternating' ? 0 : r.int(0, 255);
  const w = Int8Array.from({ length: c.N * K }, (_, i) =>
    c.extreme === 'max' ? 127 : c.extreme === 'alternating' ? (Math.floor((i % K) / c.C) % 2 ? 127 : -127) : r.int(-127, 127),
  );
  const bias = Int32Array.from({ length: Np }, (_, n) => (n < c.N ? r.int(-30000, 30000) : 0));
  // Extreme cases scale the full accumulator range (|acc| ≤ 255·127·K) onto ±100 so nothing saturates.
  const mult = Float32Array.from({ length: Np }, () =>
    Math.fround(c.extreme ? 100 / (255 * 127 * K) : (0.5 + r.next()) / (127 * 64 * Math.sqrt(K))),
  );
  const zy = c.relu ? 0 : c.extreme ? 128 : r.int(0, 255),
    qmin = c.relu ? zy : 0;
  const T = Math.ceil(c.H / 2) * Math.ceil(c.W / 2),
    Cp = roundUp(c.C, 2);
  h.reset();
  const px = h.put(x),
    pw = h.put(packQ8Weights(w, c.N, K)),
    pb = h.put(bias),
    pm = h.put(mult);
  const pv = h.alloc(16 * roundUp(T, 4) * Cp * 2);
  const py = h.alloc(c.H * c.W * c.N);
  let residual: Residual | undefined;
  let pr = asPtr(0);
  if (c.residual) {
    residual = {
      r: Uint8Array.from({ length: c.H * c.W * c.N }, () => r.int(0, 255)),
      zr: r.int(0, 255),
      residualMult: Math.fround(0.25 + 1.5 * r.next()),
    };
    pr = h.put(residual.r);
  }
  h.run(`qu8_winograd_input_f2x2_3x3__${variant}`, { x: px, H: c.H, W: c.W, C: c.C, zx, Cp, v: pv }, split, seed);
  h.run(
    `qu8_qc8w_winograd_conv_f2x2_3x3_minmax_4x8c2__${variant}`,
    {
      H: c.H,
      W: c.W,
      N: c.N,
      Cp,
      v: pv,
      w: pw,
      bias: pb,
      mult: pm,
      y: py,
      zy,
      qmin,
      qmax: 255,
      residual: pr,
      zr: residual?.zr ?? 0,
      residualMult: residual?.residualMult ?? 0,
    },
    split,
    seed + 1,
  );
  const want = convQ8(
    { H: c.H, W: c.W, C: c.C, N: c.N, KH: 3, KW: 3, stride: 1, padT: 1, padL: 1, padB: 1, padR: 1 },
    x,
    zx,
    w,
    bias,
    mult,
    zy,
    qmin,
    255,
    residual,
  );
  const got = h.u8(py, want.length + 8);
  for (let i = 0; i < want.length; i++) {
    if (got[i] !== want[i]) {
      const p = Math.floor(i / c.N);
      assert.unreachable(
        `${c.name} (${variant}, seed ${seed}, ${split} pieces): pixel (${Math.floor(p / c.W)}, ${p % c.W}) channel ${i % c.N}: expected ${want[i]}, got ${got[i]}`,
      );
    }
  }
  assert.equal([...got.subarray(want.length)], Array(8).fill(0xa5), `${c.name}: wrote past the output`);
  if (c.extreme)
    assert.ok(
      want.some((v) => v !== want[0]) && want.every((v) => v > 0 && v < 255),
      `extreme case saturated or degenerate: ${want.slice(0, 8)}`,
    );
}

for (const build of builds) {
  const test = suite(`winograd [${build}]`);
  let h: Harness;
  test.before(async () => {
    h = await Harness.create(build);
  });
  for (const [i, c] of cases.entries()) {
    test(c.name, () => {
      for (const v of ['ref', 'simd'] as const) {
        run(h, c, 70 + i, v);
        run(h, c, 70 + i, v, 3);
      }
    });
  }
  test('seeded random sweep (60 shapes)', () => {
    const r = rng(4242);
    for (let i = 0; i < 60; i++) {
      const c: Case = {
        name: `random #${i}`,
        H: r.int(1, 11),
        W: r.int(1, 11),
        C: 2 * r.int(1, 20),
        N: r.int(1, 30),
        relu: r.next() < 0.5,
        residual: r.next() < 0.5,
      };
      run(h, c, 9000 + i, 'simd', 1 + (i % 3));
      if (i % 5 === 0) run(h, c, 9000 + i, 'ref', 2);
    }
  });
  test('weight transform: scalar twin == simd', () => {
    const r = rng(5);
    const C = 24,
      w = Int8Array.from({ length: 9 * C * 8 }, () => r.int(-127, 127));
    h.reset();
    const pw = h.put(w),
      u1 = h.alloc(16 * C * 16),
      u2 = h.alloc(16 * C * 16);
    h.run('qc8w_winograd_weights_f2x2_3x3__ref', { w: pw, C, u: u1 });
    h.run('qc8w_winograd_weights_f2x2_3x3__simd', { w: pw, C, u: u2 }, 4);
    assert.equal([...h.i16(u1, 16 * C * 8)], [...h.i16(u2, 16 * C * 8)]);
  });
  test.run();
}
