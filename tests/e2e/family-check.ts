// The family check over a folder of exports made by tests/fixtures/family/make_family_onnx.py
// (the full grid: CIFAR ResNet-20/56/110 × option A both forms and B × opsets × folding, and
// torchvision ResNet-50/101/152 and wide_resnet50_2, 100–270 MB each, too large to commit):
// every export converts to fp32 and int8 packs; fp32 within 1e-4 of onnxruntime-node on the
// held-out photos; int8 (calibrated on real photos) cosine ≥ 0.99 against fp32 on 7 of 8
// held-out photos and ≥ 0.95 on each; refusals name the node. Prints a Markdown table
// (bench/RESULTS.md, "The ResNet family") and exits 1 if any network misses the bar.
//
//   node --import tsx tests/e2e/family-check.ts /tmp/family [--calib 16] [--range percentile] [--percentile 99.99] [--bias-correction] [--only regex]
//
// Exports of one network that convert to the same float model (graph and weights bit for bit)
// share one int8 calibration: their int8 packs are then identical too.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Model } from '../../ts-sdk/model/graph.ts';
import { ConvertError, convertOnnx, type InputOptions, type RangeRule } from '../../weights/convert/index.ts';
import { BAR, CIFAR_INPUT, fp32VsOracle, int8Cosines, meetsBar, ortLogits, photoTensors } from './family.ts';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    calib: { type: 'string', default: '16' },
    range: { type: 'string', default: 'percentile' },
    percentile: { type: 'string', default: '99.99' },
    'bias-correction': { type: 'boolean', default: false },
    only: { type: 'string', default: '' },
  },
});
const dir = positionals[0];
if (!dir) throw new Error('usage: family-check.ts <folder with manifest.json> [--calib N] [--range rule] [--only regex]');
interface Entry {
  file: string;
  family: string;
  opset: number;
  constant_folding: boolean;
  size: number;
  expect: { arch?: string; error?: string; node?: string; op?: string };
}
const manifest: Entry[] = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
const photos = JSON.parse(readFileSync(new URL('../fixtures/family/photos.json', import.meta.url), 'utf8')) as {
  calib: string[];
  calib_extra: string[];
  heldout: string[];
};
const calibFiles = [...photos.calib, ...photos.calib_extra].slice(0, Number(values.calib));
const int8Opts = { range: values.range as RangeRule, percentile: Number(values.percentile), biasCorrection: values['bias-correction'] };

const digest = (m: Model): string => {
  const h = createHash('sha256').update(JSON.stringify(m.graph));
  for (const [name, t] of m.tensors) h.update(name).update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  return h.digest('hex');
};

const int8ByModel = new Map<string, { cosines: number[]; bytes: number }>();
const rows: string[] = [];
let failures = 0;
console.log(
  `calibration: ${calibFiles.length} photos, range ${values.range}${values.range === 'percentile' ? ` ${values.percentile}%` : ''}${values['bias-correction'] ? ', bias correction' : ''}; held out: ${photos.heldout.length} photos (${photos.heldout.map((p) => p.split('/').pop()).join(', ')})`,
);
rows.push(
  '| export | arch | fp32 max rel. err vs ORT | int8 cosine vs fp32 (min / median, ≥ 0.99) | int8 pack | result |',
  '| --- | --- | ---: | ---: | ---: | --- |',
);
for (const e of manifest) {
  if (values.only && !new RegExp(values.only).test(e.file)) continue;
  const bytes = readFileSync(join(dir, e.file));
  const input: InputOptions = e.family === 'cifar' || e.size === 32 ? CIFAR_INPUT : {};
  const t0 = Date.now();
  if (e.family === 'refuse') {
    let got = 'converted';
    try {
      convertOnnx(bytes, { input });
    } catch (err) {
      if (!(err instanceof ConvertError)) throw err;
      got = `${err.code} ${err.opType} '${err.nodeName}'`;
    }
    const ok = got === `${e.expect.error} ${e.expect.op} '${e.expect.node}'`;
    failures += ok ? 0 : 1;
    rows.push(`| ${e.file} | — | — | — | — | ${ok ? 'refused' : 'FAIL'}: ${got} |`);
    console.log(rows[rows.length - 1]);
    continue;
  }
  const float = convertOnnx(bytes, { input });
  const spec = float.graph.input;
  const held = photoTensors(photos.heldout, spec);
  const f = await fp32VsOracle(float, held, await ortLogits(bytes, held, spec));
  const key = digest(float);
  if (!int8ByModel.has(key)) int8ByModel.set(key, await int8Cosines(float, photoTensors(calibFiles, spec), held, f.logits, int8Opts));
  const q = int8ByModel.get(key)!;
  const sorted = [...q.cosines].sort((a, b) => a - b);
  const ok = meetsBar(f.relErr, q.cosines) && float.graph.arch === e.expect.arch;
  failures += ok ? 0 : 1;
  const good = q.cosines.filter((c) => c >= BAR.cosine).length;
  rows.push(
    `| ${e.file} | ${float.graph.arch} | ${f.relErr.toExponential(1)} | ${sorted[0].toFixed(4)} / ${sorted[sorted.length >> 1].toFixed(4)} (${good}/${q.cosines.length}) | ${(q.bytes / 1e6).toFixed(2)} MB | ${ok ? 'ok' : 'FAIL'} |`,
  );
  console.log(
    `${rows[rows.length - 1]}  ${((Date.now() - t0) / 1000).toFixed(0)} s; cosines ${q.cosines.map((c) => c.toFixed(4)).join(' ')}`,
  );
}
console.log(`\n${rows.join('\n')}\n\n${failures ? `${failures} FAILED` : 'all passed'}`);
process.exitCode = failures ? 1 : 0;
