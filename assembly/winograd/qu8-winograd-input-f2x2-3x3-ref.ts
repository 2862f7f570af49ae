// Scalar twin of qu8_winograd_input_f2x2_3x3__simd: same params and work units (groups of 4
// tiles). Its core also serves the SIMD kernel for channel counts that are not a multiple of 8.
import { Qu8WinogradInputParams } from '../params';

export function qu8_winograd_input_f2x2_3x3__ref(params: usize, begin: i32, end: i32, local: usize): void {
  const p = changetype<Qu8WinogradInputParams>(params);
  winogradInputRef(p.x, p.H, p.W, p.C, p.zx, p.Cp, p.v, begin, end);
}

/** Tile groups [g0, g1) of the input transform. */
export function winogradInputRef(x: usize, H: i32, W: i32, C: i32, zx: i32, Cp: i32, v: usize, g0: i32, g1: i32): void {
  const tw = (W + 1) >> 1, th = (H + 1) >> 1, T = tw * th;
  const groups = (T + 3) >> 2;
  const xiBytes = <usize>groups * <usize>Cp * 8; // one ξ plane
  for (let t = g0 << 2, tEnd = min(g1, groups) << 2; t < tEnd; t++) {
    const ty = t / tw, tx = t % tw;
    const rowBase = v + <usize>(t >> 2) * <usize>Cp * 8 + (<usize>(t & 3) << 2);
    for (let c = 0; c < Cp; c++) {
      // d: the 4×4 input tile starting at (2·ty − 1, 2·tx − 1), minus the zero point.
      let d00 = 0, d01 = 0, d02 = 0, d03 = 0, d10 = 0, d11 = 0, d12 = 0, d13 = 0;
      let d20 = 0, d21 = 0, d22 = 0, d23 = 0, d30 = 0, d31 = 0, d32 = 0, d33 = 0;
      if (t < T && c < C) {
        d00 = px(x, H, W, C, zx, 2 * ty - 1, 2 * tx - 1, c); d01 = px(x, H, W, C, zx, 2 * ty - 1, 2 * tx, c);
        d02 = px(x, H, W, C, zx, 2 * ty - 1, 2 * tx + 1, c); d03 = px(x, H, W, C, zx, 2 * ty - 1, 2 * tx + 2, c);
        d10 = px(x, H, W, C, zx, 2 * ty, 2 * tx - 1, c); d11 = px(x, H, W, C, zx, 2 * ty, 2 * tx, c);
        d12 = px(x, H, W, C, zx, 2 * ty, 2 * tx + 1, c); d13 = px(x, H, W, C, zx, 2 * ty, 2 * tx + 2, c);
        d20 = px(x, H, W, C, zx, 2 * ty + 1, 2 * tx - 1, c); d21 = px(x, H, W, C, zx, 2 * ty + 1, 2 * tx, c);
        d22 = px(x, H, W, C, zx, 2 * ty + 1, 2 * tx + 1, c); d23 = px(x, H, W, C, zx, 2 * ty + 1, 2 * tx + 2, c);
        d30 = px(x, H, W, C, zx, 2 * ty + 2, 2 * tx - 1, c); d31 = px(x, H, W, C, zx, 2 * ty + 2, 2 * tx, c);
        d32 = px(x, H, W, C, zx, 2 * ty + 2, 2 * tx + 1, c); d33 = px(x, H, W, C, zx, 2 * ty + 2, 2 * tx + 2, c);
      }
      // Rows: Bᵀ d.
      const r00 = d00 - d20, r01 = d01 - d21, r02 = d02 - d22, r03 = d03 - d23;
      const r10 = d10 + d20, r11 = d11 + d21, r12 = d12 + d22, r13 = d13 + d23;
      const r20 = d20 - d10, r21 = d21 - d11, r22 = d22 - d12, r23 = d23 - d13;
      const r30 = d10 - d30, r31 = d11 - d31, r32 = d12 - d32, r33 = d13 - d33;
      // Columns: (Bᵀ d) B, stored at ξ = 4·row + col.
      const slot = rowBase + <usize>((c >> 1) * 16 + (c & 1) * 2);
      put(slot, xiBytes, 0, r00 - r02, r01 + r02, r02 - r01, r01 - r03);
      put(slot, xiBytes, 4, r10 - r12, r11 + r12, r12 - r11, r11 - r13);
      put(slot, xiBytes, 8, r20 - r22, r21 + r22, r22 - r21, r21 - r23);
      put(slot, xiBytes, 12, r30 - r32, r31 + r32, r32 - r31, r31 - r33);
    }
  }
}

@inline function px(x: usize, H: i32, W: i32, C: i32, zx: i32, iy: i32, ix: i32, c: i32): i32 {
  return iy >= 0 && iy < H && ix >= 0 && ix < W ? <i32>load<u8>(x + <usize>((iy * W + ix) * C + c)) - zx : 0;
}

@inline function put(slot: usize, plane: usize, xi: i32, a: i32, b: i32, c: i32, d: i32): void {
  store<i16>(slot + <usize>xi * plane, <i16>a);
  store<i16>(slot + <usize>(xi + 1) * plane, <i16>b);
  store<i16>(slot + <usize>(xi + 2) * plane, <i16>c);
  store<i16>(slot + <usize>(xi + 3) * plane, <i16>d);
}
