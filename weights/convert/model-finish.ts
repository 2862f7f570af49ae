// Last step of matching: drop nodes the logits do not depend on, number activations densely
// in execution order (input 0), move conv weights from ONNX's OIHW to our OHWI, and name the
// architecture.
import { nodeInputs, type Activation, type InputSpec, type Model, type Node, type Tensor } from '../../ts-sdk/model/graph.ts';
import { ConvertError } from './errors.ts';
import { detectArch } from './resnet-structure.ts';
import { mapIds } from './graph-edit.ts';

/** Float weights of a conv/fc while folding is still possible; conv weights stay OIHW until the end. */
export interface FloatParams {
  w: Float32Array;
  b: Float64Array;
}

export interface FinishInput {
  spec: InputSpec;
  labels: string[];
  arch?: string;
  acts: Activation[];
  nodes: Node[];
  params: Map<Node, FloatParams>;
  inputId: number;
  outputId: number;
  extra: Record<string, unknown>;
}

export function finishModel(f: FinishInput): Model {
  // Walk back from the logits; anything not reached is dead (e.g. an unused branch).
  const needed = new Set([f.outputId]);
  const live: Node[] = [];
  for (let i = f.nodes.length - 1; i >= 0; i--) {
    const n = f.nodes[i];
    if (!needed.has(n.output)) continue;
    live.unshift(n);
    for (const a of nodeInputs(n)) needed.add(a);
  }
  if (!needed.has(f.inputId)) throw new ConvertError('UNSUPPORTED_PATTERN', 'the logits do not depend on the image input');

  const renum = new Map<number, number>([[f.inputId, 0]]);
  for (const n of live) renum.set(n.output, renum.size);
  const id = (old: number) => renum.get(old)!;
  const activations: Activation[] = [...renum].map(([old, nu]) => ({ id: nu, shape: [...f.acts[old].shape] as [number, number, number] }));

  const tensors = new Map<string, Tensor>();
  const nodes: Node[] = live.map((n) => {
    const p = f.params.get(n);
    if (n.op === 'conv') {
      tensors.set(n.weight, {
        name: n.weight,
        dtype: 'f32',
        layout: 'plain',
        dims: [n.cout, n.kernelH, n.kernelW, n.cin],
        data: oihwToOhwi(p!.w, n.cout, n.cin, n.kernelH, n.kernelW),
      });
      tensors.set(n.bias, { name: n.bias, dtype: 'f32', layout: 'plain', dims: [n.cout], data: Float32Array.from(p!.b) });
    }
    if (n.op === 'fc') {
      tensors.set(n.weight, { name: n.weight, dtype: 'f32', layout: 'plain', dims: [n.cout, n.cin], data: p!.w });
      tensors.set(n.bias, { name: n.bias, dtype: 'f32', layout: 'plain', dims: [n.cout], data: Float32Array.from(p!.b) });
    }
    return mapIds(n, id);
  });

  // NaN or ±∞ in an initializer (or produced by folding) would survive into the pack: fp32
  // logits of NaN, int8 weight scales of NaN. Name the layer instead.
  for (const [name, t] of tensors) {
    const i = (t.data as Float32Array).findIndex((v) => !Number.isFinite(v));
    if (i >= 0)
      throw new ConvertError(
        'BAD_ONNX',
        `tensor '${name}' holds ${t.data[i]} at index ${i}: the model's weights (BatchNormalization folded in) must be finite numbers`,
      );
  }

  const graph = {
    arch: '',
    precision: 'fp32' as const,
    input: f.spec,
    inputId: 0,
    outputId: id(f.outputId),
    labels: f.labels,
    activations,
    nodes,
  };
  graph.arch = f.arch ?? detectArch(graph);
  return { graph, tensors, extra: { converter: 'edge-resnet/weights/convert', ...f.extra } };
}

/** [O][I][H][W] → [O][H][W][I], so a conv's k index runs over (ky, kx, c) like the im2col rows. */
export function oihwToOhwi(w: Float32Array, O: number, I: number, H: number, W: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let o = 0; o < O; o++)
    for (let i = 0; i < I; i++)
      for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) out[((o * H + y) * W + x) * I + i] = w[((o * I + i) * H + y) * W + x];
  return out;
}
