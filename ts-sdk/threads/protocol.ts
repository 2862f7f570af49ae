// Messages between a classifier and its worker threads (worker-main.ts runs in each worker).
// A plan is data: per step a kernel name and its work units, per context the params block of
// each step; the workers share the classifier's memory, so only pointers travel.

export interface InitMessage {
  type: 'init';
  /** The shared-memory kernel build, compiled once (engines share its code, and its tier-up, across threads). */
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** Per step: kernel export name and work units. */
  kernels: string[];
  units: number[];
  /** Per step: whether all threads wait for each other after it (plan.ts, Step.barrier). */
  barriers: boolean[];
  /** params[context][step]: the step's params block in that context. */
  params: number[][];
  /** This thread's index, the thread count, its private scratch and the barrier words (2 × i32). */
  thread: number;
  threads: number;
  local: number;
  sync: number;
}

/**
 * 'split': every thread runs its share of every step of context 0, with a barrier between
 * steps (one image on all threads). 'whole': this thread runs every step of `context` alone
 * (one image of a batch per thread).
 */
export interface RunMessage {
  type: 'run';
  mode: 'split' | 'whole';
  context: number;
  /** Echoed in the reply. */
  job: number;
}

export type ToWorker = InitMessage | RunMessage;

export type FromWorker =
  | { type: 'ready'; thread: number }
  | { type: 'done'; thread: number; job: number }
  | { type: 'error'; thread: number; message: string };
