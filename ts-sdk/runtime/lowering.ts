// The contract between the executor and each op's lowering (lower-int8.ts, lower-fp32.ts):
// a lowering owns everything about how its node runs — the weight arrays in the layout its
// kernels stream, the scratch bytes it needs, and, once the executor has placed everything,
// the call over fixed pointers. The executor owns no layout knowledge: it sums, checks the
// memory limit, grows the memory once, places, and binds (XNNPACK's create → setup per op).
import type { Activation, ModelGraph, Node, Tensor } from '../model/graph.ts';
import type { KernelSet } from './kernel-set.ts';

/** What a lowering reads: the graph and the pack's tensors (only while planning). */
export interface PlanInput {
  graph: ModelGraph;
  tensors: ReadonlyMap<string, Tensor>;
  activation(id: number): Activation;
  /** int8 3×3 stride-1 convs as exact Winograd F(2×2, 3×3) on maps of at least this many outputs; Infinity: never. */
  winogradMinOutputs: number;
}

/** Where the executor put things, handed to bind(). */
export interface Bindings {
  ks: KernelSet;
  /** Byte offset of an activation's buffer (the logits included). */
  act(id: number): number;
  /** Byte offsets of this lowering's weight arrays, in the order it listed them. */
  weights: number[];
  /** Byte offset of the scratch region shared by all steps (the largest need). */
  scratch: number;
}

export interface Lowering {
  node: Node;
  /** Arrays to copy into the weight region, in the exact layout the kernels stream. */
  weights: ArrayBufferView[];
  /** Scratch bytes run() needs (im2col, Winograd buffers); 0 for none. */
  scratchBytes: number;
  /** The kernel call(s) over fixed pointers. Closes over numbers and kernels only, never over the pack's tensors. */
  bind(at: Bindings): () => void;
}

/** The network input's conversion (NCHW f32 → the first activation), lowered the same way. */
export interface InputLowering {
  bind(at: { ks: KernelSet; input: number; act(id: number): number }): () => void;
}

export function tensorData(p: PlanInput, name: string | undefined): Tensor['data'] {
  const t = name === undefined ? undefined : p.tensors.get(name);
  if (!t) throw new Error(`edge-resnet: tensor ${name} is missing from the model`);
  return t.data;
}
