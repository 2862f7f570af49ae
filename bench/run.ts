// npm run bench: edge-resnet vs onnxruntime-web vs tfjs-backend-wasm on ResNet-18/34 (and
// ResNet-50, or the paper's CIFAR ResNet-20 at 32×32, on request).
//   node --experimental-wasm-relaxed-simd --import tsx bench/run.ts [options]
//   --arch resnet18,resnet34 (also resnet50, cifar20)   --size 224 (cifar20: 32)   --engines edge-int8-simd,ort-int8,...
//   --warmup 3 (s per engine)  --runs 20 (min timed runs)  --seconds 30 (min timing per network)
//   --cold 5 (processes per configuration; 0 = skip)  --cold-arch resnet18  --layers
//   --calib 32  --note "load situation"  --no-record (don't write bench/chart.svg or RESULTS.md)
//   --no-threads (skip the threads section)  --batch 32 (images in its throughput batch)
//   --quick (smoke test: resnet18 at 64×64, short warm-up, 3 runs, 1 cold start)
// Always writes bench/out/results.json; prints the tables.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { ArchName } from '../tests/fixtures/resnet-spec.ts';
import { ALL_ENGINES, type EngineId } from './engines.ts';
import { runBench, type BenchOptions, type BenchResult } from './harness.ts';
import { markdownSection, textReport } from './report.ts';
import { chartSvg } from './chart.ts';
import { OUT_DIR, ROOT } from './models/index.ts';
import { withSection } from './results-file.ts';

const RESULTS_HEADER = `# End-to-end benchmark results

Written by \`npm run bench\` (bench/run.ts), newest section last. Each section is one run on one
machine: compare engines only within a section (the machines are shared and noisy; medians of
interleaved runs, ratios measured in the same run). Cold start and memory come from fresh Node
processes, one per sample. "1st/2nd half" is the median of an engine's first half of timed
runs over its second half's: well above 1.00 means it was still warming up or the load changed.
The chart (bench/chart.svg) shows the latest recorded run.
`;

const BENCH_ARCHS = ['resnet18', 'resnet34', 'resnet50', 'cifar20'];

export async function main(argv: string[]): Promise<BenchResult> {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      arch: { type: 'string' },
      size: { type: 'string' },
      engines: { type: 'string' },
      warmup: { type: 'string' },
      runs: { type: 'string' },
      seconds: { type: 'string' },
      cold: { type: 'string' },
      'cold-arch': { type: 'string' },
      layers: { type: 'boolean' },
      calib: { type: 'string' },
      note: { type: 'string' },
      'no-record': { type: 'boolean' },
      quick: { type: 'boolean' },
      'no-threads': { type: 'boolean' },
      batch: { type: 'string' },
    },
  });
  const num = (s: string | undefined) => (s === undefined ? undefined : Number(s));
  const list = <T extends string>(s: string | undefined, ok: readonly string[], what: string): T[] | undefined => {
    if (s === undefined) return undefined;
    const xs = s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    for (const x of xs) if (!ok.includes(x)) throw new TypeError(`--${what}: unknown '${x}'; expected some of ${ok.join(', ')}`);
    return xs as T[];
  };
  const quick: BenchOptions = v.quick
    ? {
        archs: ['resnet18'],
        size: 64,
        warmSeconds: 0.3,
        minRuns: 3,
        seconds: 0,
        coldReps: 1,
        calibImages: 4,
        agreementImages: 2,
        batchImages: 8,
      }
    : {};
  const opts: BenchOptions = {
    ...quick,
    ...(v.arch && { archs: list<ArchName>(v.arch, BENCH_ARCHS, 'arch') }),
    ...(v.size && { size: num(v.size) }),
    ...(v.engines && { engines: list<EngineId>(v.engines, ALL_ENGINES, 'engines') }),
    ...(v.warmup && { warmSeconds: num(v.warmup) }),
    ...(v.runs && { minRuns: num(v.runs) }),
    ...(v.seconds && { seconds: num(v.seconds) }),
    ...(v.cold && { coldReps: num(v.cold) }),
    ...(v['cold-arch'] && { coldArchs: list<ArchName>(v['cold-arch'], BENCH_ARCHS, 'cold-arch') }),
    ...(v.layers && { layers: true }),
    ...(v.calib && { calibImages: num(v.calib) }),
    ...(v['no-threads'] && { threads: false }),
    ...(v.batch && { batchImages: num(v.batch) }),
    log: (s) => console.log(s),
  };
  const r = await runBench(opts);
  console.log(textReport(r));

  mkdirSync(OUT_DIR, { recursive: true });
  const json = join(OUT_DIR, 'results.json');
  writeFileSync(json, JSON.stringify(r, null, 1));
  console.log(`wrote ${json.slice(ROOT.length)}`);
  if (!v['no-record']) {
    const quote = (a: string) => (/^[\w.,=/:-]+$/.test(a) ? a : `"${a.replace(/(["\\$`])/g, '\\$1')}"`);
    // The note has its own line in RESULTS.md.
    const args = argv.filter((a, i) => a !== '--note' && argv[i - 1] !== '--note' && !a.startsWith('--note='));
    const command = `npm run bench${args.length ? ' -- ' + args.map(quote).join(' ') : ''}${args.length < argv.length ? ' --note …' : ''}`;
    const svg = join(ROOT, 'bench/chart.svg');
    writeFileSync(svg, chartSvg(r));
    const md = join(ROOT, 'bench/RESULTS.md');
    writeFileSync(md, withSection(existsSync(md) ? readFileSync(md, 'utf8') : RESULTS_HEADER, markdownSection(r, command, v.note)));
    console.log(`wrote ${svg.slice(ROOT.length)}, added a section to ${md.slice(ROOT.length)}`);
  }
  return r;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
