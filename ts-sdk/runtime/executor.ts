// The executor: lays a model out in one wasm memory once, then runs it as a fixed list of
// kernel calls over fixed pointers — inference allocates nothing and never grows memory.
import { nodeInputs, type Activation, type Model, type Node } from '../model/graph.ts';
import { instantiateKernels } from '../kernels/abi.ts';
import { roundUp } from '../kernels/packing.ts';
import { align64, LivenessPlanner, Region } from './arena.ts';
import { kernelSet, type KernelSet, type KernelVariant } from './kernel-set.ts';
import { buildInt8Steps, usesWinograd, winogradScratch, WINOGRAD_MIN_OUTPUTS } from './steps-int8.ts';
import { buildFp32Steps } from './steps-fp32.ts';
import { PackFormatError } from '../pack/errors.ts';

export type Observer = (activationId: number, data: Float32Array | Uint8Array) => void;

/** What a step builder gets: where things are, and how to place weights. */
export interface PlanContext {
  model: Model;
  ks: KernelSet;
  /** Byte offset of each activation's buffer. */
  act: Map<number, number>;
  actInfo: Map<number, Activation>;
  scratch: number;
  /** Run 3×3 stride-1 convolutions as exact Winograd (int8; bit-identical to im2col + GEMM). */
  winograd: boolean;
  /** ... on maps with at least this many outputs (steps-int8.ts WINOGRAD_MIN_OUTPUTS). */
  winogradMinOutputs: number;
  input: number;
  logits: number;
  /** Copies a typed array into the weight region (already reserved) and returns its offset. */
  place(data: ArrayBufferView): number;
}

export interface Step {
  node: Node;
  run(): void;
}

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

export class Executor {
  private constructor(
    readonly memory: WebAssembly.Memory,
    private readonly steps: Step[],
    private readonly inputPtr: number,
    private readonly inputLen: number,
    private readonly logitsPtr: number,
    readonly numClasses: number,
    private readonly runInput: () => void,
    private readonly model: Model,
    private readonly act: Map<number, number>,
    /** Bytes of wasm memory the plan uses (weights + activations + scratch + io). */
    readonly arenaBytes: number,
  ) {}

  static async create(model: Model, module: WebAssembly.Module, variant: KernelVariant = 'fast', options: { winograd?: boolean; winogradMinOutputs?: number; maxMemoryBytes?: number } = {}): Promise<Executor> {
    const winograd = options.winograd ?? variant === 'fast';
    const winogradMinOutputs = options.winogradMinOutputs ?? WINOGRAD_MIN_OUTPUTS;
    const g = model.graph;
    const memory = new WebAssembly.Memory({ initial: 1 });
    const k = await instantiateKernels(module, memory);
    const ks = kernelSet(k, variant);
    const elem = g.precision === 'int8' ? 1 : 4;
    const actInfo = new Map(g.activations.map((a) => [a.id, a]));
    const actBytes = (id: number) => {
      const a = actInfo.get(id)!;
      return a.shape[0] * a.shape[1] * a.shape[2] * (id === g.outputId ? 4 : elem);
    };

    // Weights: sum the sizes first so memory is grown exactly once.
    const weightTensors = weightTensorNames(g.nodes).map((n) => model.tensors.get(n)!);
    let weightBytes = 0;
    for (const t of weightTensors) weightBytes += align64(roundUp(t.data.byteLength, 64) + 64 + 64);

    // Activations by liveness: an activation lives from the node that writes it to the last
    // node that reads it; the network input lives from the start.
    const lastUse = new Map<number, number>();
    g.nodes.forEach((n, i) => nodeInputs(n).forEach((id) => lastUse.set(id, i)));
    const planner = new LivenessPlanner();
    const actOff = new Map<number, number>();
    actOff.set(g.inputId, planner.alloc(actBytes(g.inputId)));
    g.nodes.forEach((n, i) => {
      if (n.output !== g.outputId) actOff.set(n.output, planner.alloc(actBytes(n.output)));
      for (const id of new Set(nodeInputs(n))) {
        if (lastUse.get(id) === i && id !== g.outputId) planner.release(actOff.get(id)!, actBytes(id));
      }
    });

    const scratchBytes = Math.max(64, ...g.nodes.map((n) => scratchBytesOf(n, actInfo, g.precision, winograd, winogradMinOutputs)));
    const inputLen = g.input.channels * g.input.height * g.input.width;
    const numClasses = actInfo.get(g.outputId)!.shape[2];

    const base = k.heapBase();
    const total = align64(base) + weightBytes + planner.highWater + align64(scratchBytes + 64) + align64(inputLen * 4 + 64) + align64(numClasses * 4 + 64) + 4096;
    // Sizes come from the pack: a small file can declare a network no wasm32 memory can hold
    // (a huge input times an im2col scratch). Refuse it by name before asking the engine.
    const needs = () => `${mib(total)} of WebAssembly memory (weights ${mib(weightBytes)}, activations ${mib(planner.highWater)}, scratch ${mib(scratchBytes)}, input ${mib(inputLen * 4)})`;
    if (total > MAX_MEMORY) throw new PackFormatError('INCONSISTENT_SHAPES', `this network needs ${needs()}, more than the 4 GiB a wasm32 memory can address`);
    if (options.maxMemoryBytes !== undefined && total > options.maxMemoryBytes) throw new MemoryLimitError(total, options.maxMemoryBytes, needs());
    try {
      memory.grow(Math.ceil((total - memory.buffer.byteLength) / PAGE));
    } catch (e) {
      throw new RangeError(`this network needs ${needs()} and the engine could not provide it (${(e as Error).message})`);
    }

    const weights = new Region(base);
    const bytes = new Uint8Array(memory.buffer);
    const place = (data: ArrayBufferView): number => {
      const p = weights.take(data.byteLength);
      bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), p);
      return p;
    };
    // Reserve the weight region's full size now; step builders fill it in order.
    const actBase = align64(base + weightBytes);
    const act = new Map([...actOff].map(([id, off]) => [id, actBase + off]));
    const io = new Region(actBase + planner.highWater);
    const scratch = io.take(scratchBytes);
    const input = io.take(inputLen * 4);
    const logits = io.take(numClasses * 4);
    if (io.end > memory.buffer.byteLength) throw new Error(`edge-resnet internal error: arena overflow (${io.end} > ${memory.buffer.byteLength})`);

    const ctx: PlanContext = { model, ks, act, actInfo, scratch, winograd, winogradMinOutputs, input, logits, place };
    const built = g.precision === 'int8' ? buildInt8Steps(ctx) : buildFp32Steps(ctx);
    if (weights.end > actBase) throw new Error('edge-resnet internal error: weight region overflow');
    return new Executor(memory, built.steps, input, inputLen, logits, numClasses, built.input, model, act, io.end - base);
  }

  /**
   * Runs the network on a preprocessed NCHW tensor; returns the logits (a fresh array).
   * `observe` sees every activation right after it is written (a view into the arena: copy
   * what you keep).
   */
  run(input: Float32Array, observe?: Observer): Float32Array {
    if (input.length !== this.inputLen) {
      throw new RangeError(`expected an input tensor of ${this.inputLen} values (1×C×H×W), got ${input.length}`);
    }
    new Float32Array(this.memory.buffer, this.inputPtr, this.inputLen).set(input);
    this.runInput();
    if (observe) observe(this.model.graph.inputId, this.view(this.model.graph.inputId));
    for (const s of this.steps) {
      s.run();
      if (observe) observe(s.node.output, this.view(s.node.output));
    }
    return new Float32Array(this.memory.buffer, this.logitsPtr, this.numClasses).slice();
  }

  private view(id: number): Float32Array | Uint8Array {
    const g = this.model.graph;
    if (id === g.outputId) return new Float32Array(this.memory.buffer, this.logitsPtr, this.numClasses);
    const a = g.activations.find((x) => x.id === id)!;
    const n = a.shape[0] * a.shape[1] * a.shape[2];
    const p = this.act.get(id)!;
    return g.precision === 'int8' ? new Uint8Array(this.memory.buffer, p, n) : new Float32Array(this.memory.buffer, p, n);
  }
}


function weightTensorNames(nodes: Node[]): string[] {
  const names: string[] = [];
  for (const n of nodes) {
    if (n.op === 'conv' || n.op === 'fc') {
      names.push(n.weight, n.bias);
      if (n.weightScale) names.push(n.weightScale);
    }
  }
  return names;
}

function scratchBytesOf(n: Node, info: Map<number, Activation>, precision: string, winograd: boolean, minOutputs: number): number {
  if (n.op === 'fc') return 4 * roundUp(n.cin, 2) * 2 + roundUp(n.cout, 8) * 8;
  if (n.op !== 'conv') return 0;
  const [OH, OW] = info.get(n.output)!.shape;
  const K = n.kernelH * n.kernelW * n.cin;
  if (precision === 'int8' && winograd && usesWinograd(n, OH, OW, minOutputs)) {
    const [H, W] = info.get(n.input)!.shape;
    return winogradScratch(0, H, W, roundUp(n.cin, 2)).end;
  }
  if (precision === 'int8') return roundUp(OH * OW, 4) * roundUp(K, 2) * 2;
  const direct = n.kernelH === 1 && n.kernelW === 1 && n.stride === 1 && n.pad.every((p) => p === 0);
  return direct ? 0 : OH * OW * K * 4;
}
