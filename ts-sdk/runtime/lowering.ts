// The contract between the executor and each op's lowering (lower-int8.ts, lower-fp32.ts):
// a lowering owns everything about how its node runs — the weight arrays in the layout its
// kernels stream, the scratch bytes it needs, and, once the executor has placed everything,
// its kernel calls as data (kernel name + params block values). The executor owns no layout
// knowledge: it sums, checks the memory limit, grows the memory once, places, writes each
// call's params block and runs the calls — on one thread, or split across threads by the
// calls' work units (ts-sdk/kernels/abi.ts), which is why a call is data and not a closure.
import type { Activation, ModelGraph, Node, Tensor } from '../model/graph.ts';
import type { Fields, KernelName, ParamsOfKernel, Ptr } from '../kernels/abi.ts';
import type { KernelSet } from './kernel-set.ts';

/** What a lowering reads: the graph and the pack's tensors (only while planning). */
export interface PlanInput {
  graph: ModelGraph;
  tensors: ReadonlyMap<string, Tensor>;
  activation(id: number): Activation;
  /** int8 3×3 stride-1 convs as exact Winograd F(2×2, 3×3) on maps of at least this many outputs; Infinity: never. */
  winogradMinOutputs: number;
}

/** Where the executor put things, handed to calls(). */
export interface Bindings {
  ks: KernelSet;
  /** Byte offset of an activation's buffer (the logits included). */
  act(id: number): Ptr;
  /** Byte offsets of this lowering's weight arrays, in the order it listed them. */
  weights: Ptr[];
  /** Byte offset of the scratch region shared by all steps (the largest need). */
  scratch: Ptr;
}

/** One kernel call: which kernel, and the values of its params block. */
export type KernelCall = { [N in KernelName]: { kernel: N; params: Fields<ParamsOfKernel<N>> } }[KernelName];

/** A KernelCall, typed by its kernel name (the params must be that kernel's block). */
export function call<N extends KernelName>(kernel: N, params: Fields<ParamsOfKernel<N>>): KernelCall {
  return { kernel, params } as KernelCall;
}

export interface Lowering {
  node: Node;
  /** Arrays to copy into the weight region, in the exact layout the kernels stream. */
  weights: ArrayBufferView[];
  /** Shared scratch bytes its calls need (im2col, Winograd input transform); 0 for none. */
  scratchBytes: number;
  /** Its kernel calls over fixed pointers, in order. Numbers only, never the pack's tensors. */
  calls(at: Bindings): KernelCall[];
}

/** The network input's conversion (NCHW f32 → the first activation), lowered the same way. */
export interface InputLowering {
  calls(at: { ks: KernelSet; input: Ptr; act(id: number): Ptr }): KernelCall[];
}

export function tensorData(p: PlanInput, name: string | undefined): Tensor['data'] {
  const t = name === undefined ? undefined : p.tensors.get(name);
  if (!t) throw new Error(`edge-resnet: tensor ${name} is missing from the model`);
  return t.data;
}
