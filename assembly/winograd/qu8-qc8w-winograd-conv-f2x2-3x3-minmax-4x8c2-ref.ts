// Scalar twin of qu8_qc8w_winograd_conv_f2x2_3x3_minmax_4x8c2__simd: same params, work units
// and local scratch contract, scalar loops.
import { Qu8WinogradConvParams } from '../params';
import { winogradWeightsRef } from './qc8w-winograd-weights-f2x2-3x3-ref';

export function qu8_qc8w_winograd_conv_f2x2_3x3_minmax_4x8c2__ref(params: usize, begin: i32, end: i32, local: usize): void {
  const p = changetype<Qu8WinogradConvParams>(params);
  const H = p.H, W = p.W, N = p.N, Cp = p.Cp, v = p.v, w = p.w, bias = p.bias, mult = p.mult;
  const zy = p.zy, y = p.y, resid = p.residual, zr = p.zr, rmult = p.residualMult;
  const u = local, acc = local + ((<usize>Cp * 256 + 63) & ~63);
  const tw = (W + 1) >> 1, th = (H + 1) >> 1, T = tw * th;
  const groups = (T + 3) >> 2;
  const vPlane = <usize>groups * <usize>Cp * 8;
  const uPlane = <usize>Cp * 16;
  const blockBytes = <usize>Cp * 9 * 8; // 9·Cp/2 pairs × 16 bytes
  const lo = <f32>(p.qmin - zy), hi = <f32>(p.qmax - zy);
  const nBlocks = (N + 7) >> 3;
  for (let nb = begin, nbEnd = min(end, nBlocks); nb < nbEnd; nb++) {
    winogradWeightsRef(w + <usize>nb * blockBytes, Cp, u, 0, Cp >> 1);
    for (let t = 0; t < T; t++) {
      const g = t >> 2, r = t & 3;
      for (let j = 0; j < 8; j++) {
        const n = (nb << 3) + j;
        // M_ξ for tile t, channel n.
        for (let xi = 0; xi < 16; xi++) {
          let s: i32 = 0;
          for (let c = 0; c < Cp; c++) {
            const vv = <i32>load<i16>(v + <usize>xi * vPlane + <usize>g * <usize>Cp * 8 + <usize>((c >> 1) * 16 + r * 4 + (c & 1) * 2));
            const uu = <i32>load<i16>(u + <usize>xi * uPlane + <usize>((c >> 1) * 32 + j * 4 + (c & 1) * 2));
            s += vv * uu;
          }
          store<i32>(acc + (<usize>xi << 2), s);
        }
        if (n >= N) continue;
        // Y = Aᵀ M A; Y / 4 is the direct convolution's accumulator.
        for (let dy = 0; dy < 2; dy++) {
          for (let dx = 0; dx < 2; dx++) {
            const oy = 2 * (t / tw) + dy, ox = 2 * (t % tw) + dx;
            if (oy >= H || ox >= W) continue;
            let s: i32 = 0;
            for (let i = 0; i < 4; i++) {
              const ai = dy == 0 ? (i < 3 ? 1 : 0) : (i == 0 ? 0 : i == 1 ? 1 : -1);
              for (let k = 0; k < 4; k++) {
                const ak = dx == 0 ? (k < 3 ? 1 : 0) : (k == 0 ? 0 : k == 1 ? 1 : -1);
                s += ai * ak * load<i32>(acc + (<usize>(i * 4 + k) << 2));
              }
            }
            let f = <f32>((s >> 2) + load<i32>(bias + (<usize>n << 2))) * load<f32>(mult + (<usize>n << 2));
            if (resid != 0) f = f + <f32>(<i32>load<u8>(resid + <usize>((oy * W + ox) * N + n)) - zr) * rmult;
            f = min<f32>(max<f32>(nearest<f32>(f), lo), hi);
            store<u8>(y + <usize>((oy * W + ox) * N + n), <u8>(<i32>f + zy));
          }
        }
      }
    }
  }
}
