// `edge-resnet train-head --data <folder> -o mine.pack`: a pack for your own classes. Each
// sub-folder of --data is a class; its images are embedded by the base pack's backbone, a head
// is trained on them (trainHead, the library's one trainer) with a share of each class held
// out to measure accuracy, and the base pack with that head is written. Progress bars go to
// stderr on a terminal; the summary to stdout.
import { readFileSync, writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { load, trainHead, type Classifier, type HeadMethod } from '../ts-sdk/index.ts';
import { decodeImage } from '../ts-sdk/decode/index.ts';
import { DEFAULT_TRAIN_HEAD_OPTIONS } from '../ts-sdk/options.ts';
import { decimalInRange, intAtLeast } from './args.ts';
import { heldOutIndices, readClassFolders } from './class-folders.ts';
import { progressBar } from './progress.ts';
import { DEFAULT_PACK, DEFAULT_PACK_NAME, resolvePack, shown } from './resources.ts';

interface Opts {
  pack: string;
  data: string;
  output: string;
  holdout: number;
  method: HeadMethod;
  l2: number;
  maxIterations: number;
  description?: string;
  simd?: 'simd' | 'relaxed';
}

interface Example {
  file: string;
  label: number;
  heldOut: boolean;
}

export function trainHeadCommand(): Command {
  return new Command('train-head')
    .description(
      "Train a new classification head for your own classes on a pack's backbone and save it as a new pack (no Python, no server).",
    )
    .requiredOption('--data <folder>', 'one sub-folder per class, named as the class, holding its JPEG/PNG images')
    .requiredOption('-o, --output <file>', 'where to write the new pack')
    .option('-p, --pack <file|name>', `base pack whose backbone embeds the images (default: ${DEFAULT_PACK_NAME})`, DEFAULT_PACK)
    .option(
      '--holdout <percent>',
      "share of each class's images (rounded down, spread over the sorted files) kept out of training to measure accuracy on; 0 trains on all",
      decimalInRange(0, 100, '--holdout'),
      20,
    )
    .addOption(
      new Option(
        '--method <m>',
        'logistic: L2-regularized softmax regression (L-BFGS); nearest-mean: class means with a shared variance, for one or two images per class',
      )
        .choices(['logistic', 'nearest-mean'])
        .default('logistic'),
    )
    .option(
      '--l2 <lambda>',
      'logistic: L2 penalty on the weights of standardized embeddings',
      decimalInRange(0, Infinity, '--l2'),
      DEFAULT_TRAIN_HEAD_OPTIONS.l2,
    )
    .option(
      '--max-iterations <n>',
      'logistic: L-BFGS iterations at most',
      intAtLeast(1, '--max-iterations'),
      DEFAULT_TRAIN_HEAD_OPTIONS.maxIterations,
    )
    .option('--description <text>', 'what the new pack is for (shown by inspect, classify and info.description)')
    .addOption(new Option('--simd <build>', 'force a kernel build').choices(['simd', 'relaxed']))
    .action((opts: Opts) => run(opts));
}

async function run(o: Opts): Promise<void> {
  const { classes, ignored } = readClassFolders(o.data);
  const examples: Example[] = classes.flatMap((c, label) => {
    const held = heldOutIndices(c.files.length, o.holdout);
    return c.files.map((file, i) => ({ file, label, heldOut: held.has(i) }));
  });
  const basePath = resolvePack(o.pack);
  const base = new Uint8Array(readFileSync(basePath));
  const clf = await load(base, { simd: o.simd });
  let embedded: { ex: Example; embedding: Float32Array }[];
  const skipped: string[] = [];
  const t0 = performance.now();
  try {
    embedded = await embedAll(clf, examples, skipped);
  } finally {
    clf.dispose();
  }
  const embedMs = performance.now() - t0;
  if (ignored) process.stderr.write(`ignored ${ignored} file(s) directly in ${o.data} (images go in one sub-folder per class)\n`);
  if (skipped.length)
    process.stderr.write(
      `skipped ${skipped.length} unreadable image(s):\n  ${skipped.slice(0, 5).join('\n  ')}${skipped.length > 5 ? '\n  …' : ''}\n`,
    );

  const train = embedded.filter((e) => !e.ex.heldOut),
    test = embedded.filter((e) => e.ex.heldOut);
  const counts = classes.map((_, c) => train.filter((e) => e.ex.label === c).length);
  const empty = counts.indexOf(0);
  if (empty >= 0) throw new Error(`class '${classes[empty].label}' has no readable image left to train on`);
  console.log(
    `classes    ${classes.length} from ${shown(o.data)}: ${classes.map((c, i) => `${c.label} (${counts[i]}${test.length ? ` + ${test.filter((e) => e.ex.label === i).length}` : ''})`).join(', ')}`,
  );
  console.log(
    `embedded   ${embedded.length} images with ${shown(basePath)}, ${(embedMs / Math.max(1, embedded.length)).toFixed(1)} ms each`,
  );

  const bar = progressBar(o.method === 'logistic', o.maxIterations, 'train');
  const t1 = performance.now();
  const head = await trainHead(
    base,
    { embeddings: train.map((e) => e.embedding), labels: train.map((e) => e.ex.label), classes: classes.map((c) => c.label) },
    {
      method: o.method,
      l2: o.l2,
      maxIterations: o.maxIterations,
      onProgress: (p) => bar.update(p.iteration),
    },
  );
  bar.stop();
  const t = head.training;
  const how =
    t.method === 'logistic'
      ? `logistic regression (l2 ${t.l2}), ${t.iterations} L-BFGS iterations (${t.stop === 'iterations' ? 'stopped at --max-iterations' : 'converged'})`
      : 'nearest class mean';
  console.log(`trained    ${how} on ${train.length} images in ${(performance.now() - t1).toFixed(0)} ms`);
  if (test.length) {
    const right = test.filter((e) => head.classify(e.embedding, { topK: 1 })[0].index === e.ex.label).length;
    console.log(`held out   ${test.length} images (${o.holdout} % of each class): ${((100 * right) / test.length).toFixed(2)} % top-1`);
  } else {
    console.log(`held out   none${o.holdout > 0 ? ' (too few images per class)' : ' (--holdout 0)'}: no accuracy measured`);
  }
  const pack = head.toPack({ description: o.description });
  writeFileSync(o.output, pack);
  console.log(
    `${o.output}: ${head.precision} head for ${classes.length} classes on the ${shown(basePath)} backbone, ${(pack.length / 1e6).toFixed(2)} MB`,
  );
  if (skipped.length) process.exitCode = 1;
}

/** Decodes and embeds each image in turn; unreadable ones are named in `skipped` and left out. */
async function embedAll(clf: Classifier, examples: Example[], skipped: string[]) {
  const bar = progressBar(examples.length > 3, examples.length, 'embed');
  const out: { ex: Example; embedding: Float32Array }[] = [];
  for (const ex of examples) {
    try {
      out.push({ ex, embedding: await clf.embed(decodeImage(readFileSync(ex.file))) });
    } catch (e) {
      skipped.push(`${ex.file}: ${(e as Error).message}`);
    }
    bar.increment();
  }
  bar.stop();
  return out;
}
