// `edge-resnet inspect <pack>`: what a pack holds, and whether it is intact.
import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { PackFormatError, readPack } from '../ts-sdk/pack/index.ts';
import type { Model } from '../ts-sdk/model/graph.ts';
import { DEFAULT_PACK, DEFAULT_PACK_NAME, resolvePack, shown } from './resources.ts';

const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;

export function summarize(model: Model, fileBytes: number) {
  const g = model.graph;
  const count = (op: string) => g.nodes.filter((n) => n.op === op).length;
  let params = 0;
  const bytesByType: Record<string, number> = {};
  for (const n of g.nodes) {
    if (n.op !== 'conv' && n.op !== 'fc') continue;
    params += n.op === 'conv' ? n.cout * n.kernelH * n.kernelW * n.cin + n.cout : n.cout * n.cin + n.cout;
  }
  for (const t of model.tensors.values()) bytesByType[t.dtype] = (bytesByType[t.dtype] ?? 0) + t.data.byteLength;
  const scales = g.activations.flatMap((a) => (a.quant ? [a.quant.scale] : []));
  return {
    arch: g.arch,
    precision: g.precision,
    description: typeof model.extra?.description === 'string' ? model.extra.description : undefined,
    fileBytes,
    input: g.input,
    classes: g.labels.length,
    labels: g.labels,
    layers: {
      conv: count('conv'),
      'conv+add (fused residual)': g.nodes.filter((n) => n.op === 'conv' && n.residual !== undefined).length,
      add: count('add'),
      maxpool: count('maxpool'),
      gap: count('gavgpool'),
      fc: count('fc'),
      padShortcut: count('pad_shortcut'),
    },
    parameters: params,
    tensorBytes: bytesByType,
    quantization:
      g.precision === 'int8'
        ? {
            activations: scales.length,
            scaleMin: Math.min(...scales),
            scaleMax: Math.max(...scales),
            weights: 'per-output-channel symmetric int8',
          }
        : undefined,
    checksum: 'ok',
    extra: model.extra,
  };
}

export function inspectCommand(): Command {
  return new Command('inspect')
    .description('Show a weight pack: architecture, precision, input, sizes, labels, quantization; verifies its checksum.')
    .argument('[pack]', `weight pack: a file, or the name of a shipped pack (default: ${DEFAULT_PACK_NAME})`, DEFAULT_PACK)
    .option('--json', 'print JSON')
    .action(async (arg: string, opts: { json?: boolean }) => {
      const file = resolvePack(arg);
      const bytes = new Uint8Array(await readFile(file));
      let model: Model;
      try {
        model = readPack(bytes);
      } catch (e) {
        if (e instanceof PackFormatError) {
          if (opts.json) console.log(JSON.stringify({ file, valid: false, code: e.code, message: e.message }, null, 2));
          else console.error(`${file}: not a valid pack (${e.code}): ${e.message}`);
          process.exitCode = 1;
          return;
        }
        throw e;
      }
      const s = summarize(model, bytes.byteLength);
      if (opts.json) {
        console.log(JSON.stringify({ file, valid: true, ...s }, null, 2));
        return;
      }
      const i = s.input;
      console.log(`${shown(file)}: ${s.arch}, ${s.precision}, ${mb(s.fileBytes)}, checksum ${s.checksum}`);
      if (s.description) console.log(`  about      ${s.description}`);
      console.log(
        `  input      ${i.channels}×${i.height}×${i.width}, resize ${i.resize || 'straight to size'}, crop ${i.crop}, ${i.color}, mean [${i.mean.join(', ')}], std [${i.std.join(', ')}]`,
      );
      console.log(
        `  layers     ${Object.entries(s.layers)
          .filter(([, n]) => n)
          .map(([k, n]) => `${n} ${k}`)
          .join(', ')}`,
      );
      console.log(
        `  parameters ${(s.parameters / 1e6).toFixed(2)} M; tensors ${Object.entries(s.tensorBytes)
          .map(([k, n]) => `${k} ${mb(n)}`)
          .join(', ')}`,
      );
      if (s.quantization) {
        const q = s.quantization;
        console.log(
          `  quant      weights ${q.weights}; ${q.activations} u8 activations, scales ${q.scaleMin.toPrecision(3)}…${q.scaleMax.toPrecision(3)}`,
        );
      }
      const first10 = s.labels.slice(0, 10).join(', ');
      console.log(`  labels     ${s.classes}: ${first10}${s.classes > 10 ? ', …' : ''}`);
    });
}
