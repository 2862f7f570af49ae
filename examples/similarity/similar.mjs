#!/usr/bin/env node
// Image similarity with embeddings: ranks images by the cosine similarity of their embedding
// to a query image's. With `normalize: true` every embedding has unit length, so the cosine
// is a plain dot product.
//
//   node examples/similarity/similar.mjs <query image> <images or folders...> [--pack file] [--top 5]
//
// In your own project: `npm install edge-resnet`; the imports below stay as they are.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { load } from 'edge-resnet';
import { decodeImage } from 'edge-resnet/decode';

const SHIPPED_PACK = new URL('weights/packs/resnet18-fmnist-int8.pack', import.meta.resolve('edge-resnet/package.json'));

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: { pack: { type: 'string', short: 'p' }, top: { type: 'string', short: 't', default: '5' } },
});
const [query, ...sources] = positionals;
const topK = Number(opts.top);
if (!query || sources.length === 0 || !Number.isInteger(topK) || topK < 1) {
  console.error('usage: node similar.mjs [--pack file.pack] [--top k] query.png <images or folders...>');
  process.exit(2);
}

/** The JPEG/PNG files among `paths`, folders searched recursively, in sorted order. */
async function imageFiles(paths) {
  const out = [];
  for (const p of paths) {
    if ((await stat(p)).isDirectory()) out.push(...(await imageFiles((await readdir(p)).sort().map((n) => join(p, n)))));
    else if (/\.(jpe?g|png)$/i.test(p)) out.push(p);
  }
  return out;
}

const dot = (a, b) => a.reduce((s, v, i) => s + v * b[i], 0);

const clf = await load(opts.pack ?? SHIPPED_PACK);
const embed = async (file) => clf.embed(decodeImage(await readFile(file)), { normalize: true });
const q = await embed(query);
const ranked = [];
for (const file of await imageFiles(sources)) {
  if (file !== query) ranked.push({ file, cosine: dot(q, await embed(file)) });
}
ranked.sort((a, b) => b.cosine - a.cosine);
console.log(`${ranked.length} images by similarity to ${query} (${clf.info.arch} ${clf.info.precision} embeddings, ${q.length} values):`);
for (const { file, cosine } of ranked.slice(0, topK)) console.log(`  ${cosine.toFixed(4)}  ${file}`);
clf.dispose();
