// Hand-built small ONNX graphs for exact and failure cases: a body of my choosing between the
// image input (1×3×8×8, or channelsIn channels) and a standard head (GlobalAveragePool → Flatten → Gemm to 4 classes).
import { type Attr, OnnxBuilder } from '../fixtures/onnx-builder.ts';
import { Rng } from '../fixtures/rng.ts';

export interface Mini {
  b: OnnxBuilder;
  rng: Rng;
  /** Add a float initializer with seeded normal values. */
  init(name: string, dims: number[], std?: number, offset?: number): string;
  /** Conv → optional output name; weights seeded; returns the output value name. */
  conv(
    x: string,
    cin: number,
    cout: number,
    k: number,
    o?: { name?: string; stride?: number; pad?: number; bias?: boolean; attrs?: Record<string, Attr> },
  ): string;
  node(op: string, inputs: string[], attrs?: Record<string, Attr>, name?: string, outputs?: number): string;
}

export function miniOnnx(
  body: (m: Mini, x: string) => string,
  o: { opset?: number; channelsIn?: number; channelsOut?: number; domain?: string } = {},
): Uint8Array {
  const b = new OnnxBuilder();
  const rng = new Rng(5);
  let n = 0;
  const m: Mini = {
    b,
    rng,
    init: (name, dims, std = 0.3, offset = 0) => {
      const size = dims.reduce((a, c) => a * c, 1);
      return b.floatInit(
        name,
        dims,
        Float32Array.from({ length: size }, () => offset + std * rng.normal()),
      );
    },
    conv: (x, cin, cout, k, c = {}) => {
      const name = c.name ?? `conv${n}`;
      const w = m.init(`${name}.weight`, [cout, cin, k, k], Math.sqrt(2 / (cin * k * k)));
      const inputs = c.bias ? [x, w, m.init(`${name}.bias`, [cout], 0.1)] : [x, w];
      const p = c.pad ?? (k - 1) >> 1;
      return m.node(
        'Conv',
        inputs,
        { kernel_shape: { ints: [k, k] }, pads: { ints: [p, p, p, p] }, strides: { ints: [c.stride ?? 1, c.stride ?? 1] }, ...c.attrs },
        name,
      );
    },
    node: (op, inputs, attrs = {}, name, outputs = 1) => {
      const outs = Array.from({ length: outputs }, () => `v${n++}`);
      b.node(op, inputs, outs, attrs, name ?? `${op}_${n}`);
      return outs[0];
    },
  };
  const y = body(m, 'image');
  const C = o.channelsOut ?? 8;
  const pooled = m.node('GlobalAveragePool', [y], {}, 'pool');
  const flat = m.node('Flatten', [pooled], { axis: { i: 1 } }, 'flatten');
  const logits = m.node('Gemm', [flat, m.init('fc.weight', [4, C]), m.init('fc.bias', [4])], { transB: { i: 1 } }, 'fc');
  return b.encode({ opset: o.opset ?? 13, input: 'image', inputShape: [1, o.channelsIn ?? 3, 8, 8], output: logits, outputShape: [1, 4] });
}
