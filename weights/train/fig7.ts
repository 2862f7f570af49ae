// He et al. 2016 (Deep Residual Learning), Fig. 7, for our trained networks: the standard
// deviation of each residual function's response (the block's last conv with its BN, before
// the addition) layer by layer, over real images — the same numbers `convert --report`
// prints — drawn as an SVG with one line per network.
//   node --import tsx weights/train/fig7.ts -o weights/train/fig7.svg --images <png folder> \
//     resnet20=<resnet20.onnx> [resnet56=<resnet56.onnx>]
// The images are preprocessed as the Fashion-MNIST packs are (float resize to the ONNX input
// size, Normalize(0.2860, 0.3530), gray replicated).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeImage } from '../../ts-sdk/decode/index.ts';
import { preprocess } from '../../ts-sdk/preprocess/index.ts';
import { calibrate, convertOnnx, createWasmRunner, residualStd, type ResidualStdRow } from '../convert/index.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { o: { type: 'string' }, images: { type: 'string' }, count: { type: 'string', default: '256' } },
});
if (!values.o || !values.images || !positionals.length) throw new Error('usage: fig7.ts -o out.svg --images <folder> name=model.onnx …');
const files = readdirSync(values.images)
  .filter((f) => /\.png$/i.test(f))
  .sort()
  .slice(0, Number(values.count))
  .map((f) => join(values.images!, f));

const series: { name: string; rows: ResidualStdRow[] }[] = [];
for (const arg of positionals) {
  const [name, path] = arg.split('=');
  const float = convertOnnx(readFileSync(path), {
    input: { resize: 0, resizeMode: 'float', mean: [0.286, 0.286, 0.286], std: [0.353, 0.353, 0.353], color: 'gray-replicate' },
  });
  const xs = files.map((f) => preprocess(decodeImage(readFileSync(f)), float.graph.input));
  const rows = residualStd(float, calibrate(float, await createWasmRunner(float), xs));
  series.push({ name, rows });
  console.log(`${name}: ${rows.length} blocks, std ${rows.map((r) => r.std.toFixed(3)).join(' ')}`);
}
writeFileSync(values.o, svg(series, files.length));
console.log(`wrote ${values.o}`);

function svg(all: typeof series, images: number): string {
  const W = 640,
    H = 300,
    L = 56,
    R = 120,
    T = 28,
    B = 44;
  const maxBlocks = Math.max(...all.map((s) => s.rows.length));
  const maxStd = Math.max(...all.flatMap((s) => s.rows.map((r) => r.std)));
  const step = [0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5].find((v) => maxStd / v <= 5) ?? 10;
  const top = Math.ceil(maxStd / step) * step;
  const x = (i: number) => L + ((W - L - R) * i) / Math.max(maxBlocks - 1, 1);
  const y = (v: number) => T + (H - T - B) * (1 - v / top);
  const colors = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];
  const grid =
    Array.from({ length: Math.round(top / step) + 1 }, (_, k) => k * step)
      .map(
        (v) =>
          `<line x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/><text x="${L - 6}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(2)}</text>`,
      )
      .join('') +
    Array.from({ length: maxBlocks }, (_, i) => i)
      .filter((i) => maxBlocks <= 30 || i % 5 === 0)
      .map((i) => `<text x="${x(i)}" y="${H - B + 14}" text-anchor="middle">${i + 1}</text>`)
      .join('');
  const lines = all
    .map((s, k) => {
      const pts = s.rows.map((r, i) => `${x(i).toFixed(1)},${y(r.std).toFixed(1)}`).join(' ');
      const last = s.rows[s.rows.length - 1];
      return (
        `<polyline fill="none" stroke="${colors[k % colors.length]}" stroke-width="2" points="${pts}"/>` +
        s.rows
          .map((r, i) => `<circle cx="${x(i).toFixed(1)}" cy="${y(r.std).toFixed(1)}" r="2.5" fill="${colors[k % colors.length]}"/>`)
          .join('') +
        `<text x="${W - R + 8}" y="${y(last.std) + 4}" fill="${colors[k % colors.length]}">${s.name}</text>`
      );
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12" role="img">
<title>Standard deviation of each residual function's response, block by block: ${all.map((s) => s.name).join(', ')}</title>
<rect width="${W}" height="${H}" fill="#fff"/>
<text x="${L}" y="16" font-weight="bold">Std of each residual function's response (He et al. 2016, Fig. 7), Fashion-MNIST, ${images} images</text>
${grid}
<line x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}" stroke="#000"/>
<text x="${(L + W - R) / 2}" y="${H - 8}" text-anchor="middle">residual block (input to output)</text>
<text x="14" y="${(T + H - B) / 2}" transform="rotate(-90 14 ${(T + H - B) / 2})" text-anchor="middle">std</text>
${lines}
</svg>
`;
}
