// BN folding is exact: w' = w·γ/√(σ²+ε), b' = β − μ·γ/√(σ²+ε) + b·γ/√(σ²+ε), computed in
// f64 and rounded to f32 once, and laid out OIHW → OHWI.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { convertOnnx, parseOnnx, runReference } from '../../weights/convert/index.ts';
import { randomImages } from '../fixtures/random-images.ts';
import { miniOnnx } from './mini-graphs.ts';
import { convertedModel, fixture, ortLogits, relErr } from './shared.ts';

/** Expected folded OHWI weights and bias from the ONNX initializers, f64 then one f32 rounding. */
function expectFold(
  inits: Map<string, { data: ArrayLike<number>; dims: number[] }>,
  conv: string,
  bn: string,
  eps: number,
  convBias?: string,
) {
  const w = inits.get(`${conv}.weight`)!;
  const [O, I, H, W] = w.dims;
  const [g, beta, mu, v] = ['weight', 'bias', 'running_mean', 'running_var'].map((k) => inits.get(`${bn}.${k}`)!.data);
  const b0 = convBias ? inits.get(convBias)!.data : undefined;
  const wOut = new Float32Array(O * H * W * I);
  const bOut = new Float32Array(O);
  for (let o = 0; o < O; o++) {
    const f = g[o] / Math.sqrt(v[o] + eps);
    for (let i = 0; i < I; i++)
      for (let y = 0; y < H; y++)
        for (let x = 0; x < W; x++) wOut[((o * H + y) * W + x) * I + i] = w.data[((o * I + i) * H + y) * W + x] * f;
    bOut[o] = beta[o] - mu[o] * f + (b0 ? b0[o] : 0) * f;
  }
  return { w: wOut, b: bOut };
}

function sameBits(got: Float32Array, want: Float32Array, what: string): void {
  assert.is(got.length, want.length, `${what}: length`);
  const i = got.findIndex((v, j) => !Object.is(v, want[j]));
  assert.ok(i < 0, `${what}[${i}]: got ${got[i]}, expected ${want[i]}`);
}

test('ResNet-18: every folded conv equals the formula bit for bit', () => {
  const f = fixture({ arch: 'resnet18', size: 64 });
  const inits = parseOnnx(f.bytes).initializers;
  const model = convertedModel(f);
  const convs = model.graph.nodes.filter((n) => n.op === 'conv');
  assert.is(convs.length, 20);
  for (const n of convs) {
    const conv = n.weight.replace(/\.weight$/, '');
    const bn = conv === 'conv1' ? 'bn1' : conv.endsWith('downsample.0') ? conv.replace(/0$/, '1') : conv.replace(/conv(\d)$/, 'bn$1');
    const want = expectFold(inits, conv, bn, Math.fround(1e-5)); // the attribute is an f32
    sameBits(model.tensors.get(n.weight)!.data as Float32Array, want.w, `${conv} weight`);
    sameBits(model.tensors.get(n.bias)!.data as Float32Array, want.b, `${conv} bias`);
  }
});

test('a conv with its own bias and a non-default epsilon folds the bias too', async () => {
  const bytes = miniOnnx((m, x) => {
    const c = m.conv(x, 3, 8, 3, { name: 'c', bias: true });
    const bn = ['weight', 'bias', 'running_mean', 'running_var'].map((k, i) =>
      m.init(`bn.${k}`, [8], [0.3, 0.2, 0.5, 0.2][i], [1, 0, 0, 1.5][i]),
    );
    return m.node('Relu', [m.node('BatchNormalization', [c, ...bn], { epsilon: { f: 1e-3 } }, 'bn')]);
  });
  const inits = parseOnnx(bytes).initializers;
  const model = convertOnnx(bytes);
  const want = expectFold(inits, 'c', 'bn', Math.fround(1e-3), 'c.bias');
  sameBits(model.tensors.get('c.weight')!.data as Float32Array, want.w, 'c weight');
  sameBits(model.tensors.get('c.bias')!.data as Float32Array, want.b, 'c bias');
  const f = { bytes, size: 8, inputName: 'image', outputName: parseOnnx(bytes).outputs[0].name };
  const x = randomImages({ count: 1, size: 8 })[0];
  assert.ok(relErr(runReference(model, x), (await ortLogits(f, [x]))[0]) < 1e-5);
});

test('folded and unfolded exports of the same weights agree to f32 rounding', () => {
  const a = convertedModel(fixture({ arch: 'tiny', size: 32, bn: 'unfolded' }));
  const b = convertedModel(fixture({ arch: 'tiny', size: 32, bn: 'folded' }));
  for (const x of randomImages({ count: 2, size: 32, seed: 3 })) assert.ok(relErr(runReference(a, x), runReference(b, x)) < 1e-5);
});

test.run();
