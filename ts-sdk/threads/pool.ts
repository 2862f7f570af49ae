// A plan run by N worker threads on one shared memory. One image: every thread runs its share
// of each step's work units, a barrier between steps (the calling thread never blocks: it
// waits for a message). A batch: each thread runs whole images in its own context (weights
// shared, activations its own), no barriers. Both give the single-thread bits (plan.ts).
// A small network's image runs whole on one thread: its layers are too short to pay for the
// barriers between them (SPLIT_MIN_MACS).
import { networkMacs } from '../model/cost.ts';
import type { Model } from '../model/graph.ts';
import { instantiateKernels } from '../kernels/abi.ts';
import { planModel, type Plan, type PlanOptions } from '../runtime/plan.ts';
import type { FromWorker, RunMessage } from './protocol.ts';
import type { Spawner, WorkerLike } from './spawn.ts';

const PAGE = 65536;

/**
 * Below this many multiply-accumulates per image, one image runs whole on one worker instead
 * of split across all. Measured on 2 threads (bench/RESULTS.md): a CIFAR ResNet-20 at 32×32
 * (41 M) took 3.3× its one-thread time split, waking the workers at every layer's barrier
 * (2026-12-02 22:23), 1.5× whole (2026-12-03 07:55); ResNet-18 at 64×64 (149 M) gained from
 * splitting (0.79–0.92×, bench/threads-shipped.ts).
 */
export const SPLIT_MIN_MACS = 100e6;

/** A worker failed (a crash, or the runtime refused to start it). The classifier cannot be used further. */
export class WorkerThreadError extends Error {
  override name = 'WorkerThreadError';
}

export class ThreadPool {
  private jobs = 0;
  private readonly pending = new Map<number, { left: number; resolve: () => void; reject: (e: Error) => void }>();
  private failure: Error | undefined;

  private constructor(
    readonly plan: Plan,
    readonly memory: WebAssembly.Memory,
    private readonly workers: WorkerLike[],
    /** Whether one image is split across the threads (else it runs whole on the first). */
    readonly splitsImages: boolean,
  ) {
    workers.forEach((w) => {
      w.onMessage((m) => this.onMessage(m));
      w.onError((e) => this.fail(new WorkerThreadError(`a worker thread failed: ${e instanceof Error ? e.message : String(e)}`)));
    });
  }

  get threads(): number {
    return this.workers.length;
  }

  get numClasses(): number {
    return this.plan.numClasses;
  }

  /** Plans `model` for `threads` threads (a context each, for batches), starts them and waits until each has instantiated the kernels. */
  static async create(
    model: Model,
    module: WebAssembly.Module,
    threads: number,
    spawn: Spawner,
    options: PlanOptions & { splitMinMacs?: number },
  ): Promise<ThreadPool> {
    // The plan needs the kernels' heap base, so it is made over a one-page instance; the shared
    // memory is then made at exactly its size (a shared memory cannot be grown past its maximum).
    const probe = await instantiateKernels(module, new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }));
    const plan = planModel(model, probe, 'simd', options, { contexts: threads, threads });
    const pages = plan.totalBytes / PAGE;
    let memory: WebAssembly.Memory;
    try {
      memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    } catch (e) {
      throw new RangeError(
        `this network on ${threads} threads needs ${plan.needs} and the engine could not provide it (${(e as Error).message})`,
      );
    }
    plan.write(memory.buffer);
    const workers: WorkerLike[] = [];
    try {
      for (let t = 0; t < threads; t++) {
        try {
          workers.push(spawn());
        } catch (e) {
          // A Content-Security-Policy without worker-src blob:, a sandboxed frame: the runtime refuses.
          throw new WorkerThreadError(`starting a worker thread failed: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      const pool = new ThreadPool(plan, memory, workers, networkMacs(model.graph) >= (options.splitMinMacs ?? SPLIT_MIN_MACS));
      await pool.start(module);
      return pool;
    } catch (e) {
      workers.forEach((w) => w.terminate());
      throw e;
    }
  }

  private async start(module: WebAssembly.Module): Promise<void> {
    const p = this.plan;
    const params = Array.from({ length: this.threads }, (_, c) => p.steps.map((_, i) => p.context(c).params(i) as number));
    const ready = this.expect(this.threads, -1);
    this.workers.forEach((w, t) =>
      w.post({
        type: 'init',
        module,
        memory: this.memory,
        kernels: p.steps.map((s) => s.kernel),
        units: p.steps.map((s) => s.units),
        barriers: p.steps.map((s) => s.barrier),
        params,
        thread: t,
        threads: this.threads,
        local: p.local(t),
        sync: p.sync,
      }),
    );
    await ready;
    // Node: attaching the message listener refs a worker again, so an idle pool would keep the
    // process alive until its first job; let go now (a job refs the workers while it runs).
    this.workers.forEach((w) => w.keepAlive(false));
  }

  /** One image: on all threads, or whole on the first for a small network. */
  async run(input: Float32Array): Promise<Float32Array> {
    this.write(0, input);
    await this.runOne();
    return this.read(0);
  }

  /**
   * One image on all threads; returns a copy of activation `id` as the run left it — valid for
   * an activation no later step overwrites (the head's input: only the fc follows it).
   */
  async runAndRead(input: Float32Array, id: number): Promise<Float32Array | Uint8Array> {
    this.write(0, input);
    await this.runOne();
    const a = this.plan.activations.get(id);
    if (!a) throw new RangeError(`activation ${id} is not in this network`);
    const at = this.plan.context(0).act(id);
    return a.float ? new Float32Array(this.memory.buffer, at, a.length).slice() : new Uint8Array(this.memory.buffer, at, a.length).slice();
  }

  /** Images in input order, one per thread at a time (each in its thread's context). */
  async runBatch(inputs: Float32Array[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < inputs.length; i += this.threads) {
      const round = inputs.slice(i, i + this.threads);
      // A lone last image runs as a single image does.
      if (round.length === 1) {
        out.push(await this.run(round[0]));
        continue;
      }
      round.forEach((x, c) => this.write(c, x));
      await this.dispatch(round.map((_, c) => ({ mode: 'whole', context: c })));
      round.forEach((_, c) => out.push(this.read(c)));
    }
    return out;
  }

  private runOne(): Promise<void> {
    return this.dispatch(this.splitsImages ? this.workers.map(() => ({ mode: 'split', context: 0 })) : [{ mode: 'whole', context: 0 }]);
  }

  dispose(): void {
    this.workers.forEach((w) => w.terminate());
    this.fail(new WorkerThreadError('the classifier was disposed'));
  }

  private write(context: number, input: Float32Array): void {
    if (input.length !== this.plan.inputLength) {
      throw new RangeError(`expected an input tensor of ${this.plan.inputLength} values (1×C×H×W), got ${input.length}`);
    }
    new Float32Array(this.memory.buffer, this.plan.context(context).input, input.length).set(input);
  }

  private read(context: number): Float32Array {
    const p = this.plan;
    return new Float32Array(this.memory.buffer, p.context(context).act(p.outputId), p.numClasses).slice();
  }

  /** Posts one run message per listed worker (worker t gets runs[t]) and waits for all of them. */
  private async dispatch(runs: Pick<RunMessage, 'mode' | 'context'>[]): Promise<void> {
    if (this.failure) throw this.failure;
    const job = ++this.jobs;
    const done = this.expect(runs.length, job);
    // Busy workers keep a Node process alive until the answer is in; idle ones never do.
    this.workers.forEach((w) => w.keepAlive(true));
    runs.forEach((r, t) => this.workers[t].post({ type: 'run', ...r, job }));
    try {
      await done;
    } finally {
      this.workers.forEach((w) => w.keepAlive(false));
    }
  }

  private expect(count: number, job: number): Promise<void> {
    return new Promise((resolve, reject) => this.pending.set(job, { left: count, resolve, reject }));
  }

  private onMessage(m: FromWorker): void {
    if (m.type === 'error') return this.fail(new WorkerThreadError(`worker thread ${m.thread} failed: ${m.message}`));
    const waiter = this.pending.get(m.type === 'ready' ? -1 : m.job);
    if (waiter && --waiter.left === 0) {
      this.pending.delete(m.type === 'ready' ? -1 : m.job);
      waiter.resolve();
    }
  }

  /** A failed thread may leave the others waiting at a barrier: end them all; every later call rejects. */
  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    this.workers.forEach((w) => w.terminate());
    for (const w of this.pending.values()) w.reject(e);
    this.pending.clear();
  }
}
