// Cosine similarity of two logit vectors: how the tests and benchmarks compare engines' outputs
// (the converter keeps its own copy in weights/convert/calibration-check.ts: product code does
// not import tests).
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0,
    aa = 0,
    bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
}
