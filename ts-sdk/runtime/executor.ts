// The executor: lays a model out in one wasm memory once, then runs it as a fixed list of
// kernel calls over fixed pointers — inference allocates nothing and never grows memory.
// It knows no layout: each node's lowering (lower-int8.ts, lower-fp32.ts) reports its weight
// arrays, its scratch need and its kernel calls as data; plan.ts sums and places, the executor
// grows the memory once, copies the weights and params blocks in, and runs the calls. After
// that nothing refers to the pack's tensors: the weights live only in wasm memory.
import type { Model } from '../model/graph.ts';
import { instantiateKernels, type KernelExports, type KernelFn } from '../kernels/abi.ts';
import type { KernelVariant } from './kernel-set.ts';
import { planModel, type Plan, type PlanOptions } from './plan.ts';

export { MemoryLimitError } from './plan.ts';
export type ExecutorOptions = PlanOptions;

export type Observer = (activationId: number, data: Float32Array | Uint8Array) => void;

const PAGE = 65536;

export class Executor {
  readonly memory: WebAssembly.Memory;
  readonly numClasses: number;
  private readonly fns: KernelFn[];

  private constructor(
    readonly plan: Plan,
    kernels: KernelExports,
    memory: WebAssembly.Memory,
  ) {
    this.memory = memory;
    this.numClasses = plan.numClasses;
    this.fns = plan.steps.map((s) => kernels[s.kernel] as KernelFn);
  }

  /**
   * Plans `model` over a fresh memory: instantiates the kernels, lays everything out (one
   * context), grows the memory once and writes the weights and params blocks.
   */
  static async create(
    model: Model,
    module: WebAssembly.Module,
    variant: KernelVariant = 'simd',
    options: ExecutorOptions = {},
  ): Promise<Executor> {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const kernels = await instantiateKernels(module, memory);
    const plan = planModel(model, kernels, variant, options, { contexts: 1, threads: 1 });
    try {
      memory.grow(plan.totalBytes / PAGE - memory.buffer.byteLength / PAGE);
    } catch (e) {
      throw new RangeError(`this network needs ${plan.needs} and the engine could not provide it (${(e as Error).message})`);
    }
    plan.write(memory.buffer);
    return new Executor(plan, kernels, memory);
  }

  /**
   * Runs the network on a preprocessed NCHW tensor; returns the logits (a fresh array).
   * `observe` sees every activation right after it is written (a view into the arena: copy
   * what you keep).
   */
  run(input: Float32Array, observe?: Observer): Float32Array {
    const p = this.plan,
      ctx = p.context(0);
    if (input.length !== p.inputLength) {
      throw new RangeError(`expected an input tensor of ${p.inputLength} values (1×C×H×W), got ${input.length}`);
    }
    new Float32Array(this.memory.buffer, ctx.input, p.inputLength).set(input);
    const local = p.local(0);
    p.steps.forEach((s, i) => {
      this.fns[i](ctx.params(i), 0, s.units, local);
      if (observe && s.writes !== undefined) observe(s.writes, this.view(s.writes));
    });
    return this.view(p.outputId).slice() as Float32Array;
  }

  /** Runs the network and returns a copy of activation `id` as written (e.g. the head's input). */
  runAndRead(input: Float32Array, id: number): Float32Array | Uint8Array {
    let copy: Float32Array | Uint8Array | undefined;
    this.run(input, (a, data) => {
      if (a === id) copy = data.slice();
    });
    if (!copy) throw new RangeError(`activation ${id} is not in this network`);
    return copy;
  }

  private view(id: number): Float32Array | Uint8Array {
    const a = this.plan.activations.get(id)!,
      ptr = this.plan.context(0).act(id);
    return a.float ? new Float32Array(this.memory.buffer, ptr, a.length) : new Uint8Array(this.memory.buffer, ptr, a.length);
  }
}
