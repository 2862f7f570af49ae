// `edge-resnet embed <images...>`: each image's embedding (Classifier.embed: the pooled
// features the pack's head reads) as JSON Lines — one { file, embedding } object per line — or
// one JSON array. Values are printed with the fewest digits that read back as the same f32.
// A file that cannot be read is reported as { file, error } and the exit code is 1 at the end.
import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { load } from '../ts-sdk/index.ts';
import { decodeImage } from '../ts-sdk/decode/index.ts';
import { DEFAULT_PACK, DEFAULT_PACK_NAME, resolvePack } from './resources.ts';

interface Opts {
  pack: string;
  format: 'jsonl' | 'json';
  normalize?: boolean;
  simd?: 'simd' | 'relaxed';
}

/** The shortest decimal that Math.fround reads back as `v` (v is an f32 value). */
export function f32Text(v: number): string {
  if (!Number.isFinite(v)) return 'null';
  for (let p = 1; p < 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) return String(Number(s));
  }
  return String(Number(v.toPrecision(9)));
}

export function embedCommand(): Command {
  return new Command('embed')
    .description(
      'Print the embedding (the pooled feature vector the classification head reads) of each image, for similarity search, clustering or your own models.',
    )
    .argument('<images...>', 'JPEG or PNG files')
    .option('-p, --pack <file|name>', `weight pack: a file, or the name of a shipped pack (default: ${DEFAULT_PACK_NAME})`, DEFAULT_PACK)
    .addOption(
      new Option('--format <f>', 'jsonl: one {"file","embedding"} object per line; json: one array of them')
        .choices(['jsonl', 'json'])
        .default('jsonl'),
    )
    .option('--normalize', 'scale each embedding to unit length (cosine similarity is then a dot product)')
    .addOption(new Option('--simd <build>', 'force a kernel build').choices(['simd', 'relaxed']))
    .action(async (images: string[], o: Opts) => {
      const clf = await load(resolvePack(o.pack), { simd: o.simd });
      const lines: string[] = [];
      let failed = 0;
      try {
        for (const file of images) {
          let line: string;
          try {
            const e = await clf.embed(decodeImage(new Uint8Array(await readFile(file))), { normalize: o.normalize ?? false });
            line = `{"file":${JSON.stringify(file)},"embedding":[${Array.from(e, f32Text).join(',')}]}`;
          } catch (err) {
            failed++;
            line = JSON.stringify({ file, error: (err as Error).message });
          }
          if (o.format === 'jsonl') console.log(line);
          else lines.push(line);
        }
      } finally {
        clf.dispose();
      }
      if (o.format === 'json') console.log(`[\n${lines.join(',\n')}\n]`);
      if (failed) {
        console.error(`edge-resnet: ${failed} of ${images.length} image(s) could not be embedded`);
        process.exitCode = 1;
      }
    });
}
