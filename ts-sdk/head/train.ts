// trainHead(): a new classification head for a pack's backbone, fitted to embeddings of the
// user's own images (Classifier.embed), ready to classify and to be saved as a pack. Every input
// is checked and bounded before anything is allocated from it; training is deterministic (f64,
// fixed order, exact-math.ts), so the same inputs give the same pack bytes in every runtime.
import { readPack } from '../pack/index.ts';
import { DEFAULT_TRAIN_HEAD_OPTIONS, type HeadMethod, type TrainHeadOptions } from '../options.ts';
import type { Quant } from '../model/graph.ts';
import { headInput } from './embedding.ts';
import { embeddingSteps, makeHead } from './fc-head.ts';
import { standardize } from './standardize.ts';
import { TrainedHead } from './trained-head.ts';

export interface HeadTrainingSet {
  /** One embedding per example: Classifier.embed() output (not normalized) of the same pack. */
  embeddings: readonly Float32Array[];
  /** The class index of each embedding, in [0, classes.length). */
  labels: ArrayLike<number>;
  /** Class names, in class-index order; they become the new pack's labels. */
  classes: readonly string[];
}

/** Bounds on what one call may ask for (memory is ~8 bytes per example value, plus 25 copies of the weights). */
export const HEAD_LIMITS = Object.freeze({
  maxClasses: 10_000,
  maxExampleValues: 16_777_216,
  maxWeights: 2_097_152,
  maxIterations: 100_000,
  maxLabelLength: 1_000,
});

export async function trainHead(
  basePack: Uint8Array | ArrayBuffer,
  set: HeadTrainingSet,
  options: TrainHeadOptions | null = {},
): Promise<TrainedHead> {
  const o = checkOptions(options ?? {});
  if (!(basePack instanceof Uint8Array) && !(basePack instanceof ArrayBuffer)) {
    throw new TypeError(
      `trainHead: the base pack must be a Uint8Array or ArrayBuffer of pack bytes, got ${Object.prototype.toString.call(basePack).slice(8, -1)}`,
    );
  }
  // Our own copy: the caller may reuse its buffer, and the tensors we keep view these bytes.
  const base = readPack(basePack instanceof ArrayBuffer ? new Uint8Array(basePack.slice(0)) : basePack.slice());
  const { fc, quant } = headInput(base.graph);
  const { y, classes } = checkSet(set, fc.cin, quant);
  if (o.signal?.aborted) throw o.signal.reason;

  const examples = standardize(set.embeddings, fc.cin);
  // The optimizer loads on first use: a page that only classifies never downloads it.
  const { fitLinearHead } = await import('./linear-head.ts');
  const { w, b, summary } = await fitLinearHead(examples, y, classes.length, o);
  return new TrainedHead(base, makeHead(w, b, quant), classes, summary);
}

function checkOptions(o: TrainHeadOptions) {
  const method: HeadMethod = o.method ?? DEFAULT_TRAIN_HEAD_OPTIONS.method;
  if (method !== 'logistic' && method !== 'nearest-mean')
    throw new RangeError(`options.method must be 'logistic' or 'nearest-mean', got ${JSON.stringify(method)}`);
  const l2 = o.l2 ?? DEFAULT_TRAIN_HEAD_OPTIONS.l2;
  if (typeof l2 !== 'number' || !(l2 >= 0 && l2 < Infinity))
    throw new RangeError(`options.l2 must be a finite number ≥ 0, got ${String(l2)}`);
  const maxIterations = o.maxIterations ?? DEFAULT_TRAIN_HEAD_OPTIONS.maxIterations;
  if (!Number.isInteger(maxIterations) || maxIterations < 1 || maxIterations > HEAD_LIMITS.maxIterations) {
    throw new RangeError(`options.maxIterations must be an integer in [1, ${HEAD_LIMITS.maxIterations}], got ${String(maxIterations)}`);
  }
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') throw new TypeError('options.onProgress must be a function');
  if (o.signal !== undefined && !(typeof o.signal === 'object' && o.signal !== null && 'aborted' in o.signal))
    throw new TypeError('options.signal must be an AbortSignal');
  return { method, l2, maxIterations, onProgress: o.onProgress, signal: o.signal };
}

function checkSet(set: HeadTrainingSet, dims: number, quant: Quant | undefined) {
  if (typeof set !== 'object' || set === null) throw new TypeError('trainHead: expected a training set { embeddings, labels, classes }');
  const { embeddings, labels, classes } = set;
  if (!Array.isArray(classes)) throw new TypeError('trainHead: set.classes must be an array of class names');
  if (classes.length < 2 || classes.length > HEAD_LIMITS.maxClasses)
    throw new RangeError(`trainHead: set.classes must name 2 to ${HEAD_LIMITS.maxClasses} classes, got ${classes.length}`);
  classes.forEach((c, i) => {
    // A lone surrogate would be written to the pack as U+FFFD and come back as another name.
    if (typeof c !== 'string' || c.length === 0 || c.length > HEAD_LIMITS.maxLabelLength || /\p{Cs}/u.test(c)) {
      throw new TypeError(
        `trainHead: set.classes[${i}] must be a non-empty, well-formed string of at most ${HEAD_LIMITS.maxLabelLength} characters, got ${typeof c === 'string' ? `${c.length} characters` : typeof c}`,
      );
    }
  });
  if (classes.length * dims > HEAD_LIMITS.maxWeights)
    throw new RangeError(
      `trainHead: ${classes.length} classes × ${dims} embedding values is more weights than the limit of ${HEAD_LIMITS.maxWeights}`,
    );
  if (!Array.isArray(embeddings)) throw new TypeError('trainHead: set.embeddings must be an array of Float32Array');
  const n = embeddings.length;
  if (n === 0) throw new RangeError('trainHead: set.embeddings is empty');
  if (n * dims > HEAD_LIMITS.maxExampleValues)
    throw new RangeError(
      `trainHead: ${n} examples × ${dims} values exceed the limit of ${HEAD_LIMITS.maxExampleValues} (${Math.floor(HEAD_LIMITS.maxExampleValues / dims)} examples for this backbone)`,
    );
  if (typeof labels !== 'object' || labels === null || labels.length !== n)
    throw new RangeError(`trainHead: set.labels must hold one class index per embedding (${n}), got ${labels?.length ?? typeof labels}`);
  const y = new Int32Array(n);
  const counts = new Array<number>(classes.length).fill(0);
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    if (!Number.isInteger(l) || l < 0 || l >= classes.length)
      throw new RangeError(`trainHead: set.labels[${i}] must be a class index in [0, ${classes.length - 1}], got ${String(l)}`);
    y[i] = l;
    counts[l]++;
    const e = embeddings[i];
    if (!(e instanceof Float32Array) || e.length !== dims) {
      throw new RangeError(
        `trainHead: set.embeddings[${i}] must be a Float32Array of ${dims} values (this backbone's embedding), got ${e instanceof Float32Array ? `${e.length} values` : Object.prototype.toString.call(e).slice(8, -1)}`,
      );
    }
    if (quant) {
      try {
        embeddingSteps(e, quant);
      } catch (err) {
        throw new RangeError(`trainHead: set.embeddings[${i}]: ${(err as Error).message}`);
      }
    } else
      for (let k = 0; k < dims; k++)
        if (!Number.isFinite(e[k])) throw new RangeError(`trainHead: set.embeddings[${i}][${k}] is ${e[k]}; embeddings must be finite`);
  }
  const empty = counts.indexOf(0);
  if (empty >= 0) throw new RangeError(`trainHead: class ${empty} ('${classes[empty]}') has no examples; every class needs at least one`);
  return { y, classes: [...classes] as string[] };
}
