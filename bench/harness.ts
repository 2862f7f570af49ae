// The end-to-end benchmark as a function (npm run bench and, later, `edge-resnet bench` call
// it): per network, every engine in one process, warmed up by time, then timed round-robin;
// cold start and memory in fresh processes; download sizes; agreement between engines'
// logits (the int8 peer runs our quantization, so it should match ours closely).
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { randomImages } from '../tests/fixtures/random-images.ts';
import type { ArchName } from '../tests/fixtures/resnet-spec.ts';
import { ALL_ENGINES, availableEngines, createEngine, type Engine, type EngineId, toInput } from './engines.ts';
import { argmax, cosine, interleaved, stats, type Stats, warmUp } from './measure.ts';
import { coldStart, type ColdResult } from './cold-start.ts';
import { layerBreakdown, type LayerBreakdown } from './layers.ts';
import { threadsSection, type ThreadsResult } from './threads.ts';
import { modelSizes, runtimeSizes, type SizeRow } from './sizes.ts';
import { prepareModels, ROOT } from './models/index.ts';

export interface BenchOptions {
  /** @defaultValue ['resnet18', 'resnet34'] */
  archs?: ArchName[];
  /** Input side for every network. @defaultValue 224, and 32 for the CIFAR ResNets */
  size?: number;
  /** @defaultValue every engine this runtime can run */
  engines?: EngineId[];
  /** Warm-up per engine, seconds. @defaultValue 3 */
  warmSeconds?: number;
  /** Timed runs per engine, at least. @defaultValue 20 */
  minRuns?: number;
  /** Keep timing rounds for this long per network, seconds. @defaultValue 30 */
  seconds?: number;
  /** Cold-start processes per configuration (0: skip). @defaultValue 5 */
  coldReps?: number;
  /** Networks the cold start is measured on. @defaultValue ['resnet18'] */
  coldArchs?: ArchName[];
  /** Per-layer breakdown of our int8 engine. @defaultValue false */
  layers?: boolean;
  /** Calibration images for the int8 pack. @defaultValue 32 */
  calibImages?: number;
  /** Images the engines' logits are compared on. @defaultValue 8 */
  agreementImages?: number;
  /** The threads section (bench/threads.ts): ours on 1 and 2 threads vs onnxruntime-web on 2, and batch throughput. @defaultValue true */
  threads?: boolean;
  /** Images in the throughput batch of the threads section. @defaultValue 32 */
  batchImages?: number;
  log?: (s: string) => void;
}

export interface EngineResult {
  id: EngineId;
  label: string;
  createMs: number;
  warmupRuns: number;
  latency: Stats;
  /** Median of the first half of the timed runs over the second half's: well above 1 means the engine was still warming up (tier-up) or the load changed. */
  drift: number;
  memoryBytes?: number;
}

export interface Agreement {
  a: EngineId;
  b: EngineId;
  minCosine: number;
  medianCosine: number;
  maxAbsDiff: number;
  top1Agree: number;
  images: number;
}

export interface ArchResult {
  arch: ArchName;
  size: number;
  seed: number;
  calibImages: number;
  engines: EngineResult[];
  agreement: Agreement[];
  layers?: LayerBreakdown;
  threads?: ThreadsResult | { error: string };
  modelSizes: SizeRow[];
}

export interface BenchResult {
  date: string;
  machine: { cpu: string; cores: number; loadavgStart: number[]; loadavgEnd: number[]; memoryGiB: number };
  versions: Record<string, string>;
  options: Required<Omit<BenchOptions, 'log'>>;
  skipped: string[];
  archs: ArchResult[];
  cold: { arch: ArchName; results: ColdResult[] }[];
  runtimeSizes: SizeRow[];
  seconds: number;
}

const AGREEMENT_PAIRS: [EngineId, EngineId][] = [
  ['ort-int8', 'edge-int8-simd'],
  ['edge-int8-relaxed', 'edge-int8-simd'],
  ['edge-fp32', 'ort-fp32'],
  ['tfjs-fp32', 'ort-fp32'],
  ['edge-int8-simd', 'ort-fp32'],
  ['ort-int8', 'ort-fp32'],
  ['edge-int8-t2', 'edge-int8-simd'],
];

export async function runBench(opts: BenchOptions = {}): Promise<BenchResult> {
  const log = opts.log ?? (() => {});
  const o: BenchResult['options'] = {
    archs: opts.archs ?? ['resnet18', 'resnet34'],
    size: opts.size ?? 224,
    engines: opts.engines ?? ALL_ENGINES,
    warmSeconds: opts.warmSeconds ?? 3,
    minRuns: opts.minRuns ?? 20,
    seconds: opts.seconds ?? 30,
    coldReps: opts.coldReps ?? 5,
    coldArchs: opts.coldArchs ?? ['resnet18'],
    layers: opts.layers ?? false,
    calibImages: opts.calibImages ?? 32,
    agreementImages: opts.agreementImages ?? 8,
    threads: opts.threads ?? true,
    batchImages: opts.batchImages ?? 32,
  };
  const t0 = performance.now();
  const date = new Date().toISOString();
  const loadavgStart = loadavg();
  const { ids, skipped } = availableEngines(o.engines);
  skipped.forEach((s) => log(`skipping ${s}`));

  const archs: ArchResult[] = [];
  const cold: BenchResult['cold'] = [];
  for (const arch of o.archs) {
    const size = opts.size ?? (arch.startsWith('cifar') ? 32 : 224);
    log(`\n${arch} ${size}×${size}: models`);
    const m = await prepareModels({ arch, size, calibImages: o.calibImages, log });
    const inputs = randomImages({ count: o.agreementImages, size, seed: 7 }).map((x) => toInput(x, 3, size, size));

    const engines: Engine[] = [];
    const results: EngineResult[] = [];
    const logits = new Map<EngineId, Float32Array[]>();
    for (const id of ids) {
      const c0 = performance.now();
      const e = await createEngine(id, m);
      const createMs = performance.now() - c0;
      engines.push(e);
      // The agreement images double as the first warm-up runs.
      const ys: Float32Array[] = [];
      for (const x of inputs) ys.push(await e.infer(x));
      logits.set(id, ys);
      const bound = { run: () => e.infer(inputs[0]) };
      const w = await warmUp(bound, o.warmSeconds);
      log(
        `  ${e.label}: created in ${createMs.toFixed(0)} ms; warm-up ${w.length + inputs.length} runs, last ${w[w.length - 1].toFixed(1)} ms`,
      );
      results.push({
        id,
        label: e.label,
        createMs,
        warmupRuns: w.length + inputs.length,
        latency: stats([0]),
        drift: 1,
        memoryBytes: e.memoryBytes,
      });
    }
    const agreement = AGREEMENT_PAIRS.filter(([a, b]) => logits.has(a) && logits.has(b)).map(([a, b]) =>
      compare(a, b, logits.get(a)!, logits.get(b)!),
    );

    log(`  timing: round-robin, ≥ ${o.minRuns} runs each, ≥ ${o.seconds} s`);
    const samples = await interleaved(
      engines.map((e) => ({ run: () => e.infer(inputs[0]) })),
      {
        minRuns: o.minRuns,
        seconds: o.seconds,
        onRound: (r) => {
          if (r % 10 === 0) log(`    round ${r}`);
        },
      },
    );
    samples.forEach((s, i) => {
      results[i].latency = stats(s);
      const h = s.length >> 1;
      results[i].drift = h ? stats(s.slice(0, h)).median / stats(s.slice(h)).median : 1;
    });
    for (const e of engines) await e.dispose();

    let layers: LayerBreakdown | undefined;
    if (o.layers) {
      log('  per-layer breakdown (edge-resnet int8)');
      layers = await layerBreakdown(m.bytes.int8Pack, inputs[0].nchw, {
        warmSeconds: Math.min(o.warmSeconds, 2),
        runs: Math.max(10, Math.min(o.minRuns, 20)),
      });
    }
    const threads = o.threads
      ? threadsSection(
          {
            arch,
            size,
            calibImages: o.calibImages,
            warmSeconds: o.warmSeconds,
            minRuns: o.minRuns,
            seconds: o.seconds,
            batch: o.batchImages,
            batchRounds: Math.max(3, Math.min(o.minRuns, 9)),
          },
          log,
        )
      : undefined;
    archs.push({
      arch,
      size,
      seed: m.seed,
      calibImages: m.calibImages,
      engines: results,
      agreement,
      layers,
      threads,
      modelSizes: modelSizes(m),
    });

    if (o.coldReps > 0 && o.coldArchs.includes(arch)) {
      log(`  cold start: ${o.coldReps} fresh processes per configuration`);
      const configs = [
        {
          id: 'edge-int8',
          label: 'edge-resnet int8: import + load(pack) + first logits',
          engine: 'edge' as const,
          model: m.files.int8Pack,
        },
        {
          id: 'ort-fp32',
          label: 'onnxruntime-web fp32: import + session create + first run',
          engine: 'ort' as const,
          model: m.files.fp32Onnx,
        },
        {
          id: 'ort-int8',
          label: 'onnxruntime-web int8 QDQ: import + session create + first run',
          engine: 'ort' as const,
          model: m.files.qdqOnnx,
        },
      ];
      cold.push({ arch, results: await coldStart(configs, { reps: o.coldReps, size, log }) });
    }
  }
  log('\nsizes');
  return {
    date,
    machine: {
      cpu: cpuModel(),
      cores: cpus().length,
      loadavgStart,
      loadavgEnd: loadavg(),
      memoryGiB: Math.round(Number(readFileSync('/proc/meminfo', 'utf8').match(/MemTotal:\s+(\d+)/)?.[1] ?? 0) / 1048576),
    },
    versions: versions(),
    options: o,
    skipped,
    archs,
    cold,
    runtimeSizes: runtimeSizes(),
    seconds: (performance.now() - t0) / 1000,
  };
}

function compare(a: EngineId, b: EngineId, ya: Float32Array[], yb: Float32Array[]): Agreement {
  const cos = ya.map((y, i) => cosine(y, yb[i]));
  let maxAbsDiff = 0;
  ya.forEach((y, i) => y.forEach((v, j) => (maxAbsDiff = Math.max(maxAbsDiff, Math.abs(v - yb[i][j])))));
  const top1Agree = ya.filter((y, i) => argmax(y) === argmax(yb[i])).length;
  return { a, b, minCosine: Math.min(...cos), medianCosine: stats(cos).median, maxAbsDiff, top1Agree, images: ya.length };
}

function cpuModel(): string {
  try {
    return (
      execSync('lscpu', { encoding: 'utf8' })
        .match(/Model name:\s*(.+)/)?.[1]
        .trim() ?? cpus()[0].model
    );
  } catch {
    return cpus()[0]?.model ?? 'unknown';
  }
}

function versions(): Record<string, string> {
  const pkg = (name: string) => JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version as string;
  const v: Record<string, string> = {
    node: process.versions.node,
    v8: process.versions.v8,
    'edge-resnet': JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version,
  };
  for (const p of ['onnxruntime-web', '@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm', 'assemblyscript']) v[p] = pkg(p);
  try {
    const head = execSync('git rev-parse --short HEAD', { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execSync('git status --porcelain --untracked-files=no', { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    v.commit = head + (dirty ? ' (+ uncommitted changes)' : '');
  } catch {
    v.commit = 'unknown';
  }
  return v;
}
