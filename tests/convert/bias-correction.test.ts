// Bias correction: the shift it removes is the mean output error of the rounded weights, border
// taps included, and it changes nothing but the biases.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ConvNode } from '../../ts-sdk/model/graph.ts';
import { preprocess } from '../../ts-sdk/preprocess/index.ts';
import { correctedBias } from '../../weights/convert/bias-correction.ts';
import { calibrate, convertOnnx, createWasmRunner, quantizeLayer, quantizeModel } from '../../weights/convert/index.ts';
import { randomPhotos } from '../fixtures/random-images.ts';
import { Rng } from '../fixtures/rng.ts';
import { fixture } from './shared.ts';

const float = convertOnnx(fixture({ arch: 'tiny', size: 32 }).bytes, { input: { resize: 0 } });
const convs = float.graph.nodes.filter((n): n is ConvNode => n.op === 'conv');

test('the correction is the mean over output positions of (rounded − float weights) · input, on an input constant per channel', () => {
  const rng = new Rng(11);
  // every conv of the network: the stem (7×7 s2, padding on every side), 3×3 s1 and s2, 1×1 s2 projections
  assert.ok(convs.some((n) => n.stride === 2 && n.kernelH === 7));
  for (const n of convs) {
    const [H, W, C] = float.graph.activations[n.input].shape;
    const [OH, OW] = float.graph.activations[n.output].shape;
    const means = Float64Array.from({ length: C }, () => rng.normal());
    const q = quantizeLayer(float, n, 0.05);
    const got = correctedBias(float, n, q.w, q.scales, means);
    const w = float.tensors.get(n.weight)!.data as Float32Array;
    const b = float.tensors.get(n.bias)!.data as Float32Array;
    const K = n.kernelH * n.kernelW * C;
    for (let o = 0; o < n.cout; o++) {
      // position by position, as a conv would see it
      let sum = 0;
      for (let oy = 0; oy < OH; oy++)
        for (let ox = 0; ox < OW; ox++)
          for (let ky = 0; ky < n.kernelH; ky++)
            for (let kx = 0; kx < n.kernelW; kx++) {
              const iy = oy * n.stride - n.pad[0] + ky;
              const ix = ox * n.stride - n.pad[1] + kx;
              if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
              for (let c = 0; c < C; c++) {
                const k = (ky * n.kernelW + kx) * C + c;
                sum += (q.w[o * K + k] * q.scales[o] - w[o * K + k]) * means[c];
              }
            }
      const shift = sum / (OH * OW);
      assert.ok(Math.abs(b[o] - got[o] - shift) <= 1e-9 * (1 + Math.abs(shift)), `${n.weight}[${o}]: ${b[o] - got[o]} vs ${shift}`);
    }
  }
});

test('quantizeModel with biasCorrection: same weights and activation ranges, biases moved, and the pack says so', async () => {
  const spec = float.graph.input;
  const xs = randomPhotos({ count: 8, width: 32, height: 32, seed: 4 }).map((p) => preprocess(p, spec));
  const calib = calibrate(float, await createWasmRunner(float), xs);
  const plain = quantizeModel(float, calib);
  const corrected = quantizeModel(float, calib, { biasCorrection: true });
  assert.equal(corrected.graph.activations, plain.graph.activations);
  assert.equal(corrected.extra?.calibration, { ...(plain.extra?.calibration as object), biasCorrection: true });
  let moved = 0;
  for (const [name, t] of plain.tensors) {
    const u = corrected.tensors.get(name)!;
    if (name.endsWith('.bias')) moved += t.data.some((v, i) => v !== u.data[i]) ? 1 : 0;
    else assert.equal(u.data, t.data, name);
  }
  assert.ok(moved >= convs.length / 2, `${moved} of ${convs.length + 1} layers' biases moved`);
});

test.run();
