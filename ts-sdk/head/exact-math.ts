// exp and log from IEEE-754 additions, multiplications and divisions only, so a trained head is
// the same bytes in every engine. Math.exp and Math.log are "implementation-approximated" by
// the ECMAScript spec: V8 and SpiderMonkey use fdlibm ports, JavaScriptCore (Bun, Safari) the
// system libm, and their last bits differ on some inputs — enough to change an optimizer's
// path. The algorithms are fdlibm's (Sun, 1993; public domain): argument reduction by ln 2, a
// minimax polynomial, exact scaling by a power of two built from its bits; error < 1 ulp.

const LN2_HI = 0.6931471803691238; // ln 2's top 32 bits: k · LN2_HI is exact for |k| < 2^20
const LN2_LO = 1.9082149292705877e-10;
const INV_LN2 = Math.LOG2E; // 1/ln 2 (a constant, not an approximated function)
// exp's polynomial (fdlibm P1–P5) and log's (fdlibm Lg1–Lg7).
const P1 = 0.16666666666666602,
  P2 = -0.0027777777777015593,
  P3 = 6.613756321437934e-5;
const P4 = -1.6533902205465252e-6,
  P5 = 4.1381367970572385e-8;
const LG1 = 0.6666666666666735,
  LG2 = 0.3999999999940942,
  LG3 = 0.2857142874366239,
  LG4 = 0.22222198432149784;
const LG5 = 0.1818357216161805,
  LG6 = 0.15313837699209373,
  LG7 = 0.14798198605116586;

const bits = new DataView(new ArrayBuffer(8));

/** 2^k for an integer k in [−1022, 1023], from its bit pattern (Math.pow is approximated too). */
function pow2(k: number): number {
  bits.setUint32(0, (k + 1023) << 20);
  bits.setUint32(4, 0);
  return bits.getFloat64(0);
}

/** e^x, the same bits in every engine. */
export function exp(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x > 709.782712893384) return Infinity;
  if (x < -745.1332191019411) return 0;
  if (Math.abs(x) < 3.725290298461914e-9) return 1 + x; // |x| < 2^-28: e^x rounds to 1 + x
  const k = Math.round(x * INV_LN2);
  const hi = x - k * LN2_HI;
  const lo = k * LN2_LO;
  const r = hi - lo;
  const t = r * r;
  const c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  const y = 1 - (lo - (r * c) / (2 - c) - hi);
  // y ∈ [0.7, 1.5); k ∈ [−1075, 1024]: split the scaling where 2^k alone is not a normal number.
  if (k > 1023) return y * pow2(1023) * 2;
  if (k < -1022) return y * pow2(k + 1000) * pow2(-1000);
  return y * pow2(k);
}

/** Natural logarithm, the same bits in every engine. */
export function log(x: number): number {
  if (!(x > 0)) return x === 0 ? -Infinity : NaN;
  if (x === Infinity) return x;
  let k = 0;
  if (x < 2.2250738585072014e-308) {
    x *= 18014398509481984; // 2^54: a subnormal becomes normal
    k = -54;
  }
  bits.setFloat64(0, x);
  const hx = bits.getUint32(0);
  k += (hx >>> 20) - 1023;
  // Mantissa m ∈ [√2/2, √2): when the mantissa bits exceed √2's, halve m and raise k.
  const mant = hx & 0x000fffff;
  const i = (mant + 0x95f64) & 0x100000;
  bits.setUint32(0, mant | (i ^ 0x3ff00000));
  k += i >>> 20;
  const f = bits.getFloat64(0) - 1;
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const r = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7))) + w * (LG2 + w * (LG4 + w * LG6));
  const hfsq = 0.5 * f * f;
  return k * LN2_HI - (hfsq - (s * (hfsq + r) + k * LN2_LO) - f);
}
