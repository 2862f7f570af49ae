// End to end against an independent engine: torchvision-shaped ResNet-18/34 ONNX graphs with
// seeded weights and realistic BatchNorm statistics (tests/fixtures), run by onnxruntime-node
// and by edge-resnet (convert → pack bytes → load() → logits), at 224×224.
//   fp32 pack: max|Δlogit| / max|logit| ≤ 1e-4.
//   int8 pack: cosine ≥ 0.99 with ORT's fp32 logits on 64 inputs, and top-1 agreement ≥ 95 %
//   on the inputs whose fp32 top-1 leads the runner-up by > 5 % of the logit range.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as ort from 'onnxruntime-node';
import { makeResnetOnnx } from '../fixtures/make-resnet-onnx.ts';
import { randomImages } from '../fixtures/random-images.ts';
import { convertOnnx, createWasmRunner, toFp32, toInt8 } from '../../weights/convert/index.ts';
import { writePack } from '../../ts-sdk/pack/index.ts';
import { load } from '../../ts-sdk/index.ts';
import { cosine } from '../helpers/similarity.ts';

const SIZE = 224;
const N_INPUTS = 64;
const N_CALIB = 24;

const argmax = (x: ArrayLike<number>) => {
  let k = 0;
  for (let i = 1; i < x.length; i++) if (x[i] > x[k]) k = i;
  return k;
};

for (const arch of ['resnet18', 'resnet34'] as const) {
  test(`${arch} ${SIZE}×${SIZE}: fp32 and int8 packs vs onnxruntime-node`, async () => {
    const fx = makeResnetOnnx({ arch, size: SIZE, seed: arch === 'resnet18' ? 18 : 34, classes: 1000 });
    const session = await ort.InferenceSession.create(fx.bytes);
    const inputs = randomImages({ count: N_INPUTS, size: SIZE, seed: 7 });
    const calib = randomImages({ count: N_CALIB, size: SIZE, seed: 1234 });
    const oracle: Float32Array[] = [];
    for (const x of inputs) {
      const out = await session.run({ [fx.inputName]: new ort.Tensor('float32', x, [1, 3, SIZE, SIZE]) });
      oracle.push(out[fx.outputName].data as Float32Array);
    }

    const float = convertOnnx(fx.bytes, {});
    const runner = await createWasmRunner(float);
    const fp32 = await load(writePack(toFp32(float, { runner })));
    let worst = 0;
    for (const [i, x] of inputs.slice(0, 16).entries()) {
      const got = await fp32.logits(x);
      const maxAbs = Math.max(...oracle[i].map(Math.abs));
      const maxDiff = Math.max(...got.map((v, j) => Math.abs(v - oracle[i][j])));
      worst = Math.max(worst, maxDiff / maxAbs);
    }
    assert.ok(worst <= 1e-4, `fp32 pack: max|Δ|/max|logit| = ${worst.toExponential(2)} > 1e-4`);

    const { model: q } = toInt8(float, calib, { runner }); // the converter's defaults
    const int8 = await load(writePack(q));
    let minCos = 1,
      decisive = 0,
      agree = 0;
    for (const [i, x] of inputs.entries()) {
      const got = await int8.logits(x);
      minCos = Math.min(minCos, cosine(got, oracle[i]));
      const o = oracle[i],
        sorted = [...o].sort((a, b) => b - a);
      const range = sorted[0] - sorted[sorted.length - 1];
      if (sorted[0] - sorted[1] > 0.05 * range) {
        decisive++;
        if (argmax(got) === argmax(o)) agree++;
      }
    }
    console.log(
      `  ${arch}: fp32 max|Δ|/max|logit| ${worst.toExponential(2)}; int8 min cosine ${minCos.toFixed(4)}, top-1 agreement ${agree}/${decisive} decisive inputs`,
    );
    assert.ok(minCos >= 0.99, `int8 min cosine ${minCos}`);
    assert.ok(decisive >= 8, `too few decisive inputs (${decisive}) for a meaningful agreement check`);
    assert.ok(agree / decisive >= 0.95, `int8 top-1 agreement ${agree}/${decisive}`);
    fp32.dispose();
    int8.dispose();
  });
}

test.run();
