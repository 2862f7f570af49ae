// qu8_qc8w_winograd_conv_f2x2_3x3_minmax_4x8c2__simd: 3×3 stride-1 pad-1 int8 convolution by
// exact Winograd F(2×2, 3×3) (assembly/winograd/NOTES.md), bit-identical to im2col + GEMM.
//
// Params: Qu8WinogradConvParams. Work unit: a block of 8 output channels (its weight transform,
// all tiles). local: thread-private scratch of winogradLocalBytes(Cp) bytes (abi.ts): U' of the
// block (16·Cp·16 bytes), then, 64-byte aligned, 2048 bytes of accumulators (16 positions × 4
// tiles × 8 channels of i32).
// Memory contract
//   v:    the input transform, [16][ceil(T/4)][Cp/2][4][2] i16 (qu8_winograd_input_f2x2_3x3).
//   w:    the conv's int8 8c2 weights, [ceil(N/8)][9·Cp/2][8][2] (Cp even, = C).
//   bias, mult: i32 / f32 [ceil(N/8)·8], as for the GEMM.
//   y:    H×W×N u8 (output size = input size). Writes exactly that.
//   residual: 0, or an H×W×N u8 residual with zero point zr, added as (r − zr) · residualMult
//         (as the GEMM).
// Per block of 8 output channels: transform its weights into u, then per group of 4 tiles
// run the 4x8c2 microkernel once per tile position ξ (i16 weights: plain v128 loads), park
// the 16 × 8 accumulators in acc, and apply the output transform and the GEMM's epilogue.
import { Qu8WinogradConvParams } from '../params';
import { requantize, requantizeOffset } from '../requantize';
import { winogradWeightsSimd } from './qc8w-winograd-weights-f2x2-3x3-simd';

@inline function microkernel(a: usize, w: usize, bytes: usize, acc: usize): void {
  let c00 = i32x4.splat(0), c01 = i32x4.splat(0), c10 = i32x4.splat(0), c11 = i32x4.splat(0);
  let c20 = i32x4.splat(0), c21 = i32x4.splat(0), c30 = i32x4.splat(0), c31 = i32x4.splat(0);
  for (let i: usize = 0; i < bytes; i += 16) {
    const wp = w + (i << 1);
    const w0 = v128.load(wp), w1 = v128.load(wp, 16);
    const x0 = v128.load32_splat(a + i);
    c00 = i32x4.add(c00, i32x4.dot_i16x8_s(x0, w0));
    c01 = i32x4.add(c01, i32x4.dot_i16x8_s(x0, w1));
    const x1 = v128.load32_splat(a + i, 4);
    c10 = i32x4.add(c10, i32x4.dot_i16x8_s(x1, w0));
    c11 = i32x4.add(c11, i32x4.dot_i16x8_s(x1, w1));
    const x2 = v128.load32_splat(a + i, 8);
    c20 = i32x4.add(c20, i32x4.dot_i16x8_s(x2, w0));
    c21 = i32x4.add(c21, i32x4.dot_i16x8_s(x2, w1));
    const x3 = v128.load32_splat(a + i, 12);
    c30 = i32x4.add(c30, i32x4.dot_i16x8_s(x3, w0));
    c31 = i32x4.add(c31, i32x4.dot_i16x8_s(x3, w1));
  }
  v128.store(acc, c00); v128.store(acc, c01, 16);
  v128.store(acc, c10, 32); v128.store(acc, c11, 48);
  v128.store(acc, c20, 64); v128.store(acc, c21, 80);
  v128.store(acc, c30, 96); v128.store(acc, c31, 112);
}

// acc layout: [ξ][tile r][half h] i32x4 → byte ξ·128 + r·32 + h·16.
@inline function m(acc: usize, xi: i32): v128 {
  return v128.load(acc + <usize>(xi << 7));
}

/** (r − zr) · residualMult for the 4 (or n) channels of the residual at p. */
@inline function residual4(p: usize, n: i32, vzr: v128, vrmult: v128): v128 {
  let b: v128;
  if (n >= 4) {
    b = v128.load32_zero(p);
  } else {
    let bits: u32 = 0;
    for (let j = n - 1; j >= 0; j--) bits = (bits << 8) | <u32>load<u8>(p + <usize>j);
    b = i32x4.splat(<i32>bits);
  }
  const d = i32x4.sub(i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(b)), vzr);
  return f32x4.mul(f32x4.convert_i32x4_s(d), vrmult);
}

/** Requantizes 4 channels of one output; r: the residual at the same place, or 0 for none. */
@inline function requant(
  s: v128, bias: v128, mult: v128, lo: v128, hi: v128, offset: v128, r: usize, n: i32, vzr: v128, vrmult: v128,
): v128 {
  let f = f32x4.mul(f32x4.convert_i32x4_s(i32x4.add(i32x4.shr_s(s, 2), bias)), mult);
  if (r != 0) f = f32x4.add(f, residual4(r, n, vzr, vrmult));
  const q = requantize(f, lo, hi, offset);
  const h = i16x8.narrow_i32x4_s(q, q);
  return i8x16.narrow_i16x8_u(h, h);
}

@inline function store4(p: usize, q: v128, n: i32): void {
  if (n >= 4) {
    v128.store32_lane(p, q, 0);
    return;
  }
  let bits = i32x4.extract_lane(q, 0);
  for (let j = 0; j < n; j++) {
    store<u8>(p + <usize>j, <u8>bits);
    bits >>>= 8;
  }
}

export function qu8_qc8w_winograd_conv_f2x2_3x3_minmax_4x8c2__simd(params: usize, begin: i32, end: i32, local: usize): void {
  const p = changetype<Qu8WinogradConvParams>(params);
  const H = p.H, W = p.W, N = p.N, Cp = p.Cp, v = p.v, w = p.w, bias = p.bias, mult = p.mult;
  const zy = p.zy, y = p.y, resid = p.residual, qmin = p.qmin, qmax = p.qmax;
  const u = local, acc = local + ((<usize>Cp * 256 + 63) & ~63);
  const vzr = i32x4.splat(p.zr), vrmult = f32x4.splat(p.residualMult);
  const tw = (W + 1) >> 1, th = (H + 1) >> 1, T = tw * th;
  const groups = (T + 3) >> 2;
  const vPlane = <usize>groups * <usize>Cp * 8;
  const uPlane = <usize>Cp * 16;
  const aBytes = <usize>Cp * 8; // per group: Cp/2 pairs × 16 bytes
  const blockBytes = <usize>Cp * 72;
  const lo = f32x4.splat(<f32>(qmin - zy)), hi = f32x4.splat(<f32>(qmax - zy));
  const offset = requantizeOffset(zy);
  const rowBytes = <usize>W * <usize>N;
  const nBlocks = (N + 7) >> 3;
  for (let nb = begin, nbEnd = min(end, nBlocks); nb < nbEnd; nb++) {
    winogradWeightsSimd(w + <usize>nb * blockBytes, Cp, u, 0, Cp >> 1);
    const n0 = nb << 3;
    const b0 = v128.load(bias + (<usize>n0 << 2)), b1 = v128.load(bias + (<usize>n0 << 2), 16);
    const m0 = v128.load(mult + (<usize>n0 << 2)), m1 = v128.load(mult + (<usize>n0 << 2), 16);
    for (let g = 0; g < groups; g++) {
      const a = v + <usize>g * aBytes;
      for (let xi = 0; xi < 16; xi++) {
        microkernel(a + <usize>xi * vPlane, u + <usize>xi * uPlane, aBytes, acc + <usize>(xi << 7));
      }
      for (let r = 0; r < 4; r++) {
        const t = (g << 2) + r;
        if (t >= T) break;
        const oy = 2 * (t / tw), ox = 2 * (t % tw);
        const out = y + <usize>oy * rowBytes + <usize>(ox * N + n0);
        const right = ox + 1 < W, down = oy + 1 < H;
        for (let h = 0; h < 2; h++) {
          const nValid = N - n0 - (h << 2);
          if (nValid <= 0) break;
          const base = acc + <usize>(r * 32 + h * 16);
          // Rows of Aᵀ M (per column k): R0k = M0k + M1k + M2k, R1k = M1k − M2k − M3k.
          const r00 = i32x4.add(i32x4.add(m(base, 0), m(base, 4)), m(base, 8));
          const r01 = i32x4.add(i32x4.add(m(base, 1), m(base, 5)), m(base, 9));
          const r02 = i32x4.add(i32x4.add(m(base, 2), m(base, 6)), m(base, 10));
          const r03 = i32x4.add(i32x4.add(m(base, 3), m(base, 7)), m(base, 11));
          const r10 = i32x4.sub(i32x4.sub(m(base, 4), m(base, 8)), m(base, 12));
          const r11 = i32x4.sub(i32x4.sub(m(base, 5), m(base, 9)), m(base, 13));
          const r12 = i32x4.sub(i32x4.sub(m(base, 6), m(base, 10)), m(base, 14));
          const r13 = i32x4.sub(i32x4.sub(m(base, 7), m(base, 11)), m(base, 15));
          // Columns: Y0 = R0 + R1 + R2, Y1 = R1 − R2 − R3.
          const bb = h ? b1 : b0, mm = h ? m1 : m0;
          const o = out + <usize>(h << 2);
          // The residual at the same places as the four outputs (0: none).
          let ro: usize = 0, rN: usize = 0, rD: usize = 0, rDN: usize = 0;
          if (resid != 0) {
            ro = resid + (o - y);
            rN = ro + <usize>N;
            rD = ro + rowBytes;
            rDN = rD + <usize>N;
          }
          store4(o, requant(i32x4.add(i32x4.add(r00, r01), r02), bb, mm, lo, hi, offset, ro, nValid, vzr, vrmult), nValid);
          if (right) store4(o + <usize>N, requant(i32x4.sub(i32x4.sub(r01, r02), r03), bb, mm, lo, hi, offset, rN, nValid, vzr, vrmult), nValid);
          if (down) {
            store4(o + rowBytes, requant(i32x4.add(i32x4.add(r10, r11), r12), bb, mm, lo, hi, offset, rD, nValid, vzr, vrmult), nValid);
            if (right) store4(o + rowBytes + <usize>N, requant(i32x4.sub(i32x4.sub(r11, r12), r13), bb, mm, lo, hi, offset, rDN, nValid, vzr, vrmult), nValid);
          }
        }
      }
    }
  }
}
