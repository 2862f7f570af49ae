// The threads section of the benchmark: in a child process whose onnxruntime-web runs on 2
// threads (ORT reads numThreads once per process, and the main run keeps it at 1), ours on 1
// and 2 threads and ORT int8 and fp32 on 2, interleaved as in the main run; then the batch
// throughput: `images` single logits() calls on one thread against one logits(array) call on
// 2 threads, alternating rounds; and the CPU time per image (all threads counted) of each way,
// which on a shared machine shows what threads cost when their wall time cannot show what
// they gain (Linux gives each busy login session an equal share of the cores: autogroup).
//   node --experimental-wasm-relaxed-simd --import tsx bench/threads.ts '<ThreadsOptions JSON>'
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { load } from '../ts-sdk/index.ts';
import { randomImages } from '../tests/fixtures/random-images.ts';
import type { ArchName } from '../tests/fixtures/resnet-spec.ts';
import { createEngine, toInput, type EngineId } from './engines.ts';
import { interleaved, stats, warmUp, type Stats } from './measure.ts';
import { prepareModels, ROOT } from './models/index.ts';

export interface ThreadsOptions {
  arch: ArchName;
  size: number;
  calibImages: number;
  warmSeconds: number;
  minRuns: number;
  seconds: number;
  /** Images in the throughput batch. */
  batch: number;
  /** Rounds of (single calls, one batch call). */
  batchRounds: number;
}

export interface ThreadsResult {
  latency: { id: EngineId; label: string; latency: Stats }[];
  batch: { images: number; rounds: number; singleImagesPerS: number; batchImagesPerS: number; speedup: number };
  /** Wasm memory of our classifier on 1 and on 2 threads. */
  memoryBytes: { one: number; two: number };
  /** Process CPU time per image (ms, every thread), median of the rounds: single calls on 1 thread, split on 2, batches on 2. */
  cpuMsPerImage: { single: number; split: number; batch: number };
}

const MARK = '@@threads-result@@ ';
const ENGINES: EngineId[] = ['edge-int8-relaxed', 'edge-int8-t2', 'ort-int8', 'ort-fp32'];

/** Runs the section in a child process (so ORT can have 2 threads) and returns its result. */
export function threadsSection(o: ThreadsOptions, log: (s: string) => void): ThreadsResult | { error: string } {
  log(`  threads: a child process with onnxruntime-web on 2 threads`);
  const r = spawnSync(
    process.execPath,
    ['--experimental-wasm-relaxed-simd', '--import', 'tsx', join(ROOT, 'bench/threads.ts'), JSON.stringify(o)],
    { cwd: ROOT, encoding: 'utf8', timeout: 30 * 60_000, maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = r.stdout?.split('\n').find((l) => l.startsWith(MARK));
  return line
    ? (JSON.parse(line.slice(MARK.length)) as ThreadsResult)
    : { error: `the threads child failed (${r.error?.message ?? `exit ${r.status}`})` };
}

async function child(o: ThreadsOptions): Promise<ThreadsResult> {
  const m = await prepareModels({ arch: o.arch, size: o.size, calibImages: o.calibImages });
  const inputs = randomImages({ count: o.batch, size: o.size, seed: 11 }).map((x) => toInput(x, 3, o.size, o.size));
  const engines = [];
  for (const id of ENGINES) {
    const e = await createEngine(id, m, 2);
    await warmUp({ run: () => e.infer(inputs[0]) }, o.warmSeconds);
    engines.push(e);
  }
  const samples = await interleaved(
    engines.map((e) => ({ run: () => e.infer(inputs[0]) })),
    { minRuns: o.minRuns, seconds: o.seconds },
  );
  for (const e of engines) await e.dispose();

  const one = await load(m.bytes.int8Pack),
    two = await load(m.bytes.int8Pack, { threads: 2 });
  const xs = inputs.map((x) => x.nchw);
  const single = async () => {
    for (const x of xs) await one.logits(x);
  };
  const batch = () => two.logits(xs);
  await warmUp({ run: single }, o.warmSeconds, 1);
  await warmUp({ run: batch }, o.warmSeconds, 1);
  const [s, b] = await interleaved([{ run: single }, { run: batch }], { minRuns: o.batchRounds, seconds: 0 });
  const split = async () => {
    for (const x of xs) await two.logits(x);
  };
  const cpu = (f: () => Promise<unknown>) => async () => {
    const c0 = process.cpuUsage();
    await f();
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1000 / xs.length;
  };
  const cpuRounds: { single: number[]; split: number[]; batch: number[] } = { single: [], split: [], batch: [] };
  for (let i = 0; i < o.batchRounds; i++) {
    cpuRounds.single.push(await cpu(single)());
    cpuRounds.split.push(await cpu(split)());
    cpuRounds.batch.push(await cpu(batch)());
  }
  const ips = (msPerRound: number) => (1000 * xs.length) / msPerRound;
  const result: ThreadsResult = {
    latency: engines.map((e, i) => ({ id: e.id, label: e.label, latency: stats(samples[i]) })),
    batch: {
      images: xs.length,
      rounds: s.length,
      singleImagesPerS: ips(stats(s).median),
      batchImagesPerS: ips(stats(b).median),
      speedup: stats(s).median / stats(b).median,
    },
    memoryBytes: { one: one.info.memoryBytes, two: two.info.memoryBytes },
    cpuMsPerImage: { single: stats(cpuRounds.single).median, split: stats(cpuRounds.split).median, batch: stats(cpuRounds.batch).median },
  };
  one.dispose();
  two.dispose();
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  child(JSON.parse(process.argv[2]) as ThreadsOptions).then(
    (r) => {
      process.stdout.write(`${MARK}${JSON.stringify(r)}\n`);
      process.exit(0);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
