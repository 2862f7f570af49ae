// The benchmark's model files: fixtures, our packs, the QDQ peer model, the tfjs peer network.
export { prepareModels, type ModelOptions, type ModelSet } from './prepare.ts';
export { writeQdqOnnx, type QdqOptions } from './qdq-onnx.ts';
export { buildTfjsResnet, type TfjsNet } from './tfjs-resnet.ts';
export { ROOT, OUT_DIR } from './cache.ts';
