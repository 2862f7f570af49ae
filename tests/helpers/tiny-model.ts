// A small random ResNet-shaped Model built directly (no converter; tensor dims are logical,
// as in a pack): stem conv + maxpool,
// an identity block, a projection block and an option-A block, GAP and FC. In the int8 form
// the last two blocks end in a conv with a fused residual (the first keeps its add). Its int8 and
// fp32 forms keep the logical weights beside the packed ones, so tests can run the
// TypeScript references over the same numbers.
import type { Activation, InputSpec, Model, ModelGraph, Node, Tensor } from '../../ts-sdk/model/graph.ts';
import { packF32Weights, packQ8Weights } from '../../ts-sdk/kernels/packing.ts';
import { rng } from './rng.ts';

export interface Logical {
  /** OHWI weights (int8 or f32), biases (i32 or f32), weight scales. */
  w: Map<string, Int8Array | Float32Array>;
  b: Map<string, Int32Array | Float32Array>;
}

export const TINY_INPUT: InputSpec = {
  height: 20,
  width: 20,
  channels: 3,
  resize: 0,
  crop: 'none',
  interpolation: 'bilinear',
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
  color: 'rgb',
};

/** `channelOffset`: zero channels the option-A block puts before its input's 13 (0–7). */
export function tinyModel(precision: 'int8' | 'fp32', seed = 1, channelOffset = 0): { model: Model; logical: Logical } {
  const r = rng(seed);
  const acts: Activation[] = [];
  const nodes: Node[] = [];
  const tensors = new Map<string, Tensor>();
  const logical: Logical = { w: new Map(), b: new Map() };
  const q = (relu: boolean) =>
    precision === 'int8' ? { quant: { scale: 0.01 + r.next() * 0.05, zeroPoint: relu ? 0 : r.int(100, 156) } } : {};
  const act = (shape: [number, number, number], relu: boolean): number => {
    const id = acts.length;
    acts.push({ id, shape, ...q(relu) });
    return id;
  };
  const conv = (
    name: string,
    input: number,
    cout: number,
    k: number,
    stride: number,
    pad: number,
    relu: boolean,
    residual?: number,
  ): number => {
    const [H, W, cin] = acts[input].shape;
    const OH = Math.floor((H + 2 * pad - k) / stride) + 1,
      OW = Math.floor((W + 2 * pad - k) / stride) + 1;
    const output = act([OH, OW, cout], relu);
    const K = k * k * cin;
    if (precision === 'int8') {
      const w = Int8Array.from({ length: cout * K }, () => r.int(-127, 127));
      const b = Int32Array.from({ length: cout }, () => r.int(-2000, 2000));
      const ws = Float32Array.from({ length: cout }, () => (0.3 + r.next()) / (127 * Math.sqrt(K)));
      logical.w.set(name, w);
      logical.b.set(name, b);
      tensors.set(`${name}.weight`, {
        name: `${name}.weight`,
        dtype: 'i8',
        layout: 'q8c2',
        dims: [cout, k, k, cin],
        data: packQ8Weights(w, cout, K),
      });
      tensors.set(`${name}.bias`, { name: `${name}.bias`, dtype: 'i32', layout: 'plain', dims: [cout], data: b });
      tensors.set(`${name}.wscale`, { name: `${name}.wscale`, dtype: 'f32', layout: 'plain', dims: [cout], data: ws });
    } else {
      const w = Float32Array.from({ length: cout * K }, () => r.normal() * Math.sqrt(2 / K));
      const b = Float32Array.from({ length: cout }, () => r.normal() * 0.1);
      logical.w.set(name, w);
      logical.b.set(name, b);
      const packed = packF32Weights(w, cout, K);
      tensors.set(`${name}.weight`, { name: `${name}.weight`, dtype: 'f32', layout: 'f32n8', dims: [cout, k, k, cin], data: packed });
      tensors.set(`${name}.bias`, { name: `${name}.bias`, dtype: 'f32', layout: 'plain', dims: [cout], data: b });
    }
    nodes.push({
      op: 'conv',
      input,
      output,
      kernelH: k,
      kernelW: k,
      stride,
      pad: [pad, pad, pad, pad],
      cin,
      cout,
      relu,
      weight: `${name}.weight`,
      bias: `${name}.bias`,
      ...(precision === 'int8' ? { weightScale: `${name}.wscale` } : {}),
      ...(residual === undefined ? {} : { residual }),
    });
    return output;
  };
  const add = (a: number, b: number): number => {
    const output = act(acts[a].shape, true);
    nodes.push({ op: 'add', a, b, output, relu: true });
    return output;
  };

  const input = act([20, 20, 3], false);
  let x = conv('conv1', input, 8, 7, 2, 3, true); // 10×10×8
  const mp = act([5, 5, 8], true);
  if (precision === 'int8') acts[mp].quant = acts[x].quant; // max pool keeps its input's scale
  nodes.push({ op: 'maxpool', input: x, output: mp, kernel: 3, stride: 2, pad: 1 });
  x = mp;
  // Identity block.
  let y = conv('b1.conv1', x, 8, 3, 1, 1, true);
  y = conv('b1.conv2', y, 8, 3, 1, 1, false);
  x = add(y, x);
  // conv2 + add + ReLU: one fused conv in int8, a conv and an add in fp32.
  const conv2Add = (name: string, input: number, cout: number, shortcut: number): number =>
    precision === 'int8' ? conv(name, input, cout, 3, 1, 1, true, shortcut) : add(conv(name, input, cout, 3, 1, 1, false), shortcut);
  // Projection block (stride 2, odd channel count).
  y = conv('b2.conv1', x, 13, 3, 2, 1, true);
  const ds = conv('b2.downsample', x, 13, 1, 2, 0, false);
  x = conv2Add('b2.conv2', y, 13, ds);
  // Option-A block: subsample + zero channels.
  y = conv('b3.conv1', x, 20, 3, 2, 1, true);
  const sc = act([2, 2, 20], false);
  if (precision === 'int8') acts[sc].quant = acts[x].quant;
  nodes.push({ op: 'pad_shortcut', input: x, output: sc, stride: 2, cout: 20, ...(channelOffset ? { channelOffset } : {}) });
  x = conv2Add('b3.conv2', y, 20, sc);
  const g = act([1, 1, 20], false);
  nodes.push({ op: 'gavgpool', input: x, output: g });
  const logits = acts.length;
  acts.push({ id: logits, shape: [1, 1, 10] });
  const fcName = 'fc';
  if (precision === 'int8') {
    const w = Int8Array.from({ length: 10 * 20 }, () => r.int(-127, 127));
    const b = Int32Array.from({ length: 10 }, () => r.int(-5000, 5000));
    logical.w.set(fcName, w);
    logical.b.set(fcName, b);
    const packed = packQ8Weights(w, 10, 20);
    tensors.set('fc.weight', { name: 'fc.weight', dtype: 'i8', layout: 'q8c2', dims: [10, 20], data: packed });
    tensors.set('fc.bias', { name: 'fc.bias', dtype: 'i32', layout: 'plain', dims: [10], data: b });
    tensors.set('fc.wscale', {
      name: 'fc.wscale',
      dtype: 'f32',
      layout: 'plain',
      dims: [10],
      data: Float32Array.from({ length: 10 }, () => 0.01 * r.next()),
    });
  } else {
    const w = Float32Array.from({ length: 10 * 20 }, () => r.normal() * 0.3);
    const b = Float32Array.from({ length: 10 }, () => r.normal() * 0.1);
    logical.w.set(fcName, w);
    logical.b.set(fcName, b);
    const packed = packF32Weights(w, 10, 20);
    tensors.set('fc.weight', { name: 'fc.weight', dtype: 'f32', layout: 'f32n8', dims: [10, 20], data: packed });
    tensors.set('fc.bias', { name: 'fc.bias', dtype: 'f32', layout: 'plain', dims: [10], data: b });
  }
  nodes.push({
    op: 'fc',
    input: g,
    output: logits,
    cin: 20,
    cout: 10,
    weight: 'fc.weight',
    bias: 'fc.bias',
    ...(precision === 'int8' ? { weightScale: 'fc.wscale' } : {}),
  });

  const graph: ModelGraph = {
    arch: 'resnet',
    precision,
    input: TINY_INPUT,
    inputId: input,
    outputId: logits,
    labels: Array.from({ length: 10 }, (_, i) => `class ${i}`),
    activations: acts,
    nodes,
  };
  return { model: { graph, tensors }, logical };
}
