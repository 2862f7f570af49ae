// The converted float model, run by the TypeScript reference, reproduces onnxruntime's
// logits on the ONNX file it came from: torchvision ResNet-18/34 (BN unfolded and folded), bottlenecks,
// the CIFAR option-A ResNet-20, and every export variant of head, flatten and naming.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { convertOnnx, runReference } from '../../weights/convert/index.ts';
import type { FixtureOptions } from '../fixtures/make-resnet-onnx.ts';
import { randomImages } from '../fixtures/random-images.ts';
import { convertedModel, fixture, ortLogits, relErr } from './shared.ts';

const TOL = 1e-4;

async function check(o: FixtureOptions, images = 1): Promise<ReturnType<typeof convertOnnx>> {
  const f = fixture(o);
  const model = convertedModel(f);
  const xs = randomImages({ count: images, size: f.size, seed: 11 });
  const want = await ortLogits(f, xs);
  xs.forEach((x, i) => {
    const err = relErr(runReference(model, x), want[i]);
    assert.ok(err < TOL, `${JSON.stringify(o)} image ${i}: relative error ${err.toExponential(2)} ≥ ${TOL}`);
  });
  return model;
}

test('ResNet-18 at 64×64, unfolded BatchNormalization (torchvision names)', async () => {
  const m = await check({ arch: 'resnet18', size: 64 });
  const g = m.graph;
  assert.is(g.arch, 'resnet18');
  assert.equal([g.input.height, g.input.width, g.input.resize], [64, 64, 73]);
  assert.is(g.nodes.filter((n) => n.op === 'conv').length, 20);
  assert.is(g.nodes.filter((n) => n.op === 'add').length, 8);
  assert.ok(m.tensors.has('layer2.0.downsample.0.weight'));
  assert.equal(m.tensors.get('conv1.weight')!.dims, [64, 7, 7, 3]); // OHWI
  assert.equal(m.tensors.get('fc.weight')!.dims, [1000, 512]);
  // ReLU fused where torchvision has it: stem and each block's first conv, and every add.
  const convs = g.nodes.filter((n) => n.op === 'conv');
  assert.is(convs.filter((n) => n.relu).length, 9);
  assert.ok(g.nodes.filter((n) => n.op === 'add').every((n) => n.relu));
});

test('ResNet-34 at 32×32: BN unfolded and BN pre-folded (eval export) give the same network', async () => {
  const a = await check({ arch: 'resnet34', size: 32, bn: 'unfolded' });
  const b = await check({ arch: 'resnet34', size: 32, bn: 'folded' });
  assert.is(a.graph.arch, 'resnet34');
  assert.is(b.graph.arch, 'resnet34');
  assert.equal(
    a.graph.nodes.map((n) => n.op),
    b.graph.nodes.map((n) => n.op),
  );
  // Folded exports name weights 'onnx::Conv_…'; the node scope gives the same prefixes.
  assert.equal([...a.tensors.keys()], [...b.tensors.keys()]);
});

test('CIFAR ResNet-20 with option-A shortcuts (Slice + channel Pad) becomes pad_shortcut nodes', async () => {
  const m = await check({ arch: 'cifar20', size: 32 });
  assert.is(m.graph.arch, 'resnet20-cifar');
  const pads = m.graph.nodes.filter((n) => n.op === 'pad_shortcut');
  assert.equal(
    pads.map((n) => [n.stride, n.cout]),
    [
      [2, 32],
      [2, 64],
    ],
  );
});

test('bottleneck blocks (1×1 reduce, 3×3, 1×1 restore): v1.5 strides in the 3×3, v1 in the first 1×1, each named', async () => {
  for (const [arch, name, strided] of [
    ['tiny-bottleneck', 'resnet17', 'conv2'],
    ['tiny-bottleneck-v1', 'resnet17-v1', 'conv1'],
  ] as const) {
    const m = await check({ arch, size: 32 }, 2);
    assert.is(m.graph.arch, name);
    const convs = m.graph.nodes.filter((n) => n.op === 'conv');
    assert.is(convs.length, 1 + 3 * 5 + 4);
    const first = convs.find((n) => n.weight.startsWith('layer2.0.') && n.stride === 2 && !n.weight.includes('downsample'));
    assert.is(first?.weight, `layer2.0.${strided}.weight`);
  }
});

// The accepted opsets are 9–21 (weights/convert/resnet-match.ts); both ends are tested.
test('the oldest accepted opsets: 9 (MaxPool without ceil_mode), and 10 for option A (Pad with attributes)', async () => {
  await check({ arch: 'tiny', size: 32, opset: 9, flatten: 'shape-reshape', pool: 'reducemean' });
  await check({ arch: 'cifar20', size: 32, opset: 10 });
});

test('the newest accepted opset, 21', async () => {
  await check({ arch: 'tiny', size: 32, opset: 21, flatten: 'shape-reshape', pool: 'reducemean' });
  await check({ arch: 'cifar20', size: 32, opset: 21 });
});

const variants: [string, Partial<FixtureOptions>][] = [
  ['MatMul + Add head', { head: 'matmul' }],
  ['Gemm with transB=0', { head: 'gemm-notrans' }],
  ['ReduceMean(2,3) + Reshape to a constant', { pool: 'reducemean', flatten: 'reshape' }],
  ['ReduceMean with axes as input (opset 18)', { pool: 'reducemean', opset: 18 }],
  ['x.view(x.size(0), -1): Shape → Gather → Unsqueeze → Concat → Reshape', { flatten: 'shape-reshape' }],
  ['the same at opset 11 (Unsqueeze axes attribute)', { flatten: 'shape-reshape', opset: 11 }],
  ['Identity nodes and a trailing Softmax', { identityNodes: true, softmax: true }],
  ['legacy numbered names, float_data storage, opset 17', { naming: 'legacy', storage: 'float_data', opset: 17 }],
  ['folded BN with a MatMul head', { bn: 'folded', head: 'matmul' }],
];

for (const [name, v] of variants) {
  test(`tiny ResNet: ${name}`, async () => {
    if (v.softmax) {
      // Softmax is dropped (the SDK applies it): compare with ORT's output before it.
      const f = fixture({ arch: 'tiny', size: 32, ...v });
      const m = convertOnnx(f.bytes);
      assert.is(m.extra?.droppedSoftmax, true);
      const plain = await ortLogits(
        fixture({ arch: 'tiny', size: 32, identityNodes: true }),
        randomImages({ count: 1, size: 32, seed: 11 }),
      );
      assert.ok(relErr(runReference(m, randomImages({ count: 1, size: 32, seed: 11 })[0]), plain[0]) < TOL);
      return;
    }
    await check({ arch: 'tiny', size: 32, ...v }, 2);
  });
}

test('the input size can be overridden: the same weights run at another resolution', async () => {
  const f = fixture({ arch: 'tiny', size: 32 });
  const m = convertOnnx(f.bytes, { input: { size: 48, mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25], resize: 0 } });
  const g = m.graph;
  assert.equal([g.input.height, g.input.width, g.input.resize], [48, 48, 0]);
  assert.equal(g.input.mean, [0.5, 0.5, 0.5]);
  assert.equal(g.activations[g.outputId].shape, [1, 1, 10]);
  assert.is(runReference(m, randomImages({ count: 1, size: 48 })[0]).length, 10);
});

test.run();
