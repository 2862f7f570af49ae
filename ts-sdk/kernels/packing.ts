// Weight packing: from the logical layouts the converter produces into exactly the
// layouts the GEMM kernels stream (docs/ARCHITECTURE.md, "Weight layouts").
// Run once at convert time; the runtime never repacks.

/** Output channels per packed block (the GEMM's NR). */
export const NR = 8;

export const roundUp = (x: number, m: number): number => Math.ceil(x / m) * m;

/**
 * int8 "8c2" layout for the i16 dot-product GEMM.
 * In:  w[n][k], n < N, k < K (row-major; for a conv k runs over (ky, kx, c), i.e. OHWI).
 * Out: [ceil(N/8)][ceil(K/2)][8][2] int8; channel and k padding are zeros.
 */
export function packQ8Weights(w: Int8Array, N: number, K: number): Int8Array {
  if (w.length !== N * K) throw new RangeError(`packQ8Weights: expected ${N}×${K}=${N * K} weights, got ${w.length}`);
  const Np = roundUp(N, NR);
  const Kp = roundUp(K, 2);
  const out = new Int8Array(Np * Kp);
  let o = 0;
  for (let nb = 0; nb < Np; nb += NR) {
    for (let k = 0; k < Kp; k += 2) {
      for (let j = 0; j < NR; j++) {
        const n = nb + j;
        out[o++] = n < N && k < K ? w[n * K + k] : 0;
        out[o++] = n < N && k + 1 < K ? w[n * K + k + 1] : 0;
      }
    }
  }
  return out;
}

/**
 * fp32 "8" layout for the f32 GEMM.
 * In:  w[n][k] as above. Out: [ceil(N/8)][K][8] f32; channel padding is zeros.
 */
export function packF32Weights(w: Float32Array, N: number, K: number): Float32Array {
  if (w.length !== N * K) throw new RangeError(`packF32Weights: expected ${N}×${K}=${N * K} weights, got ${w.length}`);
  const Np = roundUp(N, NR);
  const out = new Float32Array(Np * K);
  let o = 0;
  for (let nb = 0; nb < Np; nb += NR) {
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < NR; j++) {
        const n = nb + j;
        out[o++] = n < N ? w[n * K + k] : 0;
      }
    }
  }
  return out;
}

/** Element counts of the packed layouts (int8: bytes; fp32: floats), for validating a pack before anything reaches wasm. */
export const packedQ8Length = (N: number, K: number): number => roundUp(N, NR) * roundUp(K, 2);
export const packedF32Length = (N: number, K: number): number => roundUp(N, NR) * K;
