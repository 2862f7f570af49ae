#!/usr/bin/env node
// Writes scikit-learn's handwritten digits (weights/data/digits: 1,797 images, 8×8, values
// 0..16) as PNG files in the folder layout `edge-resnet train-head --data` reads: one
// sub-folder per class. The first --train images of each digit go to <out>/train/<digit>/,
// the rest to <out>/test/<digit>/. A pixel v becomes the 8-bit gray value round(v · 255 / 16).
//
//   node examples/own-classes/digits-folder.mjs <out> [--train 25]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { encode } from 'fast-png';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { train: { type: 'string', default: '25' } } });
const [out] = positionals;
const perClass = Number(values.train);
if (!out || !Number.isInteger(perClass) || perClass < 1) {
  console.error('usage: node examples/own-classes/digits-folder.mjs <out folder> [--train <images per digit, ≥ 1>]');
  process.exit(2);
}

const csv = gunzipSync(readFileSync(new URL('../../weights/data/digits/digits.csv.gz', import.meta.url))).toString('utf8');
const seen = new Array(10).fill(0);
const written = { train: 0, test: 0 };
csv
  .trim()
  .split('\n')
  .forEach((line, i) => {
    const v = line.split(',').map(Number);
    const digit = v[64];
    const split = seen[digit]++ < perClass ? 'train' : 'test';
    const dir = join(out, split, String(digit));
    mkdirSync(dir, { recursive: true });
    const data = Uint8Array.from(v.slice(0, 64), (p) => Math.round((p * 255) / 16));
    writeFileSync(join(dir, `${String(i).padStart(4, '0')}.png`), encode({ width: 8, height: 8, data, channels: 1, depth: 8 }));
    written[split]++;
  });
console.log(`${join(out, 'train')}: ${written.train} images (${perClass} per digit); ${join(out, 'test')}: ${written.test} images`);
