// Options of load() and classify(), with their defaults in one place.
import type { SimdLevel } from './kernels/features.ts';
import type { WasmSource } from './kernels/module.ts';

export type LoadPhase = 'download' | 'parse' | 'compile' | 'plan';

export interface LoadProgress {
  phase: LoadPhase;
  /** Bytes (download) or steps done. */
  loaded: number;
  total?: number;
}

export interface LoadOptions {
  /**
   * The kernel module: a precompiled `WebAssembly.Module` (required on Cloudflare Workers,
   * which forbid compiling wasm at run time: `import wasm from 'edge-resnet/kernels-simd.wasm'`),
   * or its bytes or URL.
   * @defaultValue the build embedded in the package that suits the engine
   */
  wasm?: WasmSource;
  /**
   * Force a kernel build: 'simd' (baseline 128-bit SIMD) or 'relaxed' (relaxed SIMD; fp32 uses
   * fused multiply-add). int8 results are identical in both.
   * @defaultValue 'relaxed' where the engine supports it, else 'simd'
   */
  simd?: SimdLevel;
  /** Called as the pack downloads and the classifier is set up. */
  onProgress?: (p: LoadProgress) => void;
  /** Aborts loading. */
  signal?: AbortSignal;
  /**
   * Refuse, with a MemoryLimitError, a pack whose network needs more WebAssembly memory than
   * this (weights + activations + scratch), before any is allocated. Guards a service that
   * loads packs it did not make: a small file can declare a network that needs gigabytes.
   * @defaultValue no limit beyond the 4 GiB a wasm32 memory can address
   */
  maxMemoryBytes?: number;
  /**
   * Worker threads that run each image (its layers split across them, the same bits as one
   * thread) and batches (one image per thread); one image of a network under 100 M
   * multiply-accumulates runs whole on one of them, as splitting its short layers costs more
   * than it saves. 'auto': the cores this process may use, up to 8. Where threads are
   * impossible (no SharedArrayBuffer: a page without cross-origin isolation, Cloudflare
   * Workers / workerd; no worker API) the classifier runs on one thread and
   * `info.threadsReason` says why. Each extra thread costs memory (README, "Threads").
   * @defaultValue DEFAULT_LOAD_OPTIONS.threads
   */
  threads?: number | 'auto';
}

export const DEFAULT_LOAD_OPTIONS: Readonly<Pick<Required<LoadOptions>, 'threads'>> = Object.freeze({ threads: 1 });

export interface ClassifyOptions {
  /**
   * How many classes to return, highest score first.
   * @defaultValue 5
   */
  topK?: number;
}

export const DEFAULT_CLASSIFY_OPTIONS: Readonly<Required<ClassifyOptions>> = Object.freeze({ topK: 5 });

export interface EmbedOptions {
  /**
   * Scale each embedding to unit Euclidean length (cosine similarity is then a dot product).
   * Off gives exactly what the network's classification head sees.
   * @defaultValue false
   */
  normalize?: boolean;
}

export const DEFAULT_EMBED_OPTIONS: Readonly<Required<EmbedOptions>> = Object.freeze({ normalize: false });

/** How trainHead() fits the new head to the embeddings. */
export type HeadMethod = 'logistic' | 'nearest-mean';

export interface HeadTrainingProgress {
  /** Optimizer iterations done (nearest-mean: 1 when done). */
  iteration: number;
  maxIterations: number;
  /** The objective after this iteration: mean cross-entropy + (l2/2)·‖W‖² (nearest-mean: NaN). */
  loss: number;
}

export interface TrainHeadOptions {
  /**
   * 'logistic': multinomial logistic regression (softmax cross-entropy, L2-regularized, L-BFGS
   * from zero on standardized embeddings). 'nearest-mean': each class is the mean of its
   * standardized examples with a shared variance (no optimization; for one or two images per
   * class). Either is a linear head, which is what a pack holds.
   * @defaultValue 'logistic'
   */
  method?: HeadMethod;
  /**
   * L2 penalty on the weights (of standardized features), added to the mean cross-entropy as
   * (l2/2)·‖W‖². Larger is smoother; smaller fits the examples more closely.
   * @defaultValue 1e-3
   */
  l2?: number;
  /** Stop after this many L-BFGS iterations if not converged before. @defaultValue 300 */
  maxIterations?: number;
  /** Called after each iteration. */
  onProgress?: (p: HeadTrainingProgress) => void;
  /** Aborts training: the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

export const DEFAULT_TRAIN_HEAD_OPTIONS: Readonly<Required<Pick<TrainHeadOptions, 'method' | 'l2' | 'maxIterations'>>> = Object.freeze({
  method: 'logistic',
  l2: 1e-3,
  maxIterations: 300,
});
