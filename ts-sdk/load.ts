// load(): pack bytes → validated model → kernel module → laid-out arena (on this thread, or
// shared by worker threads) → Classifier.
import { readPack } from './pack/index.ts';
import { kernelModule, threadsKernelModule } from './kernels/module.ts';
import { readSource, type ByteSource } from './load/source.ts';
import { Executor } from './runtime/executor.ts';
import { Classifier, type Engine } from './classifier.ts';
import { DEFAULT_LOAD_OPTIONS, type LoadOptions } from './options.ts';
import { checkThreadsOption, chooseThreads } from './threads/choose.ts';
import { ThreadPool, WorkerThreadError } from './threads/pool.ts';

export async function load(source: ByteSource, options: LoadOptions = {}): Promise<Classifier> {
  const { onProgress, signal, maxMemoryBytes } = options;
  if (maxMemoryBytes !== undefined && !(Number.isFinite(maxMemoryBytes) && maxMemoryBytes > 0)) {
    throw new RangeError(`options.maxMemoryBytes must be a positive number of bytes, got ${String(maxMemoryBytes)}`);
  }
  const threadsOption = checkThreadsOption(options.threads ?? DEFAULT_LOAD_OPTIONS.threads);
  const [bytes, kernels, choice] = await Promise.all([
    readSource(source, {
      signal,
      what: 'the pack source',
      onProgress: (loaded, total) => onProgress?.({ phase: 'download', loaded, total }),
    }),
    (async () => {
      onProgress?.({ phase: 'compile', loaded: 0, total: 1 });
      const k = await kernelModule(options.wasm, options.simd, signal);
      onProgress?.({ phase: 'compile', loaded: 1, total: 1 });
      return k;
    })(),
    chooseThreads(threadsOption),
  ]);
  onProgress?.({ phase: 'parse', loaded: 0, total: bytes.byteLength });
  const model = readPack(bytes);
  onProgress?.({ phase: 'parse', loaded: bytes.byteLength, total: bytes.byteLength });
  if (signal?.aborted) throw signal.reason;
  onProgress?.({ phase: 'plan', loaded: 0, total: 1 });
  let engine: Engine | undefined;
  let threads: { threads: number; reason?: string } = choice;
  if (choice.spawn) {
    try {
      engine = await ThreadPool.create(model, await threadsKernelModule(kernels.level), choice.threads, choice.spawn, { maxMemoryBytes });
    } catch (e) {
      // Workers the runtime refuses to start (a CSP without worker-src blob:, a sandbox) or a
      // forbidden compile: one thread, and info says why. Memory limits stay errors.
      if (!(e instanceof WorkerThreadError || (e instanceof Error && e.name === 'RuntimeFeatureError'))) throw e;
      threads = { threads: 1, reason: e.message };
    }
  }
  engine ??= await Executor.create(model, kernels.module, 'simd', { maxMemoryBytes });
  if (signal?.aborted) {
    engine.dispose?.();
    throw signal.reason; // aborted while instantiating: don't hand out a classifier
  }
  onProgress?.({ phase: 'plan', loaded: 1, total: 1 });
  return new Classifier(model, engine, kernels.level, threads);
}
