// scikit-learn's handwritten digits (weights/data/digits/digits.csv.gz: 64 values 0..16, then
// the digit) as 8-bit gray images, round(v · 255 / 16), and the split the tests use: the first
// TRAIN_PER_CLASS images of each digit in file order to train on, the rest held out.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { ImageInput } from '../../ts-sdk/index.ts';

export const DIGITS = new URL('../../weights/data/digits/digits.csv.gz', import.meta.url);
export const TRAIN_PER_CLASS = 20;

export function readDigits() {
  const rows = gunzipSync(readFileSync(DIGITS))
    .toString('utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(',').map(Number));
  const images: ImageInput[] = rows.map((r) => ({
    data: Uint8Array.from(r.slice(0, 64), (v) => Math.round((v * 255) / 16)),
    width: 8,
    height: 8,
    channels: 1,
  }));
  const pixels = rows.map((r) => Float32Array.from(r.slice(0, 64)));
  const labels = rows.map((r) => r[64]);
  const seen = new Array<number>(10).fill(0);
  const train: number[] = [],
    heldOut: number[] = [];
  labels.forEach((l, i) => (seen[l]++ < TRAIN_PER_CLASS ? train : heldOut).push(i));
  return { images, pixels, labels, train, heldOut };
}
