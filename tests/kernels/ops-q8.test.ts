// int8 residual add, max pool, global average pool, FC head, option-A shortcut and input
// quantization: every variant in every build, whole and split into work-unit ranges as
// threads run them, against the TypeScript reference, bit for bit.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Harness, relaxedSupported, type Build } from '../helpers/wasm-harness.ts';
import { rng } from '../helpers/rng.ts';
import { addQ8, fcQ8, gapQ8, maxPool, nearestEven, padShortcut, quantizeNchw } from '../helpers/kernel-ref.ts';
import { packQ8Weights, roundUp, NR } from '../../ts-sdk/kernels/packing.ts';
import { asPtr } from '../../ts-sdk/kernels/abi.ts';

const builds: Build[] = relaxedSupported() ? ['simd', 'relaxed'] : ['simd'];

function same(name: string, want: ArrayLike<number>, got: ArrayLike<number>): void {
  assert.is(got.length, want.length, `${name}: length`);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) assert.unreachable(`${name}: at ${i}: expected ${want[i]}, got ${got[i]}`);
  }
}

for (const build of builds) {
  const test = suite(`int8 ops [${build}]`);
  let h: Harness;
  test.before(async () => {
    h = await Harness.create(build);
  });

  test('vadd: lengths around the 16-lane body, ReLU and saturation', () => {
    const r = rng(7);
    for (const n of [1, 15, 16, 17, 33, 64, 1000, 3137]) {
      for (const relu of [false, true]) {
        const a = Uint8Array.from({ length: n }, () => r.int(0, 255));
        const b = Uint8Array.from({ length: n }, () => r.int(0, 255));
        const za = r.int(0, 255),
          zb = r.int(0, 255),
          zy = relu ? 0 : r.int(0, 255);
        const ma = Math.fround(r.next() * 2),
          mb = Math.fround(r.next() * 2);
        const qmin = relu ? zy : 0;
        const want = addQ8(a, za, ma, b, zb, mb, zy, qmin, 255);
        for (const v of ['ref', 'simd'] as const) {
          h.reset();
          const pa = h.put(a),
            pb = h.put(b),
            py = h.alloc(n);
          h.run(`qu8_vadd_minmax__${v}`, { n, a: pa, za, ma, b: pb, zb, mb, y: py, zy, qmin, qmax: 255 }, 1 + (n % 3), n);
          same(`vadd ${v} n=${n} relu=${relu}`, want, h.u8(py, n));
          // In place (y = a), as the runtime may do.
          h.run(`qu8_vadd_minmax__${v}`, { n, a: pa, za, ma, b: pb, zb, mb, y: pa, zy, qmin, qmax: 255 });
          same(`vadd ${v} in place n=${n}`, want, h.u8(pa, n));
        }
      }
    }
  });

  test('vadd: exact ties (multipliers ½) round to even, below and above zero', () => {
    // (a − 100)·½ + (b − 0)·½: every odd a − 100 + b is a tie, from −50 up to 177.5.
    const n = 256 * 3;
    const a = Uint8Array.from({ length: n }, (_, i) => i % 256);
    const b = Uint8Array.from({ length: n }, (_, i) => (i * 7) % 3);
    const want = Array.from(a, (av, i) => Math.min(255, Math.max(0, nearestEven((av - 100) * 0.5 + b[i] * 0.5) + 60)));
    assert.ok(
      want.some((_, i) => (a[i] - 100 + b[i]) % 2 !== 0 && a[i] - 100 + b[i] < 0),
      'negative ties present',
    );
    same('vadd ties, reference helper', want, addQ8(a, 100, 0.5, b, 0, 0.5, 60, 0, 255));
    for (const v of ['ref', 'simd'] as const) {
      h.reset();
      const pa = h.put(a),
        pb = h.put(b),
        py = h.alloc(n);
      h.run(`qu8_vadd_minmax__${v}`, { n, a: pa, za: 100, ma: 0.5, b: pb, zb: 0, mb: 0.5, y: py, zy: 60, qmin: 0, qmax: 255 });
      same(`vadd ties ${v}`, want, h.u8(py, n));
    }
  });

  test('vadd: ∞ − ∞ (finite but huge multipliers) gives the zero point in every variant', () => {
    const n = 20;
    const a = new Uint8Array(n).fill(255);
    const b = new Uint8Array(n).fill(0);
    const m = Math.fround(3e38); // 255·m and −255·m overflow f32: their sum is NaN
    same('vadd NaN, reference helper', new Uint8Array(n).fill(37), addQ8(a, 0, m, b, 255, m, 37, 0, 255));
    for (const v of ['ref', 'simd'] as const) {
      h.reset();
      const pa = h.put(a),
        pb = h.put(b),
        py = h.alloc(n);
      h.run(`qu8_vadd_minmax__${v}`, { n, a: pa, za: 0, ma: m, b: pb, zb: 255, mb: m, y: py, zy: 37, qmin: 0, qmax: 255 });
      same(`vadd NaN ${v}`, new Uint8Array(n).fill(37), h.u8(py, n));
    }
  });

  test('maxpool 3×3 s2 p1 and other windows, channel tails', () => {
    const r = rng(8);
    const cases = [
      [112, 112, 64, 3, 2, 1],
      [7, 9, 17, 3, 2, 1],
      [5, 5, 1, 3, 2, 1],
      [6, 6, 33, 2, 2, 0],
      [4, 4, 16, 3, 1, 1],
      [1, 1, 5, 3, 2, 1],
    ];
    for (const [H, W, C, K, s, p] of cases) {
      const x = Uint8Array.from({ length: H * W * C }, () => r.int(0, 255));
      const want = maxPool(x, H, W, C, K, s, p, (n) => new Uint8Array(n));
      const OH = Math.floor((H + 2 * p - K) / s) + 1,
        OW = Math.floor((W + 2 * p - K) / s) + 1;
      for (const v of ['ref', 'simd'] as const) {
        h.reset();
        const px = h.put(x),
          py = h.alloc(want.length);
        h.run(`u8_maxpool__${v}`, { x: px, H, W, C, K, stride: s, pad: p, OH, OW, y: py }, 1 + (H % 3), H);
        same(`maxpool ${v} ${[H, W, C, K, s, p]}`, want, h.u8(py, want.length));
      }
    }
  });

  test('global average pool: channel tails, zero points, saturation', () => {
    const r = rng(9);
    for (const [HW, C] of [
      [49, 512],
      [1, 3],
      [16, 17],
      [4, 64],
      [196, 31],
    ]) {
      const x = Uint8Array.from({ length: HW * C }, () => r.int(0, 255));
      const zx = r.int(0, 255),
        zy = r.int(0, 255);
      const m = Math.fround((r.next() * 3) / HW);
      const want = gapQ8(x, HW, C, zx, m, zy);
      for (const v of ['ref', 'simd'] as const) {
        h.reset();
        const px = h.put(x),
          py = h.alloc(C);
        h.run(`qu8_gavgpool__${v}`, { x: px, HW, C, zx, mult: m, zy, y: py }, 1 + (C % 3), C);
        same(`gap ${v} HW=${HW} C=${C}`, want, h.u8(py, C));
      }
    }
  });

  test('FC head (gemv, f32 logits): N and K remainders', () => {
    const r = rng(10);
    for (const [K, N] of [
      [512, 1000],
      [512, 10],
      [7, 3],
      [1, 1],
      [64, 9],
      [33, 17],
    ]) {
      const x = Uint8Array.from({ length: K }, () => r.int(0, 255));
      const zx = r.int(0, 255);
      const w = Int8Array.from({ length: N * K }, () => r.int(-127, 127));
      const bias = Int32Array.from({ length: roundUp(N, NR) }, (_, n) => (n < N ? r.int(-100000, 100000) : 0));
      const scale = Float32Array.from({ length: roundUp(N, NR) }, () => Math.fround(r.next() * 1e-4));
      const want = fcQ8(x, zx, w, N, bias, scale);
      const Kp = roundUp(K, 2);
      for (const v of ['ref', 'simd'] as const) {
        h.reset();
        const px = h.put(x),
          pa = h.alloc(4 * Kp * 2),
          pw = h.put(packQ8Weights(w, N, K));
        const pb = h.put(bias),
          ps = h.put(scale),
          py = h.alloc(N * 4);
        h.run(`qu8_im2col_4c2__${v}`, { x: px, H: 1, W: 1, C: K, zx, KH: 1, KW: 1, stride: 1, padT: 0, padL: 0, OH: 1, OW: 1, Kp, a: pa });
        h.run(`qu8_qc8w_gemv_f32_8c2__${v}`, { N, Kp, a: pa, w: pw, bias: pb, scale: ps, y: py }, 1 + (N % 3), N);
        same(`fc ${v} K=${K} N=${N}`, want, h.f32(py, N));
        const after = h.u8(py + N * 4, 4);
        assert.equal([...after], [0xa5, 0xa5, 0xa5, 0xa5], 'fc wrote past its output');
      }
    }
  });

  test('option-A shortcut: subsample and zero-point channels before and after the input', () => {
    const r = rng(11);
    // [H, W, C, stride, Cout, c0]: appended only, PyTorch's symmetric planes//4 each side, all before, none, odd sizes
    for (const [H, W, C, s, Cout, c0] of [
      [8, 8, 16, 2, 32, 0],
      [8, 8, 16, 2, 32, 8],
      [7, 7, 3, 2, 8, 5],
      [4, 4, 5, 1, 5, 0],
      [5, 3, 4, 2, 4, 0],
      [9, 5, 6, 3, 13, 4],
    ]) {
      const x = Uint8Array.from({ length: H * W * C }, () => r.int(0, 255));
      const fill = r.int(0, 255);
      const want = padShortcut(x, H, W, C, s, Cout, fill, (n) => new Uint8Array(n), c0);
      h.reset();
      // Guard bytes around the output: the kernel writes exactly OH×OW×Cout bytes.
      const px = h.put(x),
        guarded = h.put(new Uint8Array(want.length + 32).fill(0xa5)),
        py = asPtr(guarded + 16);
      h.run(
        'x8_pad_shortcut__scalar',
        { x: px, H, W, C, stride: s, OH: Math.ceil(H / s), OW: Math.ceil(W / s), Cout, c0, fill, y: py },
        2,
        H,
      );
      same(`pad shortcut ${[H, W, C, s, Cout, c0]}`, want, h.u8(py, want.length));
      same(
        `pad shortcut ${[H, W, C, s, Cout, c0]} guard bytes`,
        new Uint8Array(32).fill(0xa5),
        Uint8Array.of(...h.u8(guarded, 16), ...h.u8(asPtr(py + want.length), 16)),
      );
    }
  });

  test('input quantization NCHW f32 → NHWC u8: rounding ties to even, clamping', () => {
    const r = rng(12);
    const C = 3,
      HW = 50;
    const x = Float32Array.from({ length: C * HW }, (_, i) => (i < 8 ? [0.5, 1.5, 2.5, -0.5, -1.5, 1e9, -1e9, 0][i] : r.normal() * 3));
    for (const [inv, z] of [
      [1, 128],
      [20, 100],
      [0.5, 0],
      [100, 255],
    ]) {
      const want = quantizeNchw(x, C, HW, Math.fround(inv), z);
      h.reset();
      const px = h.put(x),
        py = h.alloc(C * HW);
      h.run('f32_qu8_quantize_nchw__scalar', { x: px, C, HW, inv: Math.fround(inv), z, y: py }, 3, z);
      same(`quantize inv=${inv} z=${z}`, want, h.u8(py, C * HW));
    }
  });

  test.run();
}
