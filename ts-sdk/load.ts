// load(): pack bytes → validated model → kernel module → laid-out arena → Classifier.
import { readPack } from './pack/index.ts';
import { kernelModule } from './kernels/module.ts';
import { readSource, type ByteSource } from './load/source.ts';
import { Executor } from './runtime/executor.ts';
import { Classifier } from './classifier.ts';
import type { LoadOptions } from './options.ts';

export async function load(source: ByteSource, options: LoadOptions = {}): Promise<Classifier> {
  const { onProgress, signal, maxMemoryBytes } = options;
  if (maxMemoryBytes !== undefined && !(Number.isFinite(maxMemoryBytes) && maxMemoryBytes > 0)) {
    throw new RangeError(`options.maxMemoryBytes must be a positive number of bytes, got ${String(maxMemoryBytes)}`);
  }
  const [bytes, kernels] = await Promise.all([
    readSource(source, { signal, what: 'the pack source', onProgress: (loaded, total) => onProgress?.({ phase: 'download', loaded, total }) }),
    (async () => {
      onProgress?.({ phase: 'compile', loaded: 0, total: 1 });
      const k = await kernelModule(options.wasm, options.simd, signal);
      onProgress?.({ phase: 'compile', loaded: 1, total: 1 });
      return k;
    })(),
  ]);
  onProgress?.({ phase: 'parse', loaded: 0, total: bytes.byteLength });
  const model = readPack(bytes);
  onProgress?.({ phase: 'parse', loaded: bytes.byteLength, total: bytes.byteLength });
  if (signal?.aborted) throw signal.reason;
  onProgress?.({ phase: 'plan', loaded: 0, total: 1 });
  const exec = await Executor.create(model, kernels.module, 'simd', { maxMemoryBytes });
  if (signal?.aborted) throw signal.reason; // aborted while instantiating: don't hand out a classifier
  onProgress?.({ phase: 'plan', loaded: 1, total: 1 });
  return new Classifier(model, exec, kernels.level);
}
