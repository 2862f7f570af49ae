// A head trainHead() fitted: it classifies embeddings at once, with exactly the arithmetic of
// the pack it saves as (toPack), so what the browser showed before the download is what the
// pack answers after it.
import type { Model, Precision } from '../model/graph.ts';
import { writePack } from '../pack/index.ts';
import { DEFAULT_CLASSIFY_OPTIONS, type ClassifyOptions, type HeadMethod } from '../options.ts';
import { topK, type Prediction } from '../topk.ts';
import { headLogits, type HeadWeights } from './fc-head.ts';
import { withHead } from './pack-head.ts';

/** How a head was trained; saved in the pack's metadata (`extra.head`). */
export interface HeadTrainingSummary {
  method: HeadMethod;
  examples: number;
  /** Examples per class, in class order. */
  perClass: number[];
  /** logistic only. */
  l2?: number;
  iterations: number;
  /** The final objective (logistic); null for nearest-mean. */
  loss: number | null;
  /** Why the optimizer stopped: 'gradient' or 'decrease' (converged), 'iterations' (hit maxIterations), 'line-search', or 'closed form'. */
  stop: string;
}

export interface SaveHeadOptions {
  /** What the new pack is for (info.description, `edge-resnet inspect`). @defaultValue the classes, the example count and the backbone's description */
  description?: string;
}

export class TrainedHead {
  readonly classes: readonly string[];
  /** The base pack's precision, which the head takes: int8 (quantized as the converter does) or fp32. */
  readonly precision: Precision;
  readonly training: Readonly<HeadTrainingSummary>;

  /** @internal use trainHead() */
  constructor(
    private readonly base: Model,
    private readonly head: HeadWeights,
    classes: string[],
    training: HeadTrainingSummary,
  ) {
    this.classes = Object.freeze([...classes]);
    this.precision = head.precision;
    this.training = Object.freeze({ ...training, perClass: Object.freeze([...training.perClass]) as number[] });
  }

  /** The logits the saved pack gives an image with this embedding: bit for bit for int8 packs, and for fp32 packs on the simd kernel build. */
  logits(embedding: Float32Array): Float32Array {
    return headLogits(this.head, embedding);
  }

  /** The top classes for an embedding, as Classifier.classify() returns them for the image. */
  classify(embedding: Float32Array, options: ClassifyOptions | null = {}): Prediction[] {
    const k = options?.topK ?? DEFAULT_CLASSIFY_OPTIONS.topK;
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`options.topK must be a positive integer, got ${String(k)}`);
    return topK(this.logits(embedding), this.classes, Math.min(k, this.classes.length));
  }

  /** The base pack with this head and these classes in place of its own: the bytes of a pack load() and `edge-resnet classify` run. */
  toPack(options: SaveHeadOptions | null = {}): Uint8Array {
    const description = options?.description ?? this.defaultDescription();
    if (typeof description !== 'string' || description.length === 0) throw new TypeError('options.description must be a non-empty string');
    const { description: backbone, ...provenance } = this.base.extra ?? {};
    const head = { ...this.training, ...(typeof backbone === 'string' ? { backbone } : {}) };
    return writePack(withHead(this.base, this.head, this.classes, { ...provenance, description, head }));
  }

  private defaultDescription(): string {
    const { arch, precision } = this.base.graph;
    const n = this.classes.length;
    const names = n <= 6 ? this.classes.join(', ') : `${this.classes.slice(0, 5).join(', ')}, … ${this.classes[n - 1]}`;
    // The backbone's own description up to its first colon: what it is, not what its old classes were.
    const backbone =
      typeof this.base.extra?.description === 'string' ? this.base.extra.description.split(':')[0].slice(0, 120) : `${arch} ${precision}`;
    return `${n} classes (${names}), a head trained on ${this.training.examples} images over the backbone of ${backbone}`;
  }
}
