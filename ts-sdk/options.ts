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
   * thread) and batches (one image per thread). 'auto': the cores this process may use, up to
   * 8. Where threads are impossible (no SharedArrayBuffer: a page without cross-origin
   * isolation, Cloudflare Workers / workerd; no worker API) the classifier runs on one thread
   * and `info.threadsReason` says why. Each extra thread costs memory (README, "Threads").
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
