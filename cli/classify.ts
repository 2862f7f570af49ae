// `edge-resnet classify <files or folders...>`: top-k for JPEG/PNG images — one, or whole folders
// (searched recursively) on all cores: files are read and decoded while the previous chunk is
// classified (one image per worker thread). Output as a table, JSON, JSON lines or CSV, rows as
// they come; a file that cannot be read or decoded is reported by name and skipped, the run
// ends with a summary (images, images/s, failures) and exit code 1 if any failed.
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { load, type Classifier, type ImageInput, type Prediction } from '../ts-sdk/index.ts';
import { decodeImage } from '../ts-sdk/decode/index.ts';
import { DEFAULT_PACK, DEFAULT_PACK_NAME, DEFAULT_SAMPLE, LOCAL_FILE_LIMITS, resolvePack, shown } from './resources.ts';
import { progressBar } from './progress.ts';
import { positiveInt } from './args.ts';

type Format = 'table' | 'json' | 'jsonl' | 'csv';
interface Opts {
  pack: string;
  top: number;
  json?: boolean;
  format?: Format;
  simd?: 'simd' | 'relaxed';
  threads: number | 'auto';
}

type Result = { file: string; ms: number; top: Prediction[] } | { file: string; error: string };

/** Extensions a folder is searched for (a file named on the command line is tried whatever its name). */
const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg']);
/** Images per worker thread in one logits() call: enough to hide the messages, few enough to stream. */
const CHUNK_PER_THREAD = 4;

function threadsArg(v: string): number | 'auto' {
  if (v === 'auto') return v;
  try {
    return positiveInt('--threads')(v);
  } catch {
    throw new InvalidArgumentError(`--threads must be 'auto' or a decimal integer ≥ 1, got '${v}'`);
  }
}

export function classifyCommand(): Command {
  return new Command('classify')
    .description('Classify JPEG/PNG images (files, or folders searched recursively) with a weight pack and print the top classes.')
    .argument('[images...]', 'JPEG or PNG files or folders (default: a shipped Fashion-MNIST sample)', [DEFAULT_SAMPLE])
    .option(
      '-p, --pack <file|name>',
      `weight pack: a file, or the name of a shipped pack (default: ${DEFAULT_PACK_NAME}, the shipped ResNet-18 Fashion-MNIST int8 pack)`,
      DEFAULT_PACK,
    )
    .option('-t, --top <k>', 'how many classes to print per image', positiveInt('--top'), 5)
    .addOption(
      new Option(
        '--format <format>',
        'table, json (one array), jsonl (one JSON object per line) or csv (file,rank,label,index,score,error)',
      )
        .choices(['table', 'json', 'jsonl', 'csv'])
        .default('table'),
    )
    .option('--json', 'the same as --format json')
    .option('--threads <n|auto>', "worker threads classifying the images ('auto': every core this process may use)", threadsArg, 'auto')
    .addOption(new Option('--simd <build>', 'force a kernel build').choices(['simd', 'relaxed']))
    .action(async (inputs: string[], opts: Opts) => {
      const format: Format = opts.json ? 'json' : (opts.format ?? 'table');
      const t0 = performance.now();
      const files = await expand(inputs);
      const clf = await load(resolvePack(opts.pack), { simd: opts.simd, threads: files.length > 1 ? opts.threads : 1 });
      try {
        const out = writer(format, clf);
        const results = await classifyAll(clf, files, opts, format !== 'table' || files.length > 3, out.row);
        out.end(results);
        const failed = results.filter((r) => 'error' in r);
        summary(format, clf, results, (performance.now() - t0) / 1000);
        if (failed.length) {
          console.error(
            `edge-resnet: ${failed.length} of ${results.length} image(s) could not be classified:\n${failed.map((r) => `  ${r.file}: ${(r as { error: string }).error}`).join('\n')}`,
          );
          process.exitCode = 1;
        }
      } finally {
        clf.dispose();
      }
    });
}

/** Files as given; folders replaced by the image files under them (sorted); a folder with none is an error entry. */
async function expand(inputs: string[]): Promise<(string | { file: string; error: string })[]> {
  const out: (string | { file: string; error: string })[] = [];
  for (const input of inputs) {
    const s = await stat(input).catch(() => undefined);
    if (!s?.isDirectory()) {
      out.push(input);
      continue;
    }
    const found = (await readdir(input, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile() && IMAGE_EXTENSIONS.has(extname(e.name).toLowerCase()))
      .map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name)) // parentPath: Node ≥ 20.12
      .sort();
    if (found.length) out.push(...found);
    else out.push({ file: input, error: `a folder with no ${[...IMAGE_EXTENSIONS].join(', ')} files in it` });
  }
  return out;
}

async function decodeFile(file: string | { file: string; error: string }): Promise<{ file: string; image?: ImageInput; error?: string }> {
  if (typeof file !== 'string') return file;
  try {
    return { file, image: decodeImage(new Uint8Array(await readFile(file)), LOCAL_FILE_LIMITS) };
  } catch (e) {
    return { file, error: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * The first image alone (its time is the warm-up), then chunks of CHUNK_PER_THREAD images per
 * thread; the next chunk is read and decoded while the threads classify this one.
 */
async function classifyAll(
  clf: Classifier,
  files: (string | { file: string; error: string })[],
  opts: Opts,
  bar: boolean,
  row: (r: Result) => void,
): Promise<Result[]> {
  const results: Result[] = [];
  const progress = progressBar(bar && files.length > 3, files.length, 'classify');
  const size = clf.info.threads * CHUNK_PER_THREAD;
  const chunks: (typeof files)[] = files.length ? [files.slice(0, 1)] : [];
  for (let i = 1; i < files.length; i += size) chunks.push(files.slice(i, i + size));
  const decode = (c: typeof files | undefined) => (c ? Promise.all(c.map(decodeFile)) : Promise.resolve([]));
  let next = decode(chunks[0]);
  for (let k = 0; k < chunks.length; k++) {
    const decoded = await next;
    const good = decoded.filter((d) => d.image !== undefined);
    const t0 = performance.now();
    const running = clf
      .classify(
        good.map((d) => d.image!),
        { topK: opts.top },
      )
      .catch(() => undefined);
    next = decode(chunks[k + 1]);
    const batch = await running;
    const ms = (performance.now() - t0) / Math.max(1, good.length);
    // A batch fails as a whole (an image the preprocessing refuses): classify its images one by one.
    const tops: (Prediction[] | string)[] =
      batch ??
      (await Promise.all(
        good.map((d) => clf.classify(d.image!, { topK: opts.top }).catch((e: unknown) => (e instanceof Error ? e.message : String(e)))),
      ));
    let j = 0;
    for (const d of decoded) {
      const top = d.image === undefined ? undefined : tops[j++];
      const r: Result =
        top === undefined
          ? { file: d.file, error: d.error! }
          : typeof top === 'string'
            ? { file: d.file, error: top }
            : { file: d.file, ms, top };
      results.push(r);
      row(r);
      progress.increment();
    }
  }
  progress.stop();
  return results;
}

const bar = (score: number): string => '█'.repeat(Math.round(score * 30));
const csvField = (v: string | number): string => (typeof v === 'number' || !/[",\n\r]/.test(v) ? String(v) : `"${v.replace(/"/g, '""')}"`);

/** How rows are printed (as they come, except the JSON array) and what ends the output. */
function writer(format: Format, clf: Classifier): { row(r: Result): void; end(results: Result[]): void } {
  const { arch, precision, description } = clf.info;
  switch (format) {
    case 'json':
      return {
        row() {},
        end: (results) =>
          console.log(
            JSON.stringify(
              results.map((r) => ('error' in r ? r : { file: r.file, top: r.top })),
              null,
              2,
            ),
          ),
      };
    case 'jsonl':
      return { row: (r) => console.log(JSON.stringify('error' in r ? r : { file: r.file, top: r.top })), end() {} };
    case 'csv':
      console.log('file,rank,label,index,score,error');
      return {
        row: (r) => {
          if ('error' in r) console.log([r.file, '', '', '', '', r.error].map(csvField).join(','));
          else r.top.forEach((p, i) => console.log([r.file, i + 1, p.label, p.index, p.score, ''].map(csvField).join(',')));
        },
        end() {},
      };
    case 'table': {
      if (description) console.log(`pack: ${description}\n`);
      let first = true;
      return {
        row: (r) => {
          if ('error' in r) return console.log(`${shown(r.file)}  (not classified: ${r.error})`);
          // The first call compiles the kernels' hot paths (V8 tiers them up): its time is not the steady state.
          console.log(`${shown(r.file)}  (${arch} ${precision}, ${r.ms.toFixed(1)} ms${first ? ', first call: includes warm-up' : ''})`);
          first = false;
          const width = Math.max(...r.top.map((p) => p.label.length));
          r.top.forEach((p, i) =>
            console.log(`  ${i + 1}. ${p.label.padEnd(width)}  ${(p.score * 100).toFixed(2).padStart(6)} %  ${bar(p.score)}`),
          );
        },
        end: (results) => {
          const timed = results.flatMap((r) => ('ms' in r ? [r.ms] : []));
          if (timed.length < 2) return;
          const rest = timed.slice(1).sort((a, b) => a - b);
          console.log(
            `\n${timed.length} images: first ${timed[0].toFixed(1)} ms (warm-up), then median ${rest[rest.length >> 1].toFixed(1)} ms`,
          );
        },
      };
    }
  }
}

/** images, images/s, failures: on stdout under a table, on stderr where stdout is data. */
function summary(format: Format, clf: Classifier, results: Result[], seconds: number): void {
  if (results.length < 2) return;
  const ok = results.filter((r) => !('error' in r)).length;
  const { threads, threadsReason } = clf.info;
  const line = `${results.length} files: ${ok} classified, ${results.length - ok} failed, in ${seconds.toFixed(1)} s (${(ok / seconds).toFixed(1)} images/s, ${threads} thread${threads > 1 ? 's' : ''}${threadsReason ? `: ${threadsReason}` : ''})`;
  if (format === 'table') console.log(line);
  else console.error(line);
}
