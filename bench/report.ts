// Turns a BenchResult into the stdout table and a RESULTS.md section, ending with the project's
// targets judged: latency and cold start against onnxruntime-web, kernel, code and pack sizes, memory.
import type { ArchResult, BenchResult } from './harness.ts';
import type { EngineId } from './engines.ts';

export interface Target {
  name: string;
  goal: string;
  actual: string;
  pass: boolean | undefined;
}

const MB = 1e6;
const KB = 1e3;
const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const ratio = (x: number | undefined) => (x === undefined ? '–' : `${x.toFixed(2)}×`);
const bytes = (b: number) => (b >= MB ? `${(b / MB).toFixed(2)} MB` : `${(b / KB).toFixed(1)} KB`);
const median = (a: ArchResult, id: EngineId) => a.engines.find((e) => e.id === id)?.latency.median;
const div = (x: number | undefined, y: number | undefined) => (x === undefined || y === undefined ? undefined : x / y);
const NAMES: Record<string, string> = { resnet18: 'ResNet-18', resnet34: 'ResNet-34', resnet50: 'ResNet-50', cifar20: 'CIFAR ResNet-20' };
/** Latency goals against onnxruntime-web [int8, fp32]: the bottleneck ResNets' own (issue 17), else the basic blocks'. */
const LATENCY_GOALS: Record<string, [number, number]> = { resnet50: [0.6, 0.3] };
/** Peak wasm memory goals: the int8 pack plus this many MB (ResNet-18's from the first issues, ResNet-50's from issue 17). */
const MEMORY_HEADROOM_MB: Record<string, number> = { resnet18: 16, resnet50: 32 };

/** The targets are for 224×224; at other sizes they are shown but not judged. */
export function targets(r: BenchResult): Target[] {
  const judged = r.options.size === 224;
  const t: Target[] = [];
  for (const a of r.archs) {
    const name = NAMES[a.arch] ?? a.arch;
    for (const id of ['edge-int8-simd', 'edge-int8-relaxed'] as const) {
      const ours = median(a, id);
      if (ours === undefined) continue;
      const vsInt8 = div(ours, median(a, 'ort-int8'));
      const vsFp32 = div(ours, median(a, 'ort-fp32'));
      const [g8, g32] = LATENCY_GOALS[a.arch] ?? [0.8, 0.4];
      t.push({
        name: `${name} ${id} median vs onnxruntime-web int8`,
        goal: `≤ ${g8.toFixed(2)}×`,
        actual: ratio(vsInt8),
        pass: vsInt8 === undefined ? undefined : vsInt8 <= g8,
      });
      t.push({
        name: `${name} ${id} median vs onnxruntime-web fp32`,
        goal: `≤ ${g32.toFixed(2)}×`,
        actual: ratio(vsFp32),
        pass: vsFp32 === undefined ? undefined : vsFp32 <= g32,
      });
    }
  }
  // The threads targets are issue 16's, for ResNet-18 and -34; other networks' threads figures are reported, not judged.
  for (const a of r.archs.filter((x) => x.arch === 'resnet18' || x.arch === 'resnet34')) {
    const name = NAMES[a.arch] ?? a.arch;
    const th = a.threads;
    if (!th || 'error' in th) continue;
    const med = (id: EngineId) => th.latency.find((e) => e.id === id)?.latency.median;
    const vsOne = div(med('edge-int8-t2'), med('edge-int8-relaxed'));
    const vsOrt = div(med('edge-int8-t2'), med('ort-int8'));
    t.push({
      name: `${name} int8, 2 threads vs our 1 thread (same process)`,
      goal: '≤ 0.60×',
      actual: ratio(vsOne),
      pass: vsOne === undefined ? undefined : vsOne <= 0.6,
    });
    t.push({
      name: `${name} int8, 2 threads vs onnxruntime-web int8 on 2 threads`,
      goal: '≤ 0.65×',
      actual: ratio(vsOrt),
      pass: vsOrt === undefined ? undefined : vsOrt <= 0.65,
    });
    t.push({
      name: `${name} logits() of ${th.batch.images} images on 2 threads vs ${th.batch.images} single calls on 1`,
      goal: '≥ 1.85× images/s',
      actual: ratio(th.batch.speedup),
      pass: th.batch.speedup >= 1.85,
    });
  }
  for (const c of r.cold) {
    const ours = c.results.find((x) => x.id === 'edge-int8')?.total.median;
    for (const peer of ['ort-fp32', 'ort-int8']) {
      const theirs = c.results.find((x) => x.id === peer)?.total.median;
      const q = div(ours, theirs);
      t.push({
        name: `${NAMES[c.arch] ?? c.arch} cold start to first result vs onnxruntime-web ${peer.slice(4)}`,
        goal: '≤ 0.50×',
        actual: q === undefined ? '–' : `${ratio(q)} (${ms(ours!)} vs ${ms(theirs!)} ms)`,
        pass: q === undefined ? undefined : q <= 0.5,
      });
    }
  }
  for (const s of r.runtimeSizes.filter((x) => x.group === 'edge-resnet' && /^kernels-.*\.wasm$/.test(x.item))) {
    t.push({ name: `${s.item} size`, goal: '≤ 64 KB (65,536 B)', actual: `${s.raw.toLocaleString('en')} B`, pass: s.raw <= 65536 });
  }
  const core = r.runtimeSizes.find((x) => x.item.startsWith('core JS'));
  if (core)
    t.push({ name: 'core JS gzip', goal: '≤ 30 KB (30,720 B)', actual: `${core.gzip.toLocaleString('en')} B`, pass: core.gzip <= 30720 });
  const r18 = r.archs.find((a) => a.arch === 'resnet18');
  const pack = r18?.modelSizes.find((x) => x.item.endsWith('int8 pack'));
  if (pack) t.push({ name: 'ResNet-18 int8 pack', goal: '≤ 12 MB', actual: bytes(pack.raw), pass: pack.raw <= 12 * MB });
  for (const a of r.archs) {
    const headroom = MEMORY_HEADROOM_MB[a.arch];
    const packBytes = a.modelSizes.find((x) => x.item.endsWith('int8 pack'))?.raw;
    const mem = a.engines.find((e) => e.id.startsWith('edge-int8'))?.memoryBytes;
    if (headroom === undefined || packBytes === undefined || mem === undefined) continue;
    const limit = packBytes + headroom * MB;
    t.push({
      name: `${NAMES[a.arch] ?? a.arch} int8 peak wasm memory`,
      goal: `≤ pack + ${headroom} MB = ${bytes(limit)}`,
      actual: bytes(mem),
      pass: mem <= limit,
    });
  }
  return judged ? t : t.map((x) => ({ ...x, pass: undefined, goal: `${x.goal} (at 224×224)` }));
}

/** The first `left` columns are text (left-aligned), the rest figures (right-aligned). */
function table(head: string[], rows: string[][], md: boolean, left = 1): string {
  if (md)
    return [
      `| ${head.join(' | ')} |`,
      `| ${head.map((_, i) => (i < left ? '---' : '---:')).join(' | ')} |`,
      ...rows.map((r) => `| ${r.join(' | ')} |`),
    ].join('\n');
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i < left ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}

function sections(r: BenchResult, md: boolean): string[] {
  const out: string[] = [];
  const h = (s: string) => out.push(md ? `\n### ${s}\n` : `\n${s}`);
  for (const a of r.archs) {
    const i8 = median(a, 'ort-int8');
    const f32 = median(a, 'ort-fp32');
    h(
      `${NAMES[a.arch] ?? a.arch} ${a.size}×${a.size}: latency, ms, one thread unless the engine says otherwise (${a.engines[0]?.latency.runs ?? 0} interleaved runs each, after ≥ ${r.options.warmSeconds} s warm-up)`,
    );
    out.push(
      table(
        ['engine', 'median', 'p25', 'p75', 'min', 'max', 'vs ORT int8', 'vs ORT fp32', '1st/2nd half', 'wasm memory'],
        a.engines.map((e) => [
          e.label,
          ms(e.latency.median),
          ms(e.latency.p25),
          ms(e.latency.p75),
          ms(e.latency.min),
          ms(e.latency.max),
          ratio(div(e.latency.median, i8)),
          ratio(div(e.latency.median, f32)),
          e.drift.toFixed(2),
          e.memoryBytes ? bytes(e.memoryBytes) : '',
        ]),
        md,
      ),
    );
    h(`${NAMES[a.arch] ?? a.arch}: agreement of logits on ${a.agreement[0]?.images ?? 0} seeded images`);
    out.push(
      table(
        ['pair', 'min cosine', 'median cosine', 'max |Δ|', 'same top-1'],
        a.agreement.map((g) => [
          `${g.a} vs ${g.b}`,
          g.minCosine.toFixed(6),
          g.medianCosine.toFixed(6),
          g.maxAbsDiff.toPrecision(3),
          `${g.top1Agree}/${g.images}`,
        ]),
        md,
      ),
    );
    if (a.layers) {
      const L = a.layers;
      h(
        `${NAMES[a.arch] ?? a.arch}: edge-resnet ${L.precision} (${L.simd}) by layer kind (median of ${L.runs} runs, total ${ms(L.totalMs)} ms)`,
      );
      out.push(
        table(
          ['kind', 'ms', 'share', 'GMAC (direct conv.)', 'GMAC/s'],
          L.byKind.map((k) => [
            k.kind,
            ms(k.ms),
            `${(100 * k.share).toFixed(1)} %`,
            k.macs ? (k.macs / 1e9).toFixed(3) : '',
            k.gmacs ? k.gmacs.toFixed(1) : '',
          ]),
          md,
        ),
      );
      const top = [...L.rows].sort((x, y) => y.medianMs - x.medianMs).slice(0, 8);
      h(`${NAMES[a.arch] ?? a.arch}: slowest nodes`);
      out.push(
        table(
          ['node', 'kind', 'shape', 'ms', 'GMAC/s'],
          top.map((n) => [n.name, n.kind, n.shape, ms(n.medianMs), n.gmacs ? n.gmacs.toFixed(1) : '']),
          md,
          3,
        ),
      );
    }
  }
  for (const c of r.cold) {
    h(`${NAMES[c.arch] ?? c.arch} cold start and memory (median of ${c.results[0]?.samples.length ?? 0} fresh processes each)`);
    out.push(
      table(
        ['configuration', 'total ms', 'import', 'load/create', 'first run', 'wasm memory', 'RSS growth', 'peak RSS'],
        c.results.map((x) => [
          x.label,
          ms(x.total.median),
          ms(x.import.median),
          ms(x.load.median),
          ms(x.firstRun.median),
          bytes(x.wasmBytes),
          bytes(x.rssGrowth),
          bytes(x.peakRss),
        ]),
        md,
      ),
    );
  }
  for (const a of r.archs) {
    const th = a.threads;
    if (!th) continue;
    h(
      `${NAMES[a.arch] ?? a.arch} ${a.size}×${a.size}: threads (a process with onnxruntime-web on 2 threads; ${'error' in th ? 0 : (th.latency[0]?.latency.runs ?? 0)} interleaved runs each)`,
    );
    if ('error' in th) {
      out.push(th.error);
      continue;
    }
    const one = th.latency.find((e) => e.id === 'edge-int8-relaxed')?.latency.median;
    const ortInt8 = th.latency.find((e) => e.id === 'ort-int8')?.latency.median;
    out.push(
      table(
        ['engine', 'median', 'p25', 'p75', 'vs ours on 1 thread', 'vs ORT int8 on 2 threads'],
        th.latency.map((e) => [
          e.label,
          ms(e.latency.median),
          ms(e.latency.p25),
          ms(e.latency.p75),
          ratio(div(e.latency.median, one)),
          ratio(div(e.latency.median, ortInt8)),
        ]),
        md,
      ),
    );
    const b = th.batch;
    out.push(
      `${md ? '\n' : ''}Batch of ${b.images} images (median of ${b.rounds} alternating rounds): ${b.singleImagesPerS.toFixed(1)} images/s as single calls on 1 thread, ${b.batchImagesPerS.toFixed(1)} images/s as one logits(array) on 2 threads: ${ratio(b.speedup)}. Wasm memory: ${bytes(th.memoryBytes.one)} on 1 thread, ${bytes(th.memoryBytes.two)} on 2 (an extra thread costs ${bytes(th.memoryBytes.two - th.memoryBytes.one)}). CPU time per image, every thread counted: ${ms(th.cpuMsPerImage.single)} ms as single calls on 1 thread, ${ms(th.cpuMsPerImage.split)} ms split across 2, ${ms(th.cpuMsPerImage.batch)} ms in batches on 2.`,
    );
  }
  h('Download sizes (gzip: level 9 for code, 6 for models)');
  const sizeRows = [...r.runtimeSizes, ...r.archs.flatMap((a) => a.modelSizes)];
  out.push(
    table(
      ['group', 'item', 'raw', 'gzip'],
      sizeRows.map((s) => [s.group, s.item, bytes(s.raw), bytes(s.gzip)]),
      md,
      2,
    ),
  );
  h('Targets');
  out.push(
    table(
      ['target', 'goal', 'measured', ''],
      targets(r).map((t) => [t.name, t.goal, t.actual, t.pass === undefined ? '–' : t.pass ? 'met' : 'NOT met']),
      md,
      1,
    ),
  );
  return out;
}

export function textReport(r: BenchResult): string {
  return sections(r, false).join('\n') + '\n';
}

export function markdownSection(r: BenchResult, command: string, note?: string): string {
  const m = r.machine;
  const v = r.versions;
  const head = [
    `\n## ${r.date.slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `- Command: \`${command}\` (${r.seconds.toFixed(0)} s of measuring, not counting the build)`,
    `- Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB; load average ${m.loadavgStart.map((x) => x.toFixed(1)).join(' / ')} at start, ${m.loadavgEnd.map((x) => x.toFixed(1)).join(' / ')} at end (1/5/15 min)`,
    `- Runtime: Node ${v.node} (V8 ${v.v8}); onnxruntime-web ${v['onnxruntime-web']}; @tensorflow/tfjs-core ${v['@tensorflow/tfjs-core']} + tfjs-backend-wasm ${v['@tensorflow/tfjs-backend-wasm']}; edge-resnet ${v['edge-resnet']} at ${v.commit}`,
    `- Networks: torchvision ResNet architecture, seeded weights with realistic BN statistics (tests/fixtures), the same weights for every engine; int8 calibrated on ${r.archs[0]?.calibImages ?? '?'} seeded images`,
    ...(r.skipped.length ? [`- Skipped: ${r.skipped.join('; ')}`] : []),
    ...(note ? [`- Note: ${note}`] : []),
  ];
  return head.join('\n') + '\n' + sections(r, true).join('\n') + '\n';
}
