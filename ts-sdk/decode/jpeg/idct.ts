// Inverse DCTs, integer and bit-exact with libjpeg-turbo's (and so with PIL and browsers that
// use it): jpeg_idct_islow (jidctint.c) for 8×8 output, and the reduced-size jpeg_idct_4x4,
// 2x2 and 1x1 (jidctred.c) that decode a block straight to 4×4, 2×2 or 1×1 pixels — libjpeg's
// DCT scaling, which makes a 1/2, 1/4 or 1/8 scale image without a full-size buffer. Same
// constants, same operation order, same rounding; intermediates stay in int32, as libjpeg's
// own 32-bit builds assume for 8-bit data. Coefficients are in natural (row-major) order and
// dequantized here (`q`), as libjpeg does.

const CONST_BITS = 13;
const PASS1_BITS = 2;
/** libjpeg's FIX(x): x in 13-bit fixed point, rounded. */
const fix = (x: number): number => Math.round(x * (1 << CONST_BITS));
const F_0_211 = fix(0.211164243),
  F_0_298 = fix(0.298631336),
  F_0_390 = fix(0.390180644),
  F_0_509 = fix(0.509795579);
const F_0_541 = fix(0.5411961),
  F_0_601 = fix(0.601344887),
  F_0_720 = fix(0.720959822),
  F_0_765 = fix(0.765366865);
const F_0_850 = fix(0.850430095),
  F_0_899 = fix(0.899976223),
  F_1_061 = fix(1.061594337),
  F_1_175 = fix(1.175875602);
const F_1_272 = fix(1.27275858),
  F_1_451 = fix(1.451774981),
  F_1_501 = fix(1.50132111),
  F_1_847 = fix(1.847759065);
const F_1_961 = fix(1.96157056),
  F_2_053 = fix(2.053119869),
  F_2_172 = fix(2.172734803),
  F_2_562 = fix(2.562915447);
const F_3_072 = fix(3.072711026),
  F_3_624 = fix(3.624509785);

/**
 * libjpeg's post-IDCT range limit: index (x & 1023) for a centred result x; [−128, 127] maps
 * to [0, 255], values beyond saturate, and (as in libjpeg) wildly corrupt ones wrap harmlessly.
 */
const LIMIT = (() => {
  const t = new Uint8Array(1024);
  for (let i = 0; i < 1024; i++) t[i] = i < 128 ? i + 128 : i < 512 ? 255 : i < 896 ? 0 : i - 896;
  return t;
})();

const descale = (x: number, n: number): number => (x + (1 << (n - 1))) >> n;

export type Idct = (c: Int16Array, co: number, q: Uint16Array, out: Uint8Array, oo: number, stride: number, ws: Int32Array) => void;

/** jpeg_idct_islow: 8×8 pixels. */
export const idct8: Idct = (c, co, q, out, oo, stride, ws) => {
  for (let col = 0; col < 8; col++) {
    const i = co + col;
    if (!(c[i + 8] | c[i + 16] | c[i + 24] | c[i + 32] | c[i + 40] | c[i + 48] | c[i + 56])) {
      const dc = (c[i] * q[col]) << PASS1_BITS;
      for (let r = 0; r < 64; r += 8) ws[col + r] = dc;
      continue;
    }
    let z2 = c[i + 16] * q[col + 16];
    let z3 = c[i + 48] * q[col + 48];
    const z1 = (z2 + z3) * F_0_541;
    let tmp2 = z1 - z3 * F_1_847;
    let tmp3 = z1 + z2 * F_0_765;
    z2 = c[i] * q[col];
    z3 = c[i + 32] * q[col + 32];
    let tmp0 = (z2 + z3) << CONST_BITS;
    let tmp1 = (z2 - z3) << CONST_BITS;
    const tmp10 = tmp0 + tmp3,
      tmp13 = tmp0 - tmp3,
      tmp11 = tmp1 + tmp2,
      tmp12 = tmp1 - tmp2;
    tmp0 = c[i + 56] * q[col + 56];
    tmp1 = c[i + 40] * q[col + 40];
    tmp2 = c[i + 24] * q[col + 24];
    tmp3 = c[i + 8] * q[col + 8];
    [tmp0, tmp1, tmp2, tmp3] = odd8(tmp0, tmp1, tmp2, tmp3);
    const n = CONST_BITS - PASS1_BITS;
    ws[col] = descale(tmp10 + tmp3, n);
    ws[col + 56] = descale(tmp10 - tmp3, n);
    ws[col + 8] = descale(tmp11 + tmp2, n);
    ws[col + 48] = descale(tmp11 - tmp2, n);
    ws[col + 16] = descale(tmp12 + tmp1, n);
    ws[col + 40] = descale(tmp12 - tmp1, n);
    ws[col + 24] = descale(tmp13 + tmp0, n);
    ws[col + 32] = descale(tmp13 - tmp0, n);
  }
  for (let row = 0; row < 8; row++) {
    const w = row * 8;
    const o = oo + row * stride;
    if (!(ws[w + 1] | ws[w + 2] | ws[w + 3] | ws[w + 4] | ws[w + 5] | ws[w + 6] | ws[w + 7])) {
      out.fill(LIMIT[descale(ws[w], PASS1_BITS + 3) & 1023], o, o + 8);
      continue;
    }
    const z2 = ws[w + 2];
    const z3 = ws[w + 6];
    const z1 = (z2 + z3) * F_0_541;
    const tmp2 = z1 - z3 * F_1_847;
    const tmp3 = z1 + z2 * F_0_765;
    const tmp0 = (ws[w] + ws[w + 4]) << CONST_BITS;
    const tmp1 = (ws[w] - ws[w + 4]) << CONST_BITS;
    const tmp10 = tmp0 + tmp3,
      tmp13 = tmp0 - tmp3,
      tmp11 = tmp1 + tmp2,
      tmp12 = tmp1 - tmp2;
    const [o0, o1, o2, o3] = odd8(ws[w + 7], ws[w + 5], ws[w + 3], ws[w + 1]);
    const n = CONST_BITS + PASS1_BITS + 3;
    out[o] = LIMIT[descale(tmp10 + o3, n) & 1023];
    out[o + 7] = LIMIT[descale(tmp10 - o3, n) & 1023];
    out[o + 1] = LIMIT[descale(tmp11 + o2, n) & 1023];
    out[o + 6] = LIMIT[descale(tmp11 - o2, n) & 1023];
    out[o + 2] = LIMIT[descale(tmp12 + o1, n) & 1023];
    out[o + 5] = LIMIT[descale(tmp12 - o1, n) & 1023];
    out[o + 3] = LIMIT[descale(tmp13 + o0, n) & 1023];
    out[o + 4] = LIMIT[descale(tmp13 - o0, n) & 1023];
  }
};

/** The odd part of islow (libjpeg's figure 8), from y7, y5, y3, y1. */
function odd8(t0: number, t1: number, t2: number, t3: number): [number, number, number, number] {
  let z1 = t0 + t3;
  let z2 = t1 + t2;
  let z3 = t0 + t2;
  let z4 = t1 + t3;
  const z5 = (z3 + z4) * F_1_175;
  t0 *= F_0_298;
  t1 *= F_2_053;
  t2 *= F_3_072;
  t3 *= F_1_501;
  z1 *= -F_0_899;
  z2 *= -F_2_562;
  z3 = z3 * -F_1_961 + z5;
  z4 = z4 * -F_0_390 + z5;
  return [t0 + z1 + z3, t1 + z2 + z4, t2 + z2 + z3, t3 + z1 + z4];
}

/** jpeg_idct_4x4: 4×4 pixels (column and row 4 do not contribute). */
export const idct4: Idct = (c, co, q, out, oo, stride, ws) => {
  for (let col = 0; col < 8; col++) {
    if (col === 4) continue;
    const i = co + col;
    if (!(c[i + 8] | c[i + 16] | c[i + 24] | c[i + 40] | c[i + 48] | c[i + 56])) {
      const dc = (c[i] * q[col]) << PASS1_BITS;
      for (let r = 0; r < 32; r += 8) ws[col + r] = dc;
      continue;
    }
    const tmp0 = (c[i] * q[col]) << (CONST_BITS + 1);
    const tmp2 = c[i + 16] * q[col + 16] * F_1_847 - c[i + 48] * q[col + 48] * F_0_765;
    const tmp10 = tmp0 + tmp2,
      tmp12 = tmp0 - tmp2;
    const [a, b] = odd4(c[i + 56] * q[col + 56], c[i + 40] * q[col + 40], c[i + 24] * q[col + 24], c[i + 8] * q[col + 8]);
    const n = CONST_BITS - PASS1_BITS + 1;
    ws[col] = descale(tmp10 + b, n);
    ws[col + 24] = descale(tmp10 - b, n);
    ws[col + 8] = descale(tmp12 + a, n);
    ws[col + 16] = descale(tmp12 - a, n);
  }
  for (let row = 0; row < 4; row++) {
    const w = row * 8;
    const o = oo + row * stride;
    if (!(ws[w + 1] | ws[w + 2] | ws[w + 3] | ws[w + 5] | ws[w + 6] | ws[w + 7])) {
      out.fill(LIMIT[descale(ws[w], PASS1_BITS + 3) & 1023], o, o + 4);
      continue;
    }
    const tmp0 = ws[w] << (CONST_BITS + 1);
    const tmp2 = ws[w + 2] * F_1_847 - ws[w + 6] * F_0_765;
    const tmp10 = tmp0 + tmp2,
      tmp12 = tmp0 - tmp2;
    const [a, b] = odd4(ws[w + 7], ws[w + 5], ws[w + 3], ws[w + 1]);
    const n = CONST_BITS + PASS1_BITS + 3 + 1;
    out[o] = LIMIT[descale(tmp10 + b, n) & 1023];
    out[o + 3] = LIMIT[descale(tmp10 - b, n) & 1023];
    out[o + 1] = LIMIT[descale(tmp12 + a, n) & 1023];
    out[o + 2] = LIMIT[descale(tmp12 - a, n) & 1023];
  }
};

/** The odd part of the 4×4 IDCT, from z1 = y7, z2 = y5, z3 = y3, z4 = y1. */
function odd4(z1: number, z2: number, z3: number, z4: number): [number, number] {
  return [z1 * -F_0_211 + z2 * F_1_451 + z3 * -F_2_172 + z4 * F_1_061, z1 * -F_0_509 + z2 * -F_0_601 + z3 * F_0_899 + z4 * F_2_562];
}

/** jpeg_idct_2x2: 2×2 pixels (only columns and rows 0, 1, 3, 5, 7 contribute). */
export const idct2: Idct = (c, co, q, out, oo, stride, ws) => {
  for (let col = 0; col < 8; col++) {
    if (col === 2 || col === 4 || col === 6) continue;
    const i = co + col;
    if (!(c[i + 8] | c[i + 24] | c[i + 40] | c[i + 56])) {
      const dc = (c[i] * q[col]) << PASS1_BITS;
      ws[col] = dc;
      ws[col + 8] = dc;
      continue;
    }
    const tmp10 = (c[i] * q[col]) << (CONST_BITS + 2);
    const tmp0 = odd2(c[i + 56] * q[col + 56], c[i + 40] * q[col + 40], c[i + 24] * q[col + 24], c[i + 8] * q[col + 8]);
    const n = CONST_BITS - PASS1_BITS + 2;
    ws[col] = descale(tmp10 + tmp0, n);
    ws[col + 8] = descale(tmp10 - tmp0, n);
  }
  for (let row = 0; row < 2; row++) {
    const w = row * 8;
    const o = oo + row * stride;
    if (!(ws[w + 1] | ws[w + 3] | ws[w + 5] | ws[w + 7])) {
      out.fill(LIMIT[descale(ws[w], PASS1_BITS + 3) & 1023], o, o + 2);
      continue;
    }
    const tmp10 = ws[w] << (CONST_BITS + 2);
    const tmp0 = odd2(ws[w + 7], ws[w + 5], ws[w + 3], ws[w + 1]);
    const n = CONST_BITS + PASS1_BITS + 3 + 2;
    out[o] = LIMIT[descale(tmp10 + tmp0, n) & 1023];
    out[o + 1] = LIMIT[descale(tmp10 - tmp0, n) & 1023];
  }
};

const odd2 = (y7: number, y5: number, y3: number, y1: number): number => y7 * -F_0_720 + y5 * F_0_850 + y3 * -F_1_272 + y1 * F_3_624;

/** jpeg_idct_1x1: the block's mean. */
export const idct1: Idct = (c, co, q, out, oo) => {
  out[oo] = LIMIT[descale(c[co] * q[0], 3) & 1023];
};

/** The IDCT producing `size`×`size` pixels a block (8, 4, 2 or 1). */
export const IDCT: Record<number, Idct> = { 8: idct8, 4: idct4, 2: idct2, 1: idct1 };
