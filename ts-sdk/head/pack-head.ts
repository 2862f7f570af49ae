// A pack's classification head, read out of a model and put into one: the backbone (every
// tensor but the fc's, the graph but the fc's cout and the logits' shape) stays as it was.
import type { FcNode, Model, Tensor } from '../model/graph.ts';
import { packF32Weights, packQ8Weights } from '../kernels/packing.ts';
import { headInput } from './embedding.ts';
import { headClasses, headDims, unpackF32Weights, unpackQ8Weights, type HeadWeights } from './fc-head.ts';

/** The model's fc head in logical layout. */
export function readHead(model: Model): HeadWeights {
  const { fc, quant } = headInput(model.graph);
  const data = (name: string | undefined) => model.tensors.get(name!)!.data;
  if (!quant)
    return {
      precision: 'fp32',
      w: unpackF32Weights(data(fc.weight) as Float32Array, fc.cout, fc.cin),
      bias: (data(fc.bias) as Float32Array).slice(),
    };
  return {
    precision: 'int8',
    w: unpackQ8Weights(data(fc.weight) as Int8Array, fc.cout, fc.cin),
    bias: (data(fc.bias) as Int32Array).slice(),
    wscale: (data(fc.weightScale) as Float32Array).slice(),
    input: { ...quant },
  };
}

/**
 * `base` with its head replaced by `head` and its labels by `labels`; `extra` becomes the new
 * model's extra. The fc's tensors keep their names and their place in the tensor order.
 */
export function withHead(base: Model, head: HeadWeights, labels: readonly string[], extra: Record<string, unknown>): Model {
  const g = base.graph;
  const { fc, quant } = headInput(g);
  const N = headClasses(head),
    K = headDims(head);
  if (K !== fc.cin) throw new RangeError(`the head reads ${K} values, but this backbone's embedding has ${fc.cin}`);
  if (head.precision !== g.precision) throw new TypeError(`a ${head.precision} head cannot go into a ${g.precision} pack`);
  if (quant && head.precision === 'int8' && (head.input.scale !== quant.scale || head.input.zeroPoint !== quant.zeroPoint)) {
    throw new RangeError("the head was quantized for another backbone (its input scale or zero point differs from this pack's)");
  }
  if (labels.length !== N) throw new RangeError(`${labels.length} labels for a head of ${N} classes`);
  const newFc: FcNode = { ...fc, cout: N };
  const replaced = new Map<string, Tensor>([
    head.precision === 'int8'
      ? [fc.weight, { name: fc.weight, dtype: 'i8', dims: [N, K], layout: 'q8c2', data: packQ8Weights(head.w, N, K) }]
      : [fc.weight, { name: fc.weight, dtype: 'f32', dims: [N, K], layout: 'f32n8', data: packF32Weights(head.w, N, K) }],
    [fc.bias, { name: fc.bias, dtype: head.precision === 'int8' ? 'i32' : 'f32', dims: [N], layout: 'plain', data: head.bias }],
  ]);
  if (head.precision === 'int8')
    replaced.set(fc.weightScale!, { name: fc.weightScale!, dtype: 'f32', dims: [N], layout: 'plain', data: head.wscale });
  const tensors = new Map([...base.tensors].map(([name, t]) => [name, replaced.get(name) ?? t]));
  return {
    graph: {
      ...g,
      labels: [...labels],
      nodes: g.nodes.map((n) => (n === fc ? newFc : n)),
      activations: g.activations.map((a) => (a.id === g.outputId ? { ...a, shape: [1, 1, N] } : a)),
    },
    tensors,
    extra,
  };
}
