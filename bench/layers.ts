// Per-layer breakdown of our engine (--layers): the executor's observer fires right after
// the input is quantized and after every step, so the time between two calls is one node's
// kernel time (plus a few microseconds of observer overhead). No change to the runtime.
import { nodeMacs } from '../ts-sdk/model/cost.ts';
import type { Model, Node } from '../ts-sdk/model/graph.ts';
import { readPack } from '../ts-sdk/pack/index.ts';
import { kernelModule } from '../ts-sdk/kernels/module.ts';
import { Executor } from '../ts-sdk/runtime/executor.ts';
import { usesWinograd } from '../ts-sdk/runtime/lower-int8.ts';
import type { SimdLevel } from '../ts-sdk/kernels/features.ts';
import { stats, warmUp } from './measure.ts';

export interface LayerRow {
  index: number;
  /** Node name: the conv's weight name without '.weight', or op + output id. */
  name: string;
  kind: string;
  shape: string;
  macs: number;
  medianMs: number;
  gmacs?: number;
}

export interface LayerBreakdown {
  arch: string;
  precision: string;
  simd: SimdLevel;
  runs: number;
  totalMs: number;
  rows: LayerRow[];
  /** Summed by kind, largest first. */
  byKind: { kind: string; ms: number; share: number; macs: number; gmacs?: number }[];
}

export function describe(n: Node, m: Model): { name: string; kind: string; shape: string; macs: number } {
  const act = m.graph.activations;
  if (n.op === 'conv') {
    const [OH, OW] = act[n.output].shape;
    const [H, W] = act[n.input].shape;
    const k = `${n.kernelH}×${n.kernelW}`;
    const winograd = m.graph.precision === 'int8' && usesWinograd(n, OH, OW);
    const kind =
      n.kernelH === 7
        ? 'conv 7×7 s2 (stem)'
        : n.kernelH === 1
          ? `conv 1×1 s${n.stride} (downsample)`
          : `conv ${k} s${n.stride}${winograd ? ' (Winograd)' : ''}`;
    return {
      name: n.weight.replace(/\.weight$/, ''),
      kind,
      shape: `${H}×${W}×${n.cin} → ${OH}×${OW}×${n.cout}`,
      macs: nodeMacs(n, m.graph),
    };
  }
  const [H, W, C] = act[n.op === 'add' ? n.a : n.input].shape;
  if (n.op === 'fc')
    return { name: n.weight.replace(/\.weight$/, ''), kind: 'fc', shape: `${n.cin} → ${n.cout}`, macs: nodeMacs(n, m.graph) };
  return { name: `${n.op}${n.output}`, kind: n.op === 'gavgpool' ? 'global avg pool' : n.op, shape: `${H}×${W}×${C}`, macs: 0 };
}

export async function layerBreakdown(
  packBytes: Uint8Array,
  input: Float32Array,
  o: { simd?: SimdLevel; warmSeconds: number; runs: number },
): Promise<LayerBreakdown> {
  const model = readPack(packBytes);
  const { module, level } = await kernelModule(undefined, o.simd);
  const exec = await Executor.create(model, module);
  const nodes = model.graph.nodes;
  await warmUp({ run: async () => exec.run(input) }, o.warmSeconds);

  const times: number[][] = Array.from({ length: nodes.length + 1 }, () => []);
  const totals: number[] = [];
  for (let r = 0; r < o.runs; r++) {
    let i = 0;
    const start = performance.now();
    let last = start;
    exec.run(input, () => {
      const now = performance.now();
      times[i++].push(now - last);
      last = now;
    });
    totals.push(performance.now() - start);
  }
  const rows: LayerRow[] = [
    {
      index: -1,
      name: 'input',
      kind: 'input quantize',
      shape: `${model.graph.input.channels}×${model.graph.input.height}×${model.graph.input.width} f32 → u8`,
      macs: 0,
      medianMs: stats(times[0]).median,
    },
    ...nodes.map((n, i) => {
      const d = describe(n, model);
      const ms = stats(times[i + 1]).median;
      return { index: i, ...d, medianMs: ms, gmacs: d.macs ? d.macs / ms / 1e6 : undefined };
    }),
  ];
  const kinds = new Map<string, { ms: number; macs: number }>();
  for (const r of rows) {
    const k = kinds.get(r.kind) ?? { ms: 0, macs: 0 };
    k.ms += r.medianMs;
    k.macs += r.macs;
    kinds.set(r.kind, k);
  }
  const sum = rows.reduce((s, r) => s + r.medianMs, 0);
  const byKind = [...kinds]
    .map(([kind, k]) => ({ kind, ms: k.ms, share: k.ms / sum, macs: k.macs, gmacs: k.macs ? k.macs / k.ms / 1e6 : undefined }))
    .sort((a, b) => b.ms - a.ms);
  return {
    arch: model.graph.arch,
    precision: model.graph.precision,
    simd: level,
    runs: o.runs,
    totalMs: stats(totals).median,
    rows,
    byKind,
  };
}
