// `edge-resnet classify <images...>`: top-k for JPEG/PNG files, as a table or JSON. A file
// that cannot be read or decoded is reported by name and skipped; the others are still
// classified and printed, and the exit code is 1 at the end if any failed.
import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { load, type Classifier, type Prediction } from '../ts-sdk/index.ts';
import { decodeImage } from '../ts-sdk/decode/index.ts';
import { DEFAULT_PACK, DEFAULT_PACK_NAME, DEFAULT_SAMPLE, LOCAL_FILE_LIMITS, resolvePack, shown } from './resources.ts';
import { progressBar } from './progress.ts';
import { positiveInt } from './args.ts';

interface Opts { pack: string; top: number; json?: boolean; simd?: 'simd' | 'relaxed' }

type Result = { file: string; ms: number; top: Prediction[] } | { file: string; error: string };

function bar(score: number): string {
  return '█'.repeat(Math.round(score * 30));
}

export function classifyCommand(): Command {
  return new Command('classify')
    .description('Classify JPEG/PNG images with a weight pack and print the top classes.')
    .argument('[images...]', 'JPEG or PNG files (default: a shipped Fashion-MNIST sample)', [DEFAULT_SAMPLE])
    .option('-p, --pack <file|name>', `weight pack: a file, or the name of a shipped pack (default: ${DEFAULT_PACK_NAME}, the shipped ResNet-18 Fashion-MNIST int8 pack)`, DEFAULT_PACK)
    .option('-t, --top <k>', 'how many classes to print per image', positiveInt('--top'), 5)
    .option('--json', 'print JSON (one array entry per image: { file, top } or { file, error }) instead of a table')
    .addOption(new Option('--simd <build>', 'force a kernel build').choices(['simd', 'relaxed']))
    .action(async (images: string[], opts: Opts) => {
      const clf = await load(resolvePack(opts.pack), { simd: opts.simd });
      try {
        const results = await classifyAll(clf, images, opts);
        if (opts.json) console.log(JSON.stringify(results.map((r) => ('error' in r ? r : { file: r.file, top: r.top })), null, 2));
        else printTable(clf, results);
        const failed = results.filter((r) => 'error' in r);
        if (failed.length) {
          console.error(`edge-resnet: ${failed.length} of ${results.length} image(s) could not be classified:\n${failed.map((r) => `  ${r.file}: ${(r as { error: string }).error}`).join('\n')}`);
          process.exitCode = 1;
        }
      } finally {
        clf.dispose();
      }
    });
}

async function classifyAll(clf: Classifier, files: string[], opts: Opts): Promise<Result[]> {
  const results: Result[] = [];
  const progress = progressBar(!opts.json && files.length > 3, files.length, 'classify');
  for (const file of files) {
    try {
      const image = decodeImage(new Uint8Array(await readFile(file)), LOCAL_FILE_LIMITS);
      const t0 = performance.now();
      const top = await clf.classify(image, { topK: opts.top });
      results.push({ file, ms: performance.now() - t0, top });
    } catch (e) {
      results.push({ file, error: e instanceof Error ? e.message : String(e) });
    }
    progress.increment();
  }
  progress.stop();
  return results;
}

function printTable(clf: Classifier, results: Result[]): void {
  const { arch, precision, description } = clf.info;
  if (description) console.log(`pack: ${description}\n`);
  let first = true;
  for (const r of results) {
    if ('error' in r) {
      console.log(`${shown(r.file)}  (not classified: ${r.error})`);
      continue;
    }
    // The first call compiles the kernels' hot paths (V8 tiers them up): its time is not the steady state.
    console.log(`${shown(r.file)}  (${arch} ${precision}, ${r.ms.toFixed(1)} ms${first ? ', first call: includes warm-up' : ''})`);
    first = false;
    const width = Math.max(...r.top.map((p) => p.label.length));
    r.top.forEach((p, i) => console.log(`  ${i + 1}. ${p.label.padEnd(width)}  ${(p.score * 100).toFixed(2).padStart(6)} %  ${bar(p.score)}`));
  }
  const timed = results.flatMap((r) => ('ms' in r ? [r.ms] : []));
  if (timed.length > 1) {
    const rest = timed.slice(1).sort((a, b) => a - b);
    console.log(`\n${timed.length} images: first ${timed[0].toFixed(1)} ms (warm-up), then median ${rest[rest.length >> 1].toFixed(1)} ms`);
  }
}
