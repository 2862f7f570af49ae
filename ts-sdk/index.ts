// edge-resnet: offline image classification with int8 ResNets on WebAssembly SIMD.
import type { InputSpec } from './model/graph.ts';
import type { ImageInput } from './preprocess/index.ts';
import { preprocess as preprocessWith } from './preprocess/index.ts';

export { load } from './load.ts';
export { Classifier, ClassifierDisposedError, type ClassifierInfo, type ImageSource } from './classifier.ts';
export {
  DEFAULT_CLASSIFY_OPTIONS,
  DEFAULT_EMBED_OPTIONS,
  DEFAULT_TRAIN_HEAD_OPTIONS,
  type ClassifyOptions,
  type EmbedOptions,
  type LoadOptions,
  type LoadProgress,
  type LoadPhase,
  type HeadMethod,
  type HeadTrainingProgress,
  type TrainHeadOptions,
} from './options.ts';
export { trainHead, TrainedHead, HEAD_LIMITS, type HeadTrainingSet, type HeadTrainingSummary, type SaveHeadOptions } from './head/index.ts';
export type { Prediction } from './topk.ts';
export { PackFormatError, type PackErrorCode } from './pack/index.ts';
export { MemoryLimitError } from './runtime/executor.ts';
export { RuntimeFeatureError, detectFeatures, type SimdLevel, type WasmFeatures } from './kernels/features.ts';
export type { ImageInput } from './preprocess/index.ts';
export type { InputSpec, Precision } from './model/graph.ts';

/** The exact NCHW Float32Array classify() feeds the network (`spec`: a classifier's `info`, or its `info.input`). */
export function preprocess(image: ImageInput, spec: InputSpec | { input: InputSpec }): Float32Array {
  return preprocessWith(image, 'input' in spec ? spec.input : spec);
}
