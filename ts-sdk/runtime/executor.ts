// The executor: lays a model out in one wasm memory once, then runs it as a fixed list of
// kernel calls over fixed pointers — inference allocates nothing and never grows memory.
// It knows no layout: each node's lowering (lower-int8.ts, lower-fp32.ts) reports its weight
// arrays and scratch need; the executor sums them, checks the memory limit, grows the memory
// once, copies the weights in, and binds each lowering to its pointers. After that nothing
// refers to the pack's tensors: the weights live only in wasm memory.
import { nodeInputs, type Model, type Node } from '../model/graph.ts';
import { instantiateKernels } from '../kernels/abi.ts';
import { align64, LivenessPlanner, Region } from './arena.ts';
import { kernelSet, type KernelVariant } from './kernel-set.ts';
import type { Lowering, PlanInput } from './lowering.ts';
import { lowerInt8, lowerInt8Input, WINOGRAD_MIN_OUTPUTS } from './lower-int8.ts';
import { lowerFp32, lowerFp32Input } from './lower-fp32.ts';
import { SLACK } from '../kernels/abi.ts';
import { PackFormatError } from '../pack/errors.ts';

export type Observer = (activationId: number, data: Float32Array | Uint8Array) => void;

const PAGE = 65536;
/** wasm32: 65536 pages. */
const MAX_MEMORY = 65536 * PAGE;
const mib = (b: number): string => `${(b / 2 ** 20).toFixed(1)} MiB`;

/** load()'s `maxMemoryBytes` is smaller than what the pack's network needs. */
export class MemoryLimitError extends RangeError {
  override name = 'MemoryLimitError';
  constructor(readonly neededBytes: number, readonly limitBytes: number, detail: string) {
    super(`this network needs ${detail}, more than options.maxMemoryBytes = ${limitBytes} (${mib(limitBytes)})`);
  }
}

export interface ExecutorOptions {
  /** int8: run 3×3 stride-1 convolutions as exact Winograd (bit-identical to im2col + GEMM). @defaultValue true for 'fast' */
  winograd?: boolean;
  /** ... on maps with at least this many outputs. @defaultValue WINOGRAD_MIN_OUTPUTS */
  winogradMinOutputs?: number;
  /** Refuse (MemoryLimitError) a plan needing more wasm memory than this. */
  maxMemoryBytes?: number;
}

/** A placed activation: where it lives, how many elements, which element type. */
interface Placed { ptr: number; length: number; float: boolean }

interface Plan {
  memory: WebAssembly.Memory;
  steps: { output: number; run: () => void }[];
  runInput: () => void;
  inputPtr: number;
  inputLength: number;
  inputId: number;
  numClasses: number;
  activations: Map<number, Placed>;
}

export class Executor {
  readonly memory: WebAssembly.Memory;
  readonly numClasses: number;
  private constructor(private readonly plan: Plan) {
    this.memory = plan.memory;
    this.numClasses = plan.numClasses;
  }

  static async create(model: Model, module: WebAssembly.Module, variant: KernelVariant = 'fast', options: ExecutorOptions = {}): Promise<Executor> {
    const g = model.graph;
    const activations = new Map(g.activations.map((a) => [a.id, a]));
    const winograd = options.winograd ?? variant === 'fast';
    const input: PlanInput = {
      graph: g, tensors: model.tensors, activation: (id) => activations.get(id)!,
      winogradMinOutputs: winograd ? options.winogradMinOutputs ?? WINOGRAD_MIN_OUTPUTS : Infinity,
    };
    const int8 = g.precision === 'int8';
    const lowerings: Lowering[] = g.nodes.map((n) => (int8 ? lowerInt8 : lowerFp32)(input, n));
    const inputLowering = (int8 ? lowerInt8Input : lowerFp32Input)(input);

    // Sizes: weights as the lowerings will place them, activations by liveness, one scratch.
    const weightBytes = lowerings.reduce((s, l) => s + l.weights.reduce((t, w) => t + align64(w.byteLength + SLACK), 0), 0);
    const elemBytes = (id: number) => (id === g.outputId || !int8 ? 4 : 1);
    const elems = (id: number) => activations.get(id)!.shape.reduce((a, b) => a * b, 1);
    const { offsets, highWater } = placeByLiveness(g.nodes, g.inputId, g.outputId, (id) => elems(id) * elemBytes(id));
    const scratchBytes = Math.max(64, ...lowerings.map((l) => l.scratchBytes));
    const inputLength = g.input.channels * g.input.height * g.input.width;
    const numClasses = activations.get(g.outputId)!.shape[2];

    const memory = new WebAssembly.Memory({ initial: 1 });
    const k = await instantiateKernels(module, memory);
    const base = k.heapBase();
    const ioBytes = align64(scratchBytes + SLACK) + align64(inputLength * 4 + SLACK) + align64(numClasses * 4 + SLACK);
    const total = Math.ceil((align64(base) + weightBytes + highWater + ioBytes) / PAGE) * PAGE;
    // Sizes come from the pack: a small file can declare a network no wasm32 memory can hold
    // (a huge input times an im2col scratch). Refuse it by name before asking the engine.
    const needs = () => `${mib(total)} of WebAssembly memory (weights ${mib(weightBytes)}, activations ${mib(highWater)}, scratch ${mib(scratchBytes)}, input ${mib(inputLength * 4)})`;
    if (total > MAX_MEMORY) throw new PackFormatError('INCONSISTENT_SHAPES', `this network needs ${needs()}, more than the 4 GiB a wasm32 memory can address`);
    if (options.maxMemoryBytes !== undefined && total > options.maxMemoryBytes) throw new MemoryLimitError(total, options.maxMemoryBytes, needs());
    try {
      memory.grow(total / PAGE - memory.buffer.byteLength / PAGE);
    } catch (e) {
      throw new RangeError(`this network needs ${needs()} and the engine could not provide it (${(e as Error).message})`);
    }

    // Place: weights from heapBase, then activations, then scratch, input and logits.
    const bytes = new Uint8Array(memory.buffer);
    const weights = new Region(base);
    const place = (data: ArrayBufferView): number => {
      const p = weights.take(data.byteLength);
      bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), p);
      return p;
    };
    const actBase = align64(base) + weightBytes;
    const io = new Region(actBase + highWater);
    const scratch = io.take(scratchBytes);
    const inputPtr = io.take(inputLength * 4);
    const logits = io.take(numClasses * 4);
    const act = (id: number): number => (id === g.outputId ? logits : actBase + offsets.get(id)!);

    const ks = kernelSet(k, variant);
    const steps = lowerings.map((l) => ({ output: l.node.output, run: l.bind({ ks, act, scratch, weights: l.weights.map(place) }) }));
    const placed = new Map([...activations.keys()].map((id) => [id, { ptr: act(id), length: elems(id), float: elemBytes(id) === 4 }]));
    return new Executor({
      memory, steps, runInput: inputLowering.bind({ ks, input: inputPtr, act }), inputPtr, inputLength, inputId: g.inputId, numClasses, activations: placed,
    });
  }

  /**
   * Runs the network on a preprocessed NCHW tensor; returns the logits (a fresh array).
   * `observe` sees every activation right after it is written (a view into the arena: copy
   * what you keep).
   */
  run(input: Float32Array, observe?: Observer): Float32Array {
    const p = this.plan;
    if (input.length !== p.inputLength) {
      throw new RangeError(`expected an input tensor of ${p.inputLength} values (1×C×H×W), got ${input.length}`);
    }
    new Float32Array(this.memory.buffer, p.inputPtr, p.inputLength).set(input);
    p.runInput();
    if (observe) observe(p.inputId, this.view(p.inputId));
    for (const s of p.steps) {
      s.run();
      if (observe) observe(s.output, this.view(s.output));
    }
    return this.view(p.steps[p.steps.length - 1].output).slice() as Float32Array;
  }

  private view(id: number): Float32Array | Uint8Array {
    const a = this.plan.activations.get(id)!;
    return a.float ? new Float32Array(this.memory.buffer, a.ptr, a.length) : new Uint8Array(this.memory.buffer, a.ptr, a.length);
  }
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
