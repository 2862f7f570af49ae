// The engines under test, behind one interface: infer() takes a preprocessed image (the
// float tensor in each engine's own layout, made beforehand: NCHW for ours and ONNX, NHWC
// for tfjs) to logits.
import * as ort from 'onnxruntime-web';
import * as tf from '@tensorflow/tfjs-core';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { load } from '../ts-sdk/index.ts';
import { detectFeatures, type SimdLevel } from '../ts-sdk/index.ts';
import { buildTfjsResnet, type ModelSet } from './models/index.ts';

/** One normalized image in both layouts. */
export interface Input {
  nchw: Float32Array;
  nhwc: Float32Array;
}

export function toInput(nchw: Float32Array, C: number, H: number, W: number): Input {
  const nhwc = new Float32Array(nchw.length);
  for (let c = 0; c < C; c++) for (let i = 0; i < H * W; i++) nhwc[i * C + c] = nchw[c * H * W + i];
  return { nchw, nhwc };
}

export type EngineId = 'edge-int8-simd' | 'edge-int8-relaxed' | 'edge-int8-t2' | 'edge-fp32' | 'ort-int8' | 'ort-fp32' | 'tfjs-fp32';
/** edge-int8-t2: ours on 2 worker threads (every other engine runs on one). */
export const ALL_ENGINES: EngineId[] = [
  'edge-int8-simd',
  'edge-int8-relaxed',
  'edge-int8-t2',
  'edge-fp32',
  'ort-int8',
  'ort-fp32',
  'tfjs-fp32',
];

export interface Engine {
  id: EngineId;
  label: string;
  infer(x: Input): Promise<Float32Array>;
  /** Bytes of wasm memory the engine holds, where it says. */
  memoryBytes?: number;
  dispose(): Promise<void>;
}

/**
 * onnxruntime-web's wasm backend, no proxy worker, every graph optimization; one thread unless
 * the process asks for more (ORT reads numThreads once, when it starts: one count per process).
 */
export function configureOrt(threads = 1): void {
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.proxy = false;
}

let tfReady: Promise<void> | undefined;
/** tfjs with the wasm backend (SIMD build; Node has no threaded build, and we ask for one thread anyway). */
export function tfjsReady(): Promise<void> {
  tfReady ??= (async () => {
    setThreadsCount(1);
    if (!(await tf.setBackend('wasm'))) throw new Error('tfjs: the wasm backend failed to initialise');
    await tf.ready();
  })();
  return tfReady;
}

/** Which engines this runtime can run (relaxed SIMD needs --experimental-wasm-relaxed-simd on Node 20). */
export function availableEngines(wanted: EngineId[]): { ids: EngineId[]; skipped: string[] } {
  const relaxed = detectFeatures().relaxedSimd;
  const ids = wanted.filter((id) => id !== 'edge-int8-relaxed' || relaxed);
  const skipped =
    wanted.includes('edge-int8-relaxed') && !relaxed
      ? ['edge-int8-relaxed: this engine has no relaxed SIMD (Node 20: --experimental-wasm-relaxed-simd)']
      : [];
  return { ids, skipped };
}

export function engineVersions(): Record<string, string> {
  return {
    'onnxruntime-web': ort.env.versions.web ?? '?',
    '@tensorflow/tfjs-core': tf.version_core,
    node: process.versions.node,
    v8: process.versions.v8,
  };
}

/** `ortThreads`: onnxruntime-web's numThreads for this process (the first ORT engine fixes it). */
export async function createEngine(id: EngineId, m: ModelSet, ortThreads = 1): Promise<Engine> {
  const { size } = m;
  if (id.startsWith('edge-')) {
    const precision = id === 'edge-fp32' ? 'fp32' : 'int8';
    const simd: SimdLevel | undefined = id === 'edge-int8-simd' ? 'simd' : id === 'edge-int8-relaxed' ? 'relaxed' : undefined;
    const threads = id === 'edge-int8-t2' ? 2 : 1;
    const clf = await load(precision === 'int8' ? m.bytes.int8Pack : m.bytes.fp32Pack, { simd, threads });
    return {
      id,
      label: `edge-resnet ${precision} (${clf.info.simd})${clf.info.threads > 1 ? `, ${clf.info.threads} threads` : ''}`,
      memoryBytes: clf.info.memoryBytes,
      infer: (x) => clf.logits(x.nchw),
      dispose: async () => clf.dispose(),
    };
  }
  if (id.startsWith('ort-')) {
    configureOrt(ortThreads);
    const int8 = id === 'ort-int8';
    const session = await ort.InferenceSession.create(int8 ? m.bytes.qdqOnnx : m.bytes.fp32Onnx, {
      executionProviders: ['wasm'],
      graphOptimizationLevel: 'all',
    });
    return {
      id,
      label: `onnxruntime-web ${int8 ? 'int8 QDQ' : 'fp32'}${ortThreads > 1 ? `, ${ortThreads} threads` : ''}`,
      infer: async (x) => {
        const out = await session.run({ [m.inputName]: new ort.Tensor('float32', x.nchw, [1, 3, size, size]) });
        const y = out[m.outputName];
        const data = (y.data as Float32Array).slice();
        for (const t of Object.values(out)) t.dispose();
        return data;
      },
      dispose: () => session.release(),
    };
  }
  await tfjsReady();
  const net = buildTfjsResnet(tf, m.float);
  return { id, label: 'tfjs-backend-wasm fp32', infer: (x) => net.run(x.nhwc), dispose: async () => net.dispose() };
}
