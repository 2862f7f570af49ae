// Cold start: a fresh Node process per sample (bench/cold-child.mjs), from the engine's
// import to its first result — ours: import the package + load(pack) + first logits;
// onnxruntime-web: import + InferenceSession.create + first run. No warm-up aids. The
// configurations alternate so load drifts hit them alike; medians are reported. The same
// processes give the memory figures (wasm memory, RSS growth over the process's baseline).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './models/index.ts';
import { stats, type Stats } from './measure.ts';

const run = promisify(execFile);

export interface ColdConfig {
  id: string;
  label: string;
  engine: 'edge' | 'ort';
  model: string;
  simd?: 'simd' | 'relaxed';
}

export interface ColdSample {
  importMs: number;
  loadMs: number;
  firstRunMs: number;
  totalMs: number;
  nextRunsMs: number[];
  rss0: number;
  rssFirst: number;
  rssAfter: number;
  maxRss: number;
  wasmFirst: number;
  wasmAfter: number;
  simd?: string;
  memoryBytes?: number;
}

export interface ColdResult {
  id: string;
  label: string;
  samples: ColdSample[];
  total: Stats;
  import: Stats;
  load: Stats;
  firstRun: Stats;
  /** Medians over the samples, bytes. */
  wasmBytes: number;
  rssGrowth: number;
  peakRss: number;
}

export async function coldStart(
  configs: ColdConfig[],
  o: { reps: number; size: number; log?: (s: string) => void },
): Promise<ColdResult[]> {
  // Only the flags that enable wasm features pass on (no --no-liftoff or other warm aids).
  const flags = process.execArgv.filter((a) => a.startsWith('--experimental-wasm'));
  const child = join(ROOT, 'bench/cold-child.mjs');
  const dist = join(ROOT, 'dist/index.js');
  const samples: ColdSample[][] = configs.map(() => []);
  for (let r = 0; r < o.reps; r++) {
    for (const [i, c] of configs.entries()) {
      const arg = JSON.stringify({ engine: c.engine, model: c.model, simd: c.simd, size: o.size, dist, runs: 3 });
      const { stdout } = await run(process.execPath, [...flags, child, arg], { cwd: ROOT, maxBuffer: 1 << 20 });
      const s = JSON.parse(stdout.trim().split('\n').pop()!) as ColdSample;
      samples[i].push(s);
      o.log?.(`  cold ${c.id} #${r + 1}: ${s.totalMs.toFixed(0)} ms`);
    }
  }
  const med = (xs: number[]) => stats(xs).median;
  return configs.map((c, i) => {
    const s = samples[i];
    return {
      id: c.id,
      label: c.label,
      samples: s,
      total: stats(s.map((x) => x.totalMs)),
      import: stats(s.map((x) => x.importMs)),
      load: stats(s.map((x) => x.loadMs)),
      firstRun: stats(s.map((x) => x.firstRunMs)),
      wasmBytes: med(s.map((x) => x.wasmAfter)),
      rssGrowth: med(s.map((x) => x.rssAfter - x.rss0)),
      peakRss: med(s.map((x) => x.maxRss)),
    };
  });
}
