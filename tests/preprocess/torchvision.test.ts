// preprocess() against torchvision 0.14 on real photographs (tests/fixtures/preprocess,
// written by make_reference.py). Bounds are on normalized values (after Normalize):
//   tensor / interpolate (float32 torch, antialias=True — what we implement and train with):
//     max 1e-4, mean 2e-6; measured ≤ 3.6e-5 / 6e-7, which is torch's own float32 rounding:
//   tensor64 (the same in float64): max 1e-6; measured ≤ 2.6e-7 (the f32 output rounding).
//   pil (u8 rounding after each resize pass): max 0.02, mean 0.006; measured ≤ 0.0166 /
//     0.0052. torchvision's two paths differ from each other by as much (pilVsTensor in the
//     fixture: max 0.0174, mean 0.0052): 0.25 u8 level mean rounding error / 255 / std ≈ 0.0045,
//     so the mean can't go below ~0.004 without copying PIL's integer arithmetic, which
//     resizeMode 'pil' does: it equals this path bit for bit (pil-exact.test.ts). The specs
//     here have no resizeMode, so these cases measure the default float mode.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { preprocess } from '../../ts-sdk/preprocess/index.ts';
import { decodeSamples, photo, reference, type RefCase } from './reference.ts';

const BOUNDS: Record<RefCase['path'], { max: number; mean: number }> = {
  tensor: { max: 1e-4, mean: 2e-6 },
  interpolate: { max: 1e-4, mean: 2e-6 },
  tensor64: { max: 1e-6, mean: 2e-7 },
  pil: { max: 0.02, mean: 0.006 },
};

for (const c of reference.cases) {
  const spec = reference.specs[c.spec];
  test(`${c.photo} ${c.spec} vs torchvision ${c.path} path`, () => {
    const t = preprocess(photo(c.photo), spec);
    const [C, H, W] = c.shape;
    assert.is(t.length, C * H * W);
    const hw = H * W;
    const ref = decodeSamples(c);
    const perPlane = ref.length / c.sampledPlanes;
    let max = 0;
    let sum = 0;
    let at = '';
    for (let p = 0; p < c.sampledPlanes; p++) {
      for (let i = 0; i < perPlane; i++) {
        const k = i * c.sampleStride;
        const d = Math.abs(t[p * hw + k] - ref[p * perPlane + i]);
        sum += d;
        if (d > max)
          [max, at] = [d, `channel ${p} y ${Math.floor(k / W)} x ${k % W}: expected ${ref[p * perPlane + i]}, got ${t[p * hw + k]}`];
      }
    }
    const mean = sum / ref.length;
    const b = BOUNDS[c.path];
    assert.ok(max <= b.max, `max |Δ| ${max.toExponential(2)} > ${b.max} at ${at}`);
    assert.ok(mean <= b.mean, `mean |Δ| ${mean.toExponential(2)} > ${b.mean}`);
    // Whole-tensor statistics catch what sparse samples could miss (a shifted row, an edge).
    for (let ch = 0; ch < C; ch++) {
      let s = 0;
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = ch * hw; i < (ch + 1) * hw; i++) {
        s += t[i];
        lo = Math.min(lo, t[i]);
        hi = Math.max(hi, t[i]);
      }
      const meanTol = c.path === 'pil' ? 1e-3 : 1e-5;
      assert.ok(Math.abs(s / hw - c.stats.mean[ch]) <= meanTol, `channel ${ch} mean ${s / hw} vs ${c.stats.mean[ch]}`);
      assert.ok(
        Math.abs(lo - c.stats.min[ch]) <= b.max && Math.abs(hi - c.stats.max[ch]) <= b.max,
        `channel ${ch} range [${lo}, ${hi}] vs [${c.stats.min[ch]}, ${c.stats.max[ch]}]`,
      );
    }
  });
}

test('the fixture covers what we claim: every path, a downscale, a portrait, gray', () => {
  const paths = new Set(reference.cases.map((c) => c.path));
  for (const p of ['pil', 'tensor', 'tensor64', 'interpolate'] as const) assert.ok(paths.has(p), p);
  const sizes = reference.cases.map((c) => photo(c.photo)).map((p) => [p.width, p.height]);
  assert.ok(
    sizes.some(([w, h]) => h > w),
    'a portrait photo',
  );
  assert.ok(
    sizes.some(([w, h]) => Math.min(w, h) > 256),
    'a photo Resize(256) downscales',
  );
  assert.ok(
    reference.cases.some((c) => reference.specs[c.spec].color === 'gray-replicate' && photo(c.photo).channels === 3),
    'RGB → gray',
  );
});

test.run();
