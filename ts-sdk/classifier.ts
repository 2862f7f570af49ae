// A loaded network: classify() and logits() of one image or an array of them, over one wasm
// memory — run on this thread or by worker threads (ts-sdk/threads/) — one call at a time.
import type { InputSpec, Model, Precision } from './model/graph.ts';
import type { SimdLevel } from './kernels/features.ts';
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
  /** Bytes of wasm memory this classifier holds (weights, activations, scratch; with threads, one context per thread). */
  memoryBytes: number;
  /** Threads that run each image (1: this thread, no workers). */
  threads: number;
  /** Why `threads` is fewer than load() was asked for (e.g. the page is not cross-origin isolated); absent otherwise. */
  threadsReason?: string;
}

/** What runs the network: the executor on this thread, or a pool of worker threads. */
export interface Engine {
  readonly memory: WebAssembly.Memory;
  readonly numClasses: number;
  run(input: Float32Array): Float32Array | Promise<Float32Array>;
  /** Several images, in input order (a pool runs one per thread); absent: one after another. */
  runBatch?(inputs: Float32Array[]): Promise<Float32Array[]>;
  /** Runs one image and returns a copy of activation `id` as the run left it (for the head's input, which no later step overwrites). */
  runAndRead(input: Float32Array, id: number): Float32Array | Uint8Array | Promise<Float32Array | Uint8Array>;
  dispose?(): void;
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
  private exec: Engine | undefined;
  private readonly inputLength: number;
  private readonly head: HeadInput;
  private queue: Promise<unknown> = Promise.resolve();

  /** @internal use load() */
  constructor(model: Model, exec: Engine, simd: SimdLevel, threads: { threads: number; reason?: string } = { threads: 1 }) {
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
      threads: threads.threads,
      ...(threads.reason === undefined ? {} : { threadsReason: threads.reason }),
    });
    this.inputLength = g.input.channels * g.input.height * g.input.width;
    this.head = headInput(g);
  }

  /** The top classes with softmax probabilities, highest first; for an array of images, one list per image, in input order. */
  classify(images: readonly ImageSource[], options?: ClassifyOptions | null): Promise<Prediction[][]>;
  classify(image: ImageSource, options?: ClassifyOptions | null): Promise<Prediction[]>;
  async classify(
    image: ImageSource | readonly ImageSource[],
    options: ClassifyOptions | null = {},
  ): Promise<Prediction[] | Prediction[][]> {
    const k = options?.topK ?? DEFAULT_CLASSIFY_OPTIONS.topK;
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`options.topK must be a positive integer, got ${String(k)}`);
    const top = (logits: Float32Array) => topK(logits, this.info.labels, Math.min(k, this.info.numClasses));
    if (Array.isArray(image)) return (await this.logits(image as readonly ImageSource[])).map(top);
    return top(await this.logits(image as ImageSource));
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
  /**
   * An array of images: their logits in input order. With several threads they run in
   * parallel, one image per thread — the fastest way through many images; every image gets
   * the bits a single call would give it.
   */
  logits(images: readonly ImageSource[]): Promise<Float32Array[]>;
  logits(image: ImageSource): Promise<Float32Array>;
  logits(image: ImageSource | readonly ImageSource[]): Promise<Float32Array | Float32Array[]> {
    // A promise-returning method rejects rather than throws, as classify() (async) does.
    if (!this.exec) return Promise.reject(new ClassifierDisposedError());
    const many = Array.isArray(image);
    let inputs: (Float32Array | Promise<Float32Array>)[];
    try {
      inputs = many ? (image as readonly ImageSource[]).map((x, i) => this.captureAt(x, i)) : [this.capture(image as ImageSource)];
    } catch (e) {
      return Promise.reject(e);
    }
    // One memory, not re-entrant: calls run one after another, in call order.
    const run = this.queue.then(async () => {
      const tensors = await Promise.all(inputs);
      const exec = this.live();
      if (!many) return exec.run(tensors[0]);
      if (exec.runBatch) return exec.runBatch(tensors);
      const out: Float32Array[] = [];
      for (const t of tensors) out.push(await exec.run(t));
      return out;
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
    if (typeof normalize !== 'boolean')
      return Promise.reject(new TypeError(`options.normalize must be a boolean, got ${typeof normalize}`));
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
      const embedding = toEmbedding(await this.live().runAndRead(tensor, activation), quant);
      return normalize ? normalizeL2(embedding) : embedding;
    });
    this.queue = run.catch(() => {});
    return run;
  }

  /** Frees the wasm memory and ends the worker threads. Safe to call twice; later calls to the classifier throw. */
  dispose(): void {
    this.exec?.dispose?.();
    this.exec = undefined;
  }

  get disposed(): boolean {
    return this.exec === undefined;
  }

  private live(): Engine {
    if (!this.exec) throw new ClassifierDisposedError();
    return this.exec;
  }

  /** capture() of an array's element: errors say which one. */
  private captureAt(image: ImageSource, index: number): Float32Array | Promise<Float32Array> {
    const at = (e: unknown) => {
      if (e instanceof Error) e.message = `images[${index}]: ${e.message}`;
      return e;
    };
    try {
      const x = this.capture(image);
      return x instanceof Promise ? x.catch((e) => Promise.reject(at(e))) : x;
    } catch (e) {
      throw at(e);
    }
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
        throw new RangeError(
          `a Float32Array input is a preprocessed 1×${c}×${h}×${w} tensor of ${this.inputLength} values; got ${image.length}`,
        );
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
