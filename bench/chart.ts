// bench/chart.svg, written by hand: horizontal bars for latency (per network and engine),
// runtime download size and model file size. Linear scales, values printed on the bars.
import type { BenchResult } from './harness.ts';

interface Bar {
  label: string;
  value: number;
  text: string;
  color: string;
  /** Extra space above this bar (a new group). */
  gapBefore?: boolean;
}

const COLORS = { edge: '#1f6feb', ort: '#d97706', tfjs: '#6b7280' };
const colorOf = (id: string) =>
  id.startsWith('edge') ? COLORS.edge : id.startsWith('ort') || id.includes('onnx') ? COLORS.ort : COLORS.tfjs;
const RUNTIME_LABELS: Record<string, string> = {
  'edge-resnet': 'edge-resnet: core JS + kernels .wasm',
  'onnxruntime-web': 'onnxruntime-web: JS + wasm',
  'tfjs-wasm': 'tfjs-core + tfjs-backend-wasm: JS + wasm',
};
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const W = 860;
const LABEL_W = 300;
const BAR_H = 16;
const GAP = 5;

function panel(title: string, bars: Bar[], y0: number): { svg: string; height: number } {
  const max = Math.max(...bars.map((b) => b.value), 1e-9);
  const span = W - LABEL_W - 110;
  const parts = [`<text x="10" y="${y0 + 16}" class="t">${esc(title)}</text>`];
  let y = y0 + 28 - (BAR_H + GAP);
  bars.forEach((b) => {
    y += BAR_H + GAP + (b.gapBefore ? 8 : 0);
    const w = Math.max(2, (b.value / max) * span);
    parts.push(
      `<text x="${LABEL_W - 8}" y="${y + BAR_H - 4}" class="l" text-anchor="end">${esc(b.label)}</text>`,
      `<rect x="${LABEL_W}" y="${y}" width="${w.toFixed(1)}" height="${BAR_H}" fill="${b.color}" rx="2"/>`,
      `<text x="${(LABEL_W + w + 6).toFixed(1)}" y="${y + BAR_H - 4}" class="v">${esc(b.text)}</text>`,
    );
  });
  return { svg: parts.join('\n'), height: y + BAR_H + 26 - y0 };
}

export function chartSvg(r: BenchResult): string {
  const panels: { title: string; bars: Bar[] }[] = [];
  const lat: Bar[] = [];
  for (const a of r.archs) {
    const name = a.arch === 'resnet18' ? 'ResNet-18' : a.arch === 'resnet34' ? 'ResNet-34' : a.arch;
    a.engines.forEach((e, i) =>
      lat.push({
        label: `${name} · ${e.label}`,
        value: e.latency.median,
        text: `${e.latency.median.toFixed(0)} ms`,
        color: colorOf(e.id),
        gapBefore: i === 0 && lat.length > 0,
      }),
    );
  }
  panels.push({
    title: `Latency, median ms, one thread unless labelled, ${r.archs[0]?.size ?? 224}×${r.archs[0]?.size ?? 224} (lower is better)`,
    bars: lat,
  });
  const totals = r.runtimeSizes.filter((s) => s.item.startsWith('runtime total'));
  panels.push({
    title: 'Runtime download (JS + wasm), gzip',
    bars: totals.map((s) => ({
      label: RUNTIME_LABELS[s.group] ?? s.group,
      value: s.gzip,
      text: s.gzip >= 1e6 ? `${(s.gzip / 1e6).toFixed(2)} MB` : `${(s.gzip / 1e3).toFixed(0)} KB`,
      color: colorOf(s.group === 'edge-resnet' ? 'edge' : s.group === 'onnxruntime-web' ? 'ort' : 'tfjs'),
    })),
  });
  const models = r.archs.find((a) => a.arch === 'resnet18')?.modelSizes ?? r.archs[0]?.modelSizes ?? [];
  panels.push({
    title: 'Model file, MB (raw)',
    bars: models.map((s) => ({
      label: s.item,
      value: s.raw,
      text: `${(s.raw / 1e6).toFixed(1)} MB`,
      color: colorOf(s.item.includes('pack') ? 'edge' : 'ort'),
    })),
  });
  if (r.cold.length) {
    const c = r.cold[0];
    panels.push({
      title: `${c.arch === 'resnet18' ? 'ResNet-18' : c.arch} cold start: import to first result, median ms`,
      bars: c.results.map((x) => ({
        label: x.label.split(':')[0],
        value: x.total.median,
        text: `${x.total.median.toFixed(0)} ms`,
        color: colorOf(x.id),
      })),
    });
  }
  let y = 34;
  const body: string[] = [];
  for (const p of panels) {
    const { svg, height } = panel(p.title, p.bars, y);
    body.push(svg);
    y += height;
  }
  const footer = `${r.date.slice(0, 10)} · ${r.machine.cpu}, ${r.machine.cores} cores (shared, load ${r.machine.loadavgStart[0].toFixed(1)}) · Node ${r.versions.node} · onnxruntime-web ${r.versions['onnxruntime-web']} · tfjs ${r.versions['@tensorflow/tfjs-core']}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${y + 20}" viewBox="0 0 ${W} ${y + 20}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif">
<style>.h{font-size:16px;font-weight:600}.t{font-size:13px;font-weight:600}.l{font-size:11.5px}.v{font-size:11.5px;fill:#333}.f{font-size:10px;fill:#666}</style>
<rect width="100%" height="100%" fill="#fff"/>
<text x="10" y="22" class="h">edge-resnet vs onnxruntime-web vs tfjs-backend-wasm</text>
${body.join('\n')}
<text x="10" y="${y + 8}" class="f">${esc(footer)}</text>
</svg>
`;
}
