// Tiny synthetic ResNet-like models for the pack tests, valid by construction and seeded:
// conv(3→8, 3×3) → maxpool → conv → conv → add(+maxpool) → conv s2 (8→12) → conv → pad_shortcut
// → add → gap → fc(12→5). Odd K (27) and N = 12 exercise the packed layouts' padding.
import type { Activation, Model, ModelGraph, Node, Precision, Tensor } from '../../ts-sdk/model/graph.ts';
import { packF32Weights, packQ8Weights } from '../../ts-sdk/kernels/packing.ts';
import { rng } from '../helpers/rng.ts';

const shapes: [number, number, number][] = [
  [8, 8, 3], // 0 input
  [8, 8, 8], // 1 conv1
  [4, 4, 8], // 2 maxpool
  [4, 4, 8], // 3 conv2a
  [4, 4, 8], // 4 conv2b
  [4, 4, 8], // 5 add
  [2, 2, 12], // 6 conv3a s2
  [2, 2, 12], // 7 conv3b
  [2, 2, 12], // 8 pad_shortcut
  [2, 2, 12], // 9 add
  [1, 1, 12], // 10 gap
  [1, 1, 5], // 11 logits
];

const conv = (
  name: string,
  input: number,
  output: number,
  cin: number,
  cout: number,
  stride: number,
  relu: boolean,
  int8: boolean,
): Node => ({
  op: 'conv',
  input,
  output,
  kernelH: 3,
  kernelW: 3,
  stride,
  pad: [1, 1, 1, 1],
  cin,
  cout,
  relu,
  weight: `${name}.weight`,
  bias: `${name}.bias`,
  ...(int8 ? { weightScale: `${name}.wscale` } : {}),
});

export function tinyGraph(precision: Precision): ModelGraph {
  const int8 = precision === 'int8';
  const nodes: Node[] = [
    conv('conv1', 0, 1, 3, 8, 1, true, int8),
    { op: 'maxpool', input: 1, output: 2, kernel: 3, stride: 2, pad: 1 },
    conv('layer1.0.conv1', 2, 3, 8, 8, 1, true, int8),
    conv('layer1.0.conv2', 3, 4, 8, 8, 1, false, int8),
    { op: 'add', a: 4, b: 2, output: 5, relu: true },
    conv('layer2.0.conv1', 5, 6, 8, 12, 2, true, int8),
    conv('layer2.0.conv2', 6, 7, 12, 12, 1, false, int8),
    { op: 'pad_shortcut', input: 5, output: 8, stride: 2, cout: 12 },
    { op: 'add', a: 7, b: 8, output: 9, relu: true },
    { op: 'gavgpool', input: 9, output: 10 },
    {
      op: 'fc',
      input: 10,
      output: 11,
      cin: 12,
      cout: 5,
      weight: 'fc.weight',
      bias: 'fc.bias',
      ...(int8 ? { weightScale: 'fc.wscale' } : {}),
    },
  ];
  // The maxpool and pad_shortcut outputs copy u8 values, so they share their input's quant.
  const quantOf = [0.0187, 0.05, 0.05, 0.031, 0.07, 0.04, 0.033, 0.09, 0.04, 0.05, 0.021];
  const zeroOf = [114, 0, 0, 0, 131, 0, 0, 127, 0, 0, 0];
  const activations: Activation[] = shapes.map((shape, id) => ({
    id,
    shape: [...shape] as [number, number, number],
    ...(int8 && id < 11 ? { quant: { scale: quantOf[id], zeroPoint: zeroOf[id] } } : {}),
  }));
  return {
    arch: 'resnet',
    precision,
    input: {
      height: 8,
      width: 8,
      channels: 3,
      resize: 10,
      crop: 'center',
      interpolation: 'bilinear',
      mean: [0.485, 0.456, 0.406],
      std: [0.229, 0.224, 0.225],
      color: 'rgb',
    },
    inputId: 0,
    outputId: 11,
    labels: ['zero', 'one', 'crane', 'crane', 'vier – ünïcödé 🐦'],
    activations,
    nodes,
  };
}

export function tinyModel(precision: Precision, seed = 1): Model {
  const graph = tinyGraph(precision);
  const r = rng(seed);
  const tensors = new Map<string, Tensor>();
  const put = (t: Tensor) => tensors.set(t.name, t);
  for (const n of graph.nodes) {
    if (n.op !== 'conv' && n.op !== 'fc') continue;
    const dims = n.op === 'conv' ? [n.cout, n.kernelH, n.kernelW, n.cin] : [n.cout, n.cin];
    const K = dims.slice(1).reduce((a, b) => a * b, 1);
    if (precision === 'int8') {
      put({
        name: n.weight,
        dtype: 'i8',
        layout: 'q8c2',
        dims,
        data: packQ8Weights(
          Int8Array.from({ length: n.cout * K }, () => r.int(-127, 127)),
          n.cout,
          K,
        ),
      });
      put({
        name: n.bias,
        dtype: 'i32',
        layout: 'plain',
        dims: [n.cout],
        data: Int32Array.from({ length: n.cout }, () => r.int(-5000, 5000)),
      });
      put({
        name: n.weightScale!,
        dtype: 'f32',
        layout: 'plain',
        dims: [n.cout],
        data: Float32Array.from({ length: n.cout }, () => 0.001 + r.next() * 0.01),
      });
    } else {
      put({
        name: n.weight,
        dtype: 'f32',
        layout: 'f32n8',
        dims,
        data: packF32Weights(
          Float32Array.from({ length: n.cout * K }, () => r.normal() * 0.1),
          n.cout,
          K,
        ),
      });
      put({
        name: n.bias,
        dtype: 'f32',
        layout: 'plain',
        dims: [n.cout],
        data: Float32Array.from({ length: n.cout }, () => r.normal() * 0.01),
      });
    }
  }
  return { graph, tensors, extra: { converter: 'tests/pack/fixtures.ts', seed, calibration: { images: 0, method: 'none' } } };
}

/** A deep copy (graph via JSON, tensors copied) to mutate in a test without touching others. */
export function cloneModel(m: Model): Model {
  const tensors = new Map<string, Tensor>();
  for (const [k, t] of m.tensors) tensors.set(k, { ...t, dims: [...t.dims], data: t.data.slice() });
  return { graph: structuredClone(m.graph), tensors, ...(m.extra ? { extra: structuredClone(m.extra) } : {}) };
}
