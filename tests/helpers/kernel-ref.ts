// Independent TypeScript references of the kernels' arithmetic (docs/ARCHITECTURE.md,
// "Numerics"), written from the definitions (direct convolution over logical OHWI weights,
// no im2col, no packing), so a shared mistake in the wasm __ref and __simd twins shows.
const f = Math.fround;

/** Round half to even, as f32x4.nearest. */
export function nearestEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 ? 2 * Math.round(v / 2) : r;
}

/** A residual fused into a conv's epilogue: adds f32(r − zr) · residualMult before rounding. */
export interface Residual {
  r: Uint8Array;
  zr: number;
  residualMult: number;
}

/** clamp(v, qmin − zy, qmax − zy) + zy for a rounded v; a NaN counts as 0, as i32x4.trunc_sat_f32x4_s gives. */
function toOutput(v: number, zy: number, qmin: number, qmax: number): number {
  return Math.min(Math.max(Number.isNaN(v) ? 0 : v, qmin - zy), qmax - zy) + zy;
}

function requant(acc: number, mult: number, zy: number, qmin: number, qmax: number, res = 0): number {
  return toOutput(nearestEven(f(f(f(acc | 0) * mult) + res)), zy, qmin, qmax);
}

export interface ConvShape {
  H: number;
  W: number;
  C: number;
  N: number;
  KH: number;
  KW: number;
  stride: number;
  padT: number;
  padL: number;
  padB: number;
  padR: number;
}

export const outSize = (s: ConvShape): [number, number] => [
  Math.floor((s.H + s.padT + s.padB - s.KH) / s.stride) + 1,
  Math.floor((s.W + s.padL + s.padR - s.KW) / s.stride) + 1,
];

/** int8 conv, u8 NHWC in/out, weights int8 [N][KH][KW][C]; `residual` is [OH][OW][N] u8. */
export function convQ8(
  s: ConvShape,
  x: Uint8Array,
  zx: number,
  w: Int8Array,
  bias: Int32Array,
  mult: Float32Array,
  zy: number,
  qmin: number,
  qmax: number,
  residual?: Residual,
): Uint8Array {
  const [OH, OW] = outSize(s);
  const y = new Uint8Array(OH * OW * s.N);
  const res = (i: number) => (residual ? f((residual.r[i] - residual.zr) * residual.residualMult) : 0);
  for (let oy = 0; oy < OH; oy++)
    for (let ox = 0; ox < OW; ox++)
      for (let n = 0; n < s.N; n++) {
        let acc = 0;
        for (let ky = 0; ky < s.KH; ky++) {
          const iy = oy * s.stride - s.padT + ky;
          if (iy < 0 || iy >= s.H) continue;
          for (let kx = 0; kx < s.KW; kx++) {
            const ix = ox * s.stride - s.padL + kx;
            if (ix < 0 || ix >= s.W) continue;
            for (let c = 0; c < s.C; c++) {
              acc += (x[(iy * s.W + ix) * s.C + c] - zx) * w[((n * s.KH + ky) * s.KW + kx) * s.C + c];
            }
          }
        }
        const i = (oy * OW + ox) * s.N + n;
        y[i] = requant(acc + bias[n], mult[n], zy, qmin, qmax, res(i));
      }
  return y;
}

/** fp32 conv in f64 (the tolerance reference), NHWC, weights [N][KH][KW][C]. */
export function convF32(s: ConvShape, x: Float32Array, w: Float32Array, bias: Float32Array, relu: boolean): Float64Array {
  const [OH, OW] = outSize(s);
  const y = new Float64Array(OH * OW * s.N);
  for (let oy = 0; oy < OH; oy++)
    for (let ox = 0; ox < OW; ox++)
      for (let n = 0; n < s.N; n++) {
        let acc = 0;
        for (let ky = 0; ky < s.KH; ky++) {
          const iy = oy * s.stride - s.padT + ky;
          if (iy < 0 || iy >= s.H) continue;
          for (let kx = 0; kx < s.KW; kx++) {
            const ix = ox * s.stride - s.padL + kx;
            if (ix < 0 || ix >= s.W) continue;
            for (let c = 0; c < s.C; c++) acc += x[(iy * s.W + ix) * s.C + c] * w[((n * s.KH + ky) * s.KW + kx) * s.C + c];
          }
        }
        const v = acc + bias[n];
        y[(oy * OW + ox) * s.N + n] = relu ? Math.max(v, 0) : v;
      }
  return y;
}

export function addQ8(
  a: Uint8Array,
  za: number,
  ma: number,
  b: Uint8Array,
  zb: number,
  mb: number,
  zy: number,
  qmin: number,
  qmax: number,
): Uint8Array {
  const y = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const v = nearestEven(f(f(f(a[i] - za) * ma) + f(f(b[i] - zb) * mb)));
    y[i] = toOutput(v, zy, qmin, qmax);
  }
  return y;
}

export function maxPool<T extends Uint8Array | Float32Array>(
  x: T,
  H: number,
  W: number,
  C: number,
  K: number,
  stride: number,
  pad: number,
  make: (n: number) => T,
): T {
  const OH = Math.floor((H + 2 * pad - K) / stride) + 1,
    OW = Math.floor((W + 2 * pad - K) / stride) + 1;
  const y = make(OH * OW * C);
  for (let oy = 0; oy < OH; oy++)
    for (let ox = 0; ox < OW; ox++)
      for (let c = 0; c < C; c++) {
        let m = -Infinity;
        for (let ky = 0; ky < K; ky++)
          for (let kx = 0; kx < K; kx++) {
            const iy = oy * stride - pad + ky,
              ix = ox * stride - pad + kx;
            if (iy >= 0 && iy < H && ix >= 0 && ix < W) m = Math.max(m, x[(iy * W + ix) * C + c]);
          }
        y[(oy * OW + ox) * C + c] = m;
      }
  return y;
}

export function gapQ8(x: Uint8Array, HW: number, C: number, zx: number, m: number, zy: number): Uint8Array {
  const y = new Uint8Array(C);
  for (let c = 0; c < C; c++) {
    let s = 0;
    for (let p = 0; p < HW; p++) s += x[p * C + c];
    y[c] = requant(s - HW * zx, m, zy, 0, 255);
  }
  return y;
}

/** FC head: u8 input [K] with zero point, int8 weights [N][K] → f32 logits. */
export function fcQ8(x: Uint8Array, zx: number, w: Int8Array, N: number, bias: Int32Array, scale: Float32Array): Float32Array {
  const K = x.length;
  const y = new Float32Array(N);
  for (let n = 0; n < N; n++) {
    let acc = 0;
    for (let k = 0; k < K; k++) acc += (x[k] - zx) * w[n * K + k];
    y[n] = f(f((acc + bias[n]) | 0) * scale[n]);
  }
  return y;
}

/** Option-A shortcut: the input's channels land at c0..c0+C−1, every other channel is `fill`. */
export function padShortcut<T extends Uint8Array | Float32Array>(
  x: T,
  H: number,
  W: number,
  C: number,
  stride: number,
  Cout: number,
  fill: number,
  make: (n: number) => T,
  c0 = 0,
): T {
  const OH = Math.ceil(H / stride),
    OW = Math.ceil(W / stride);
  const y = make(OH * OW * Cout);
  for (let oy = 0; oy < OH; oy++)
    for (let ox = 0; ox < OW; ox++)
      for (let c = 0; c < Cout; c++) {
        y[(oy * OW + ox) * Cout + c] = c >= c0 && c < c0 + C ? x[(oy * stride * W + ox * stride) * C + c - c0] : fill;
      }
  return y;
}

export function quantizeNchw(x: Float32Array, C: number, HW: number, inv: number, z: number): Uint8Array {
  const y = new Uint8Array(C * HW);
  for (let c = 0; c < C; c++)
    for (let p = 0; p < HW; p++) {
      const v = nearestEven(f(x[c * HW + p] * inv));
      y[p * C + c] = Math.min(Math.max(v, -z), 255 - z) + z;
    }
  return y;
}
