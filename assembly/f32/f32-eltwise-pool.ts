// fp32 residual add and pools: __ref scalar twins and __simd variants with identical
// per-element arithmetic (same operation order), so they agree bit for bit.

// y = clamp(a + b, lo, hi). Memory: n f32 each; y may alias a or b.
export function f32_vadd_minmax__ref(n: i32, a: usize, b: usize, lo: f32, hi: f32, y: usize): void {
  for (let i = 0; i < n; i++) {
    const p = <usize>i << 2;
    store<f32>(y + p, min<f32>(max<f32>(load<f32>(a + p) + load<f32>(b + p), lo), hi));
  }
}

export function f32_vadd_minmax__simd(n: i32, a: usize, b: usize, lo: f32, hi: f32, y: usize): void {
  const vlo = f32x4.splat(lo), vhi = f32x4.splat(hi);
  const body = n & ~3;
  for (let i = 0; i < body; i += 4) {
    const p = <usize>i << 2;
    v128.store(y + p, f32x4.pmin(f32x4.pmax(f32x4.add(v128.load(a + p), v128.load(b + p)), vlo), vhi));
  }
  if (body < n) f32_vadd_minmax__ref(n - body, a + (<usize>body << 2), b + (<usize>body << 2), lo, hi, y + (<usize>body << 2));
}

// Max pool over f32 NHWC; padding taps are skipped. An all-padding window cannot occur for
// pad < K (validated by the caller).
export function f32_maxpool__ref(
  x: usize, H: i32, W: i32, C: i32, K: i32, stride: i32, pad: i32, OH: i32, OW: i32, y: usize,
): void {
  for (let oy = 0; oy < OH; oy++) {
    const y0 = max(oy * stride - pad, 0), y1 = min(oy * stride - pad + K, H);
    for (let ox = 0; ox < OW; ox++) {
      const x0 = max(ox * stride - pad, 0), x1 = min(ox * stride - pad + K, W);
      for (let c = 0; c < C; c++) {
        let m: f32 = -Infinity;
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) {
            const v = load<f32>(x + (<usize>((iy * W + ix) * C + c) << 2));
            m = v > m ? v : m;
          }
        }
        store<f32>(y + (<usize>((oy * OW + ox) * C + c) << 2), m);
      }
    }
  }
}

export function f32_maxpool__simd(
  x: usize, H: i32, W: i32, C: i32, K: i32, stride: i32, pad: i32, OH: i32, OW: i32, y: usize,
): void {
  const body = C & ~3;
  for (let oy = 0; oy < OH; oy++) {
    const y0 = max(oy * stride - pad, 0), y1 = min(oy * stride - pad + K, H);
    for (let ox = 0; ox < OW; ox++) {
      const x0 = max(ox * stride - pad, 0), x1 = min(ox * stride - pad + K, W);
      const dst = y + (<usize>((oy * OW + ox) * C) << 2);
      for (let c = 0; c < body; c += 4) {
        let m = f32x4.splat(-Infinity);
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) {
            m = f32x4.pmax(m, v128.load(x + (<usize>((iy * W + ix) * C + c) << 2)));
          }
        }
        v128.store(dst + (<usize>c << 2), m);
      }
      for (let c = body; c < C; c++) {
        let m: f32 = -Infinity;
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) {
            const v = load<f32>(x + (<usize>((iy * W + ix) * C + c) << 2));
            m = v > m ? v : m;
          }
        }
        store<f32>(dst + (<usize>c << 2), m);
      }
    }
  }
}

// Global average pool: y[c] = (Σ_p x[p][c], summed in p order) · inv, inv = 1/HW as f32.
export function f32_gavgpool__ref(x: usize, HW: i32, C: i32, inv: f32, y: usize): void {
  for (let c = 0; c < C; c++) {
    let s: f32 = 0;
    for (let p = 0; p < HW; p++) s += load<f32>(x + (<usize>(p * C + c) << 2));
    store<f32>(y + (<usize>c << 2), s * inv);
  }
}

export function f32_gavgpool__simd(x: usize, HW: i32, C: i32, inv: f32, y: usize): void {
  const body = C & ~3;
  const vinv = f32x4.splat(inv);
  for (let c = 0; c < body; c += 4) {
    let s = f32x4.splat(0);
    for (let p = 0; p < HW; p++) s = f32x4.add(s, v128.load(x + (<usize>(p * C + c) << 2)));
    v128.store(y + (<usize>c << 2), f32x4.mul(s, vinv));
  }
  for (let c = body; c < C; c++) {
    let s: f32 = 0;
    for (let p = 0; p < HW; p++) s += load<f32>(x + (<usize>(p * C + c) << 2));
    store<f32>(y + (<usize>c << 2), s * inv);
  }
}
