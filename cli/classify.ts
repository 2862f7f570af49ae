// `edge-resnet classify <images...>`: top-k for JPEG/PNG files, as a table or JSON.
import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { load, type Prediction } from '../ts-sdk/index.ts';
import { decodeImage } from '../ts-sdk/decode/index.ts';
import { DEFAULT_PACK, DEFAULT_SAMPLE } from './paths.ts';
import { progressBar } from './progress.ts';
import { positiveInt } from './args.ts';

interface Opts { pack: string; top: number; json?: boolean; simd?: 'simd' | 'relaxed' }

function bar(score: number): string {
  return '█'.repeat(Math.round(score * 30));
}

export function classifyCommand(): Command {
  return new Command('classify')
    .description('Classify JPEG/PNG images with a weight pack and print the top classes.')
    .argument('[images...]', 'JPEG or PNG files', [DEFAULT_SAMPLE])
    .option('-p, --pack <file>', 'weight pack (default: the shipped ResNet-18 Fashion-MNIST int8 pack)', DEFAULT_PACK)
    .option('-t, --top <k>', 'how many classes to print per image', positiveInt('--top'), 5)
    .option('--json', 'print JSON (one array entry per image) instead of a table')
    .addOption(new Option('--simd <build>', 'force a kernel build').choices(['simd', 'relaxed']))
    .action(async (images: string[], opts: Opts) => {
      const clf = await load(opts.pack, { simd: opts.simd });
      const results: { file: string; ms: number; top: Prediction[] }[] = [];
      const progress = progressBar(!opts.json && images.length > 3, images.length, 'classify');
      for (const file of images) {
        const image = decodeImage(new Uint8Array(await readFile(file)));
        const t0 = performance.now();
        const top = await clf.classify(image, { topK: opts.top });
        results.push({ file, ms: performance.now() - t0, top });
        progress.increment();
      }
      progress.stop();
      if (opts.json) {
        console.log(JSON.stringify(results.map((r) => ({ file: r.file, top: r.top })), null, 2));
        return;
      }
      const { arch, precision } = clf.info;
      for (const r of results) {
        console.log(`${r.file}  (${arch} ${precision}, ${r.ms.toFixed(1)} ms)`);
        const width = Math.max(...r.top.map((p) => p.label.length));
        r.top.forEach((p, i) => console.log(`  ${i + 1}. ${p.label.padEnd(width)}  ${(p.score * 100).toFixed(2).padStart(6)} %  ${bar(p.score)}`));
      }
      clf.dispose();
    });
}
