// qu8_winograd_input_f2x2_3x3__simd: u8 NHWC activations → V = Bᵀ (x − zx) B per 4×4 tile.
//
// Params: Qu8WinogradInputParams. Work unit: a group of 4 tiles (one 4c2 row group of V).
// Memory contract
//   x: H×W×C u8 (zero point zx), the input of a 3×3 stride-1 pad-1 convolution.
//   v: [16][ceil(T/4)][Cp/2][4][2] i16, T = ceil(H/2)·ceil(W/2) tiles, Cp = C rounded up to even
//      (the 4c2 GEMM layout per tile position ξ). Tiles past T are written as zeros.
//   Writes only inside v; reads only inside x. C not a multiple of 8 takes the scalar twin.
// Each tile is transformed 8 channels at a time (i16x8 lanes = channels); each result vector
// holds 4 channel pairs, stored to their pair slots (16 bytes apart).
import { Qu8WinogradInputParams } from '../params';
import { winogradInputRef } from './qu8-winograd-input-f2x2-3x3-ref';

@inline function ld(x: usize, H: i32, W: i32, C: i32, vz: v128, iy: i32, ix: i32, c: i32): v128 {
  if (iy < 0 || iy >= H || ix < 0 || ix >= W) return i16x8.splat(0);
  return i16x8.sub(v128.load8x8_u(x + <usize>((iy * W + ix) * C + c)), vz);
}

@inline function st(slot: usize, v: v128): void {
  v128.store32_lane(slot, v, 0);
  v128.store32_lane(slot, v, 1, 16);
  v128.store32_lane(slot, v, 2, 32);
  v128.store32_lane(slot, v, 3, 48);
}

@inline function row(slot: usize, plane: usize, xi: i32, r0: v128, r1: v128, r2: v128, r3: v128): void {
  st(slot + <usize>xi * plane, i16x8.sub(r0, r2));
  st(slot + <usize>(xi + 1) * plane, i16x8.add(r1, r2));
  st(slot + <usize>(xi + 2) * plane, i16x8.sub(r2, r1));
  st(slot + <usize>(xi + 3) * plane, i16x8.sub(r1, r3));
}

export function qu8_winograd_input_f2x2_3x3__simd(params: usize, begin: i32, end: i32, local: usize): void {
  const p = changetype<Qu8WinogradInputParams>(params);
  const x = p.x, H = p.H, W = p.W, C = p.C, zx = p.zx, Cp = p.Cp, v = p.v;
  if (C & 7) {
    winogradInputRef(x, H, W, C, zx, Cp, v, begin, end);
    return;
  }
  const tw = (W + 1) >> 1, th = (H + 1) >> 1, T = tw * th;
  const groups = (T + 3) >> 2;
  const plane = <usize>groups * <usize>Cp * 8;
  const vz = i16x8.splat(<i16>zx);
  const zero = i16x8.splat(0);
  for (let t = begin << 2, tEnd = min(end, groups) << 2; t < tEnd; t++) {
    const tileBase = v + <usize>(t >> 2) * <usize>Cp * 8 + (<usize>(t & 3) << 2);
    if (t >= T) {
      for (let c = 0; c < Cp; c += 8) {
        const slot = tileBase + <usize>(c << 3);
        for (let xi = 0; xi < 16; xi++) st(slot + <usize>xi * plane, zero);
      }
      continue;
    }
    const y0 = 2 * (t / tw) - 1, x0 = 2 * (t % tw) - 1;
    for (let c = 0; c < C; c += 8) {
      const slot = tileBase + <usize>(c << 3); // pair c/2 at 16 bytes per pair
      // Rows of Bᵀ d, one input column at a time.
      let a = ld(x, H, W, C, vz, y0, x0, c), b = ld(x, H, W, C, vz, y0 + 1, x0, c);
      let cc = ld(x, H, W, C, vz, y0 + 2, x0, c), d = ld(x, H, W, C, vz, y0 + 3, x0, c);
      const r00 = i16x8.sub(a, cc), r10 = i16x8.add(b, cc), r20 = i16x8.sub(cc, b), r30 = i16x8.sub(b, d);
      a = ld(x, H, W, C, vz, y0, x0 + 1, c); b = ld(x, H, W, C, vz, y0 + 1, x0 + 1, c);
      cc = ld(x, H, W, C, vz, y0 + 2, x0 + 1, c); d = ld(x, H, W, C, vz, y0 + 3, x0 + 1, c);
      const r01 = i16x8.sub(a, cc), r11 = i16x8.add(b, cc), r21 = i16x8.sub(cc, b), r31 = i16x8.sub(b, d);
      a = ld(x, H, W, C, vz, y0, x0 + 2, c); b = ld(x, H, W, C, vz, y0 + 1, x0 + 2, c);
      cc = ld(x, H, W, C, vz, y0 + 2, x0 + 2, c); d = ld(x, H, W, C, vz, y0 + 3, x0 + 2, c);
      const r02 = i16x8.sub(a, cc), r12 = i16x8.add(b, cc), r22 = i16x8.sub(cc, b), r32 = i16x8.sub(b, d);
      a = ld(x, H, W, C, vz, y0, x0 + 3, c); b = ld(x, H, W, C, vz, y0 + 1, x0 + 3, c);
      cc = ld(x, H, W, C, vz, y0 + 2, x0 + 3, c); d = ld(x, H, W, C, vz, y0 + 3, x0 + 3, c);
      const r03 = i16x8.sub(a, cc), r13 = i16x8.add(b, cc), r23 = i16x8.sub(cc, b), r33 = i16x8.sub(b, d);
      // Columns: (Bᵀ d) B, ξ = 4·row + col.
      row(slot, plane, 0, r00, r01, r02, r03);
      row(slot, plane, 4, r10, r11, r12, r13);
      row(slot, plane, 8, r20, r21, r22, r23);
      row(slot, plane, 12, r30, r31, r32, r33);
    }
  }
}
