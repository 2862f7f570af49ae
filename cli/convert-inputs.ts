// What the convert CLI reads besides the model: the calibration images (folder → decoded,
// preprocessed tensors, lazily) and the labels. Node-only (file system).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { decodeImage } from '../ts-sdk/decode/index.ts';
import type { InputSpec } from '../ts-sdk/model/graph.ts';
import { preprocess } from '../ts-sdk/preprocess/index.ts';
import { ConvertError } from '../weights/convert/index.ts';
import { IMAGENET_LABELS, LOCAL_FILE_LIMITS } from './resources.ts';

const IMAGE = /\.(jpe?g|png)$/i;

/**
 * Up to `count` image files under `folder` (recursively), spread evenly over the sorted list,
 * so an ImageNet-style tree of class folders contributes from every class, not just the first.
 */
export function listCalibrationImages(folder: string, count: number): string[] {
  const all: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (IMAGE.test(name)) all.push(p);
    }
  };
  try {
    walk(folder);
  } catch (e) {
    throw new ConvertError('CALIBRATION', `cannot read the calibration folder '${folder}': ${(e as Error).message}`);
  }
  if (all.length === 0) throw new ConvertError('CALIBRATION', `no .jpg/.jpeg/.png files under '${folder}'`);
  if (all.length <= count) return all;
  return Array.from({ length: count }, (_, i) => all[Math.floor((i * all.length) / count)]);
}

/** Decoded and preprocessed one at a time (a calibration set can be far larger than memory wants). Unreadable files are reported and skipped. */
export function* calibrationTensors(
  files: string[],
  spec: InputSpec,
  onSkip: (file: string, why: string) => void,
): Generator<Float32Array> {
  for (const f of files) {
    let x: Float32Array;
    try {
      x = preprocess(decodeImage(readFileSync(f), LOCAL_FILE_LIMITS), spec);
    } catch (e) {
      onSkip(f, (e as Error).message);
      continue;
    }
    yield x;
  }
}

/** 'imagenet', a file with one label per line, or undefined: ImageNet for a 1000-class head, else the class indices. */
export function resolveLabels(arg: string | undefined, classes: number): { labels: string[]; source: string } {
  if (arg === undefined && classes !== 1000)
    return { labels: Array.from({ length: classes }, (_, i) => String(i)), source: 'class indices' };
  const file = arg === undefined || arg === 'imagenet' ? IMAGENET_LABELS : arg;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConvertError('BAD_INPUT', `cannot read labels '${file}': ${(e as Error).message}`);
  }
  const labels = text.split(/\r?\n/);
  while (labels.length && labels[labels.length - 1] === '') labels.pop(); // a trailing newline is not a class
  if (labels.length !== classes)
    throw new ConvertError('BAD_INPUT', `labels file '${file}' has ${labels.length} lines, but the network has ${classes} classes`);
  return { labels, source: arg === undefined || arg === 'imagenet' ? 'ImageNet' : file };
}
