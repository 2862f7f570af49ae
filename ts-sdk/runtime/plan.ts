// The plan: a model lowered to a flat list of kernel calls (data: kernel name, work units,
// params block) and laid out in one wasm memory. Sizes come from the lowerings; this file
// only sums and places:
//   [heapBase) weights | context 0 … context C−1 | local 0 … local T−1 | sync
// A context is what one image in flight needs — activations (placed by liveness), the shared
// scratch, the input, the logits and the params blocks of every call, which point into that
// context. C = 1 for one image at a time (on one thread or split across threads); a batch on
// T threads uses T contexts. Each thread has its own local scratch (Winograd's U' and
// accumulators). Every buffer starts 64-byte aligned and is followed by SLACK bytes.
import { nodeInputs, type Activation, type Model, type Node } from '../model/graph.ts';
import {
  asPtr,
  localBytesOf,
  paramsBytes,
  unitsOf,
  writeParams,
  KERNELS,
  SLACK,
  type Fields,
  type KernelExports,
  type KernelName,
  type ParamsKind,
  type ParamsPtr,
  type Ptr,
} from '../kernels/abi.ts';
import { align64, LivenessPlanner, Region } from './arena.ts';
import { kernelSet, type KernelVariant } from './kernel-set.ts';
import type { Bindings, KernelCall, Lowering, PlanInput } from './lowering.ts';
import { lowerInt8, lowerInt8Input, WINOGRAD_MIN_OUTPUTS } from './lower-int8.ts';
import { lowerFp32, lowerFp32Input } from './lower-fp32.ts';
import { PackFormatError } from '../pack/errors.ts';

const PAGE = 65536;
/** wasm32: 65536 pages. */
const MAX_MEMORY = 65536 * PAGE;
/** Bytes of the region threads synchronise on (ts-sdk/threads/). */
export const SYNC_BYTES = 256;
const mib = (b: number): string => `${(b / 2 ** 20).toFixed(1)} MiB`;

/** load()'s `maxMemoryBytes` is smaller than what the pack's network needs. */
export class MemoryLimitError extends RangeError {
  override name = 'MemoryLimitError';
  constructor(
    readonly neededBytes: number,
    readonly limitBytes: number,
    detail: string,
  ) {
    super(`this network needs ${detail}, more than options.maxMemoryBytes = ${limitBytes} (${mib(limitBytes)})`);
  }
}

export interface PlanOptions {
  /** int8: run 3×3 stride-1 convolutions as exact Winograd (bit-identical to im2col + GEMM). @defaultValue true for 'simd' */
  winograd?: boolean;
  /** ... on maps with at least this many outputs. @defaultValue WINOGRAD_MIN_OUTPUTS */
  winogradMinOutputs?: number;
  /** Refuse (MemoryLimitError) a plan needing more wasm memory than this. */
  maxMemoryBytes?: number;
}

/** One kernel call of the plan, as data a worker can run. */
export interface Step {
  kernel: KernelName;
  /** Work units: any partition of [0, units) across threads gives the same bits. */
  units: number;
  /** The activation complete after this step (a node's last call), for observers. */
  writes?: number;
  /** Threads splitting this step must all finish it before any starts the next (see sharesUnits). */
  barrier: boolean;
}

/**
 * Whether a call only reads what the same work units of the previous call wrote, so threads
 * (which take the same unit ranges of equal unit counts) need no barrier between the two: the
 * GEMM after its im2col when both are split by groups of MR rows (the GEMM's units are row
 * groups when those outnumber its channel blocks).
 */
function sharesUnits(prev: KernelCall, next: KernelCall): boolean {
  if (!prev.kernel.startsWith('qu8_im2col_4c2') || !next.kernel.startsWith('qu8_qc8w_gemm_minmax_4x8c2')) return false;
  const p = prev.params as Fields<'qu8_im2col'>,
    n = next.params as Fields<'qu8_gemm'>;
  const groups = Math.ceil(n.M / 4);
  return p.a === n.a && Math.ceil((p.OH * p.OW) / 4) === groups && groups >= Math.ceil(n.N / 8);
}

export interface Context {
  act(id: number): Ptr;
  input: Ptr;
  params(step: number): ParamsPtr;
}

export interface Plan {
  steps: Step[];
  inputLength: number;
  numClasses: number;
  outputId: number;
  activations: Map<number, { length: number; float: boolean }>;
  /** Pages × 65536: the memory the plan fills. */
  totalBytes: number;
  /** The bytes one more context costs (a batch's extra thread). */
  contextBytes: number;
  /** What the network needs, in words, for errors. */
  needs: string;
  context(c: number): Context;
  local(thread: number): Ptr;
  sync: Ptr;
  /** Copies the weights and writes every context's params blocks (once, into fresh memory); then lets the pack's arrays go. */
  write(buffer: ArrayBuffer | SharedArrayBuffer): void;
}

export function planModel(
  model: Model,
  kernels: KernelExports,
  variant: KernelVariant,
  options: PlanOptions,
  shape: { contexts: number; threads: number },
): Plan {
  const g = model.graph;
  const activations = new Map(g.activations.map((a) => [a.id, a]));
  const int8 = g.precision === 'int8';
  // Released by write(): the lowerings hold the pack's weight arrays, and nothing may keep the
  // pack alive once the weights are in wasm memory (a classifier holds only its memory).
  const lowered = lowerModel(model, activations, variant, options);
  const inputLowering = lowered.inputLowering;
  let lowerings: Lowering[] | undefined = lowered.lowerings;
  const ks = kernelSet(kernels, variant);

  // Weights: placed once, in the lowerings' order.
  const base = align64(kernels.heapBase());
  const weightRegion = new Region(base);
  const weightPtrs = lowered.lowerings.map((l) => l.weights.map((w) => asPtr(weightRegion.take(w.byteLength))));
  const weightBytes = weightRegion.end - base;

  // One context: activations by liveness, then scratch, input, logits, params blocks.
  const elemBytes = (id: number) => (id === g.outputId || !int8 ? 4 : 1);
  const elems = (id: number) => activations.get(id)!.shape.reduce((a, b) => a * b, 1);
  const { offsets, highWater } = placeByLiveness(g.nodes, g.inputId, g.outputId, (id) => elems(id) * elemBytes(id));
  const scratchBytes = Math.max(64, ...lowered.lowerings.map((l) => l.scratchBytes));
  const inputLength = g.input.channels * g.input.height * g.input.width;
  const numClasses = activations.get(g.outputId)!.shape[2];
  const io = new Region(highWater);
  const scratchAt = io.take(scratchBytes),
    inputAt = io.take(inputLength * 4),
    logitsAt = io.take(numClasses * 4);
  const paramsAt = io.end;

  const bindingsAt = (ctxBase: number) => {
    const act = (id: number) => asPtr(ctxBase + (id === g.outputId ? logitsAt : offsets.get(id)!));
    return { act, scratch: asPtr(ctxBase + scratchAt), input: asPtr(ctxBase + inputAt) };
  };
  const callsAt = (ctxBase: number): { call: KernelCall; writes?: number }[] => {
    const { act, scratch, input: inputPtr } = bindingsAt(ctxBase);
    const calls: { call: KernelCall; writes?: number }[] = inputLowering.calls({ ks, input: inputPtr, act }).map((call) => ({ call }));
    calls[calls.length - 1].writes = g.inputId;
    lowerings!.forEach((l, i) => {
      const at: Bindings = { ks, act, scratch, weights: weightPtrs[i] };
      const own = l.calls(at).map((call) => ({ call }) as { call: KernelCall; writes?: number });
      own[own.length - 1].writes = l.node.output;
      calls.push(...own);
    });
    return calls;
  };
  const sample = callsAt(0);
  const kindOf = (c: KernelCall): ParamsKind => KERNELS[c.kernel].params;
  const paramsOffsets: number[] = [];
  let paramsEnd = paramsAt;
  for (const { call } of sample) {
    paramsOffsets.push(paramsEnd);
    paramsEnd += paramsBytes(kindOf(call));
  }
  const contextBytes = align64(paramsEnd + SLACK);
  const localBytes = align64(Math.max(64, ...sample.map(({ call }) => localBytesOf(kindOf(call), call.params))) + SLACK);

  const contextsAt = base + weightBytes;
  const localsAt = contextsAt + shape.contexts * contextBytes;
  const syncAt = localsAt + shape.threads * localBytes;
  const totalBytes = Math.ceil((syncAt + SYNC_BYTES) / PAGE) * PAGE;
  const needs = `${mib(totalBytes)} of WebAssembly memory (weights ${mib(weightBytes)}, activations ${mib(highWater)}, scratch ${mib(scratchBytes)}, input ${mib(inputLength * 4)}${shape.contexts > 1 ? `, × ${shape.contexts} images in flight` : ''})`;
  // Sizes come from the pack: a small file can declare a network no wasm32 memory can hold
  // (a huge input times an im2col scratch). Refuse it by name before asking the engine.
  if (totalBytes > MAX_MEMORY)
    throw new PackFormatError('INCONSISTENT_SHAPES', `this network needs ${needs}, more than the 4 GiB a wasm32 memory can address`);
  if (options.maxMemoryBytes !== undefined && totalBytes > options.maxMemoryBytes)
    throw new MemoryLimitError(totalBytes, options.maxMemoryBytes, needs);

  const context = (c: number): Context => {
    const ctxBase = contextsAt + c * contextBytes,
      { act, input: inputPtr } = bindingsAt(ctxBase);
    return { act, input: inputPtr, params: (i) => asPtr(ctxBase + paramsOffsets[i]) as ParamsPtr };
  };
  return {
    steps: sample.map(({ call, writes }, i) => ({
      kernel: call.kernel,
      units: unitsOf(kindOf(call), call.params),
      ...(writes === undefined ? {} : { writes }),
      barrier: i + 1 < sample.length && !sharesUnits(call, sample[i + 1].call),
    })),
    inputLength,
    numClasses,
    outputId: g.outputId,
    activations: new Map([...activations.keys()].map((id) => [id, { length: elems(id), float: elemBytes(id) === 4 }])),
    totalBytes,
    contextBytes,
    needs,
    context,
    local: (t) => asPtr(localsAt + t * localBytes),
    sync: asPtr(syncAt),
    write(buffer) {
      if (!lowerings) throw new Error('edge-resnet internal error: a plan is written once');
      const bytes = new Uint8Array(buffer);
      lowerings.forEach((l, i) =>
        l.weights.forEach((w, j) => bytes.set(new Uint8Array(w.buffer, w.byteOffset, w.byteLength), weightPtrs[i][j])),
      );
      for (let c = 0; c < shape.contexts; c++) {
        const ctxBase = contextsAt + c * contextBytes;
        callsAt(ctxBase).forEach(({ call }, i) => writeParams(buffer, asPtr(ctxBase + paramsOffsets[i]), kindOf(call), call.params));
      }
      lowerings = undefined;
    },
  };
}

/**
 * Each node's lowering and the input's. A function of its own so that the planner's closures,
 * which live as long as the classifier, never share a scope with the pack's tensors.
 */
function lowerModel(model: Model, activations: Map<number, Activation>, variant: KernelVariant, options: PlanOptions) {
  const g = model.graph;
  const winograd = options.winograd ?? variant === 'simd';
  const input: PlanInput = {
    graph: g,
    tensors: model.tensors,
    activation: (id) => activations.get(id)!,
    winogradMinOutputs: winograd ? (options.winogradMinOutputs ?? WINOGRAD_MIN_OUTPUTS) : Infinity,
  };
  const int8 = g.precision === 'int8';
  return {
    lowerings: g.nodes.map((n) => (int8 ? lowerInt8 : lowerFp32)(input, n)),
    inputLowering: (int8 ? lowerInt8Input : lowerFp32Input)(input),
  };
}

/**
 * Activation offsets by liveness: an activation lives from the node that writes it to the
 * last node that reads it; the network input from the start. The logits have their own buffer.
 */
function placeByLiveness(nodes: Node[], inputId: number, outputId: number, bytesOf: (id: number) => number) {
  const lastUse = new Map<number, number>();
  nodes.forEach((n, i) => nodeInputs(n).forEach((id) => lastUse.set(id, i)));
  const planner = new LivenessPlanner();
  const offsets = new Map<number, number>([[inputId, planner.alloc(bytesOf(inputId))]]);
  nodes.forEach((n, i) => {
    if (n.output !== outputId) offsets.set(n.output, planner.alloc(bytesOf(n.output)));
    for (const id of new Set(nodeInputs(n))) {
      if (lastUse.get(id) === i && id !== outputId) planner.release(offsets.get(id)!, bytesOf(id));
    }
  });
  return { offsets, highWater: planner.highWater };
}
