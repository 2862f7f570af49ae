// A loaded network: classify() and logits() over one wasm instance, one call at a time.
import type { InputSpec, Model, Precision } from './model/graph.ts';
import type { SimdLevel } from './kernels/features.ts';
import type { Executor } from './runtime/executor.ts';
import { preprocess, toImageData, type BrowserImageSource, type ImageInput } from './preprocess/index.ts';
import { DEFAULT_CLASSIFY_OPTIONS, DEFAULT_EMBED_OPTIONS, type ClassifyOptions, type EmbedOptions } from './options.ts';
import { headInput, normalizeL2, toEmbedding, type HeadInput } from './head/embedding.ts';
import { topK, type Prediction } from './topk.ts';

export interface ClassifierInfo {
  arch: string;
  precision: Precision;
  /** What the network was trained on and is for, as its pack says (`convert --description`); absent when the pack does not say. */
  description?: string;
  /** [height, width] of the network input. */
  inputSize: [number, number];
  numClasses: number;
  labels: readonly string[];
  /** How images are turned into the input tensor; `preprocess(image, info)` applies it. */
  input: InputSpec;
  /** Kernel build in use. */
  simd: SimdLevel;
  /** Bytes of wasm memory this classifier holds (weights, activations, scratch). */
  memoryBytes: number;
}

/**
 * An image classify() and logits() accept: pixels (`ImageInput`; `ImageData` fits), a browser
 * image source, or an already preprocessed 1×C×H×W tensor.
 */
export type ImageSource = ImageInput | Float32Array | BrowserImageSource;

export class ClassifierDisposedError extends Error {
  override name = 'ClassifierDisposedError';
  constructor() {
    super('this classifier was disposed; load() a new one');
  }
}

export class Classifier {
  readonly info: ClassifierInfo;
  private exec: Executor | undefined;
  private readonly inputLength: number;
  private readonly head: HeadInput;
  private queue: Promise<unknown> = Promise.resolve();

  /** @internal use load() */
  constructor(model: Model, exec: Executor, simd: SimdLevel) {
    const g = model.graph;
    this.exec = exec;
    this.info = Object.freeze({
      arch: g.arch,
      precision: g.precision,
      ...(typeof model.extra?.description === 'string' ? { description: model.extra.description } : {}),
      inputSize: [g.input.height, g.input.width] as [number, number],
      numClasses: exec.numClasses,
      labels: Object.freeze([...g.labels]),
      input: Object.freeze({ ...g.input }),
      simd,
      memoryBytes: exec.memory.buffer.byteLength,
    });
    this.inputLength = g.input.channels * g.input.height * g.input.width;
    this.head = headInput(g);
  }

  /** The top classes with softmax probabilities, highest first. */
  async classify(image: ImageSource, options: ClassifyOptions | null = {}): Promise<Prediction[]> {
    const k = options?.topK ?? DEFAULT_CLASSIFY_OPTIONS.topK;
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`options.topK must be a positive integer, got ${String(k)}`);
    const logits = await this.logits(image);
    return topK(logits, this.info.labels, Math.min(k, this.info.numClasses));
  }

  /**
   * Raw logits. A Float32Array is taken as an already preprocessed 1×C×H×W NCHW tensor, as
   * torch and ONNX take it; anything else is preprocessed as the pack says.
   *
   * The input is read when the call is made, not when its turn in the queue comes: pixels are
   * preprocessed (and a tensor copied) before this returns, so the caller may reuse or change
   * its buffers at once (a camera loop refilling one frame). Each queued call holds its own
   * input tensor (C·H·W floats: 588 KiB at 224×224) until it runs.
   */
  logits(image: ImageSource): Promise<Float32Array> {
    // A promise-returning method rejects rather than throws, as classify() (async) does.
    if (!this.exec) return Promise.reject(new ClassifierDisposedError());
    let input: Float32Array | Promise<Float32Array>;
    try {
      input = this.capture(image);
    } catch (e) {
      return Promise.reject(e);
    }
    // The wasm instance is not re-entrant: calls run one after another, in call order.
    const run = this.queue.then(async () => {
      const tensor = await input;
      return this.live().run(tensor);
    });
    this.queue = run.catch(() => {});
    return run;
  }

  /**
   * The image's embedding: the pooled feature vector the classification head reads (512 values
   * for ResNet-18/34, 2048 for bottleneck ResNets), as real numbers — for an int8 pack each is
   * fround(scale · (q − zeroPoint)) of the pooled u8 activation, so the pack's fc weights applied
   * to it give the logits bit for bit (ts-sdk/head/embedding.ts). Same bits on every engine as
   * the logits. For similarity search, on-device heads (trainHead), clustering.
   *
   * An array of images gives an array of embeddings, one call per image in order (inputs are
   * captured at call time, as logits() does).
   */
  // The array overload first: an array is also an `object`, which ImageSource admits.
  embed(images: readonly ImageSource[], options?: EmbedOptions | null): Promise<Float32Array[]>;
  embed(image: ImageSource, options?: EmbedOptions | null): Promise<Float32Array>;
  embed(image: ImageSource | readonly ImageSource[], options: EmbedOptions | null = {}): Promise<Float32Array | Float32Array[]> {
    const normalize = options?.normalize ?? DEFAULT_EMBED_OPTIONS.normalize;
    if (typeof normalize !== 'boolean') return Promise.reject(new TypeError(`options.normalize must be a boolean, got ${typeof normalize}`));
    if (Array.isArray(image)) return Promise.all(image.map((im: ImageSource) => this.embed(im, options)));
    if (!this.exec) return Promise.reject(new ClassifierDisposedError());
    let input: Float32Array | Promise<Float32Array>;
    try {
      input = this.capture(image as ImageSource);
    } catch (e) {
      return Promise.reject(e);
    }
    const { activation, quant } = this.head;
    const run = this.queue.then(async () => {
      const tensor = await input;
      let embedding: Float32Array | undefined;
      this.live().run(tensor, (id, data) => {
        if (id === activation) embedding = toEmbedding(data, quant);
      });
      return normalize ? normalizeL2(embedding!) : embedding!;
    });
    this.queue = run.catch(() => {});
    return run;
  }

  /** Frees the wasm memory. Safe to call twice; later calls to the classifier throw. */
  dispose(): void {
    this.exec = undefined;
  }

  get disposed(): boolean {
    return this.exec === undefined;
  }

  private live(): Executor {
    if (!this.exec) throw new ClassifierDisposedError();
    return this.exec;
  }

  /**
   * The network input for `image`, taken now: a checked copy of a tensor, the preprocessed
   * pixels of an image, or — for a browser source — its pixels drawn now (toImageData draws
   * canvases, bitmaps and video frames synchronously; only a Blob, which cannot change, and an
   * <img> still loading are read later).
   */
  private capture(image: ImageSource): Float32Array | Promise<Float32Array> {
    if (image instanceof Float32Array) {
      if (image.length !== this.inputLength) {
        const { channels: c } = this.info.input;
        const [h, w] = this.info.inputSize;
        throw new RangeError(`a Float32Array input is a preprocessed 1×${c}×${h}×${w} tensor of ${this.inputLength} values; got ${image.length}`);
      }
      for (let i = 0; i < image.length; i++) {
        if (!Number.isFinite(image[i])) throw new RangeError(`the input tensor holds a non-finite value (${image[i]}) at index ${i}`);
      }
      return image.slice();
    }
    if (isPixelImage(image)) return preprocess(image, this.info.input);
    return toImageData(image).then((pixels) => preprocess(pixels, this.info.input));
  }
}

// An object with pixel `data` is meant as an ImageInput (no browser image source has one), so
// a missing width or height is reported by preprocess's validation, which names the field.
function isPixelImage(x: unknown): x is ImageInput {
  return typeof x === 'object' && x !== null && 'data' in x;
}
