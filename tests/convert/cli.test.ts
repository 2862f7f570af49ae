// `edge-resnet convert` end to end on a tiny ResNet and a folder of PNGs: packs that load,
// --report, --help covering every option, and errors a user can act on.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from 'fast-png';
import { readPack } from '../../ts-sdk/pack/index.ts';
import { convertCommand } from '../../cli/convert.ts';
import { ConvertError, convertOnnx, createWasmRunner, toFp32, toInt8 } from '../../weights/convert/index.ts';
import { decodeImage } from '../../ts-sdk/decode/index.ts';
import { preprocess } from '../../ts-sdk/preprocess/index.ts';
import { randomPhotos } from '../fixtures/random-images.ts';
import { fixture } from './shared.ts';

const dir = mkdtempSync(join(tmpdir(), 'edge-resnet-convert-'));
const onnx = join(dir, 'tiny.onnx');
writeFileSync(onnx, fixture({ arch: 'tiny', size: 32 }).bytes);
mkdirSync(join(dir, 'photos', 'b'), { recursive: true });
randomPhotos({ count: 6, width: 48, height: 40, seed: 2 }).forEach((p, i) =>
  writeFileSync(
    join(dir, 'photos', i % 2 ? 'b' : '', `p${i}.png`),
    encode({ width: p.width, height: p.height, data: p.data, channels: 3, depth: 8 }),
  ),
);
writeFileSync(join(dir, 'photos', 'readme.txt'), 'not an image');
writeFileSync(join(dir, 'labels.txt'), Array.from({ length: 10 }, (_, i) => `thing ${i}`).join('\n') + '\n');

/** Run the command as a user would, capturing stdout. */
async function run(...args: string[]): Promise<string> {
  const out: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => void out.push(a.join(' '));
  try {
    await convertCommand().exitOverride().parseAsync(args, { from: 'user' });
  } finally {
    console.log = log;
  }
  return out.join('\n');
}

test('int8 with calibration, labels and --report', async () => {
  const pack = join(dir, 'tiny-int8.pack');
  const out = await run(
    onnx,
    '-o',
    pack,
    '--calibrate',
    join(dir, 'photos'),
    '--calib-count',
    '4',
    '--labels',
    join(dir, 'labels.txt'),
    '--range',
    'mse',
    '--report',
    '--runner',
    'reference',
  );
  assert.match(out, /resnet10 int8, input 32×32, 10 classes, labels: .*labels\.txt, ranges: mse over 4 images/);
  assert.match(out, /Residual function responses/);
  assert.match(
    out,
    /Calibration check over 4 images: input range covered \d+ %\n {2}ranges from the even-numbered images, int8 vs fp32 logits on the other 2: cosine min 0\.\d{4}, median/,
  );
  assert.match(out, /warning: only 4 calibration images: below 32/);
  const m = readPack(new Uint8Array(readFileSync(pack)));
  assert.is(m.graph.precision, 'int8');
  assert.is(m.graph.labels[3], 'thing 3');
  assert.equal(m.graph.input.mean, [0.485, 0.456, 0.406]);
  assert.equal((m.extra?.calibration as { range?: string } | undefined)?.range, 'mse');
  assert.ok(
    m.graph.nodes.some((n) => n.op === 'conv' && n.residual !== undefined),
    'fused residual convs by default',
  );
  assert.not.ok(m.graph.nodes.some((n) => n.op === 'add'));
});

test('--no-fuse-residual keeps the adds', async () => {
  const pack = join(dir, 'tiny-int8-unfused.pack');
  await run(onnx, '-o', pack, '--calibrate', join(dir, 'photos'), '--calib-count', '2', '--runner', 'reference', '--no-fuse-residual');
  const g = readPack(new Uint8Array(readFileSync(pack))).graph;
  assert.ok(g.nodes.some((n) => n.op === 'add'));
  assert.not.ok(g.nodes.some((n) => n.op === 'conv' && n.residual !== undefined));
});

test('--bias-correction moves biases only, and the pack and the summary say so', async () => {
  const plain = join(dir, 'tiny-int8-plain.pack');
  const corrected = join(dir, 'tiny-int8-corrected.pack');
  await run(onnx, '-o', plain, '--calibrate', join(dir, 'photos'), '--calib-count', '2', '--runner', 'reference');
  const out = await run(
    onnx,
    '-o',
    corrected,
    '--calibrate',
    join(dir, 'photos'),
    '--calib-count',
    '2',
    '--runner',
    'reference',
    '--bias-correction',
  );
  assert.match(out, /ranges: percentile 99\.99%, bias-corrected over 2 images/);
  const [p, c] = [plain, corrected].map((f) => readPack(new Uint8Array(readFileSync(f))));
  assert.is((c.extra?.calibration as { biasCorrection?: boolean } | undefined)?.biasCorrection, true);
  const differs = (name: string) => p.tensors.get(name)!.data.some((v, i) => v !== c.tensors.get(name)!.data[i]);
  const names = [...p.tensors.keys()];
  assert.ok(names.filter((n) => n.endsWith('.bias')).some(differs), 'some bias moved');
  assert.equal(names.filter((n) => !n.endsWith('.bias')).filter(differs), [], 'nothing else moved');
});

test('fp32 with input options', async () => {
  const pack = join(dir, 'tiny-fp32.pack');
  const out = await run(
    onnx,
    '-o',
    pack,
    '--precision',
    'fp32',
    '--size',
    '40',
    '--resize',
    '0',
    '--mean',
    '0.5,0.5,0.5',
    '--std',
    '0.5,0.5,0.5',
  );
  assert.match(out, /resnet10 fp32, input 40×40, 10 classes, labels: class indices/);
  const g = readPack(new Uint8Array(readFileSync(pack))).graph;
  assert.equal([g.input.height, g.input.resize, g.input.std[0]], [40, 0, 0.5]);
});

test('a network whose float activations overflow is refused, naming the layer (int8 and fp32)', async () => {
  const f = fixture({ arch: 'tiny', size: 32 });
  const float = convertOnnx(f.bytes);
  for (const t of float.tensors.values()) if (t.name.startsWith('fc')) (t.data as Float32Array).fill(3e38);
  const runner = await createWasmRunner(float);
  const throwsNonFinite = (fn: () => unknown) => {
    try {
      fn();
      assert.unreachable('expected a NON_FINITE ConvertError');
    } catch (e) {
      assert.instance(e, ConvertError);
      assert.is((e as ConvertError).code, 'NON_FINITE');
      assert.match((e as Error).message, /logits overflow on .*fc 'fc'.*gives -?Infinity/);
    }
  };
  throwsNonFinite(() => toFp32(float, { runner }));
  const x = preprocess(decodeImage(readFileSync(join(dir, 'photos', 'p0.png'))), float.graph.input);
  throwsNonFinite(() => toInt8(float, [x], { runner }));
});

test('--help documents every option', () => {
  const help = convertCommand().helpInformation();
  for (const flag of [
    '--output',
    '--precision',
    '--calibrate',
    '--calib-count',
    '--range',
    '--percentile',
    '--labels',
    '--description',
    '--size',
    '--resize',
    '--mean',
    '--std',
    '--color',
    '--report',
    '--runner',
    '--no-fuse-residual',
    '--bias-correction',
  ]) {
    assert.ok(help.includes(flag), `--help lacks ${flag}`);
  }
});

test('int8 without images, --report without images, labels that do not fit: clear errors', async () => {
  for (const [args, msg] of [
    [[onnx, '-o', join(dir, 'x.pack')], /int8 needs --calibrate/],
    [[onnx, '-o', join(dir, 'x.pack'), '--precision', 'fp32', '--report'], /--report needs --calibrate/],
    [[onnx, '-o', join(dir, 'x.pack'), '--precision', 'fp32', '--labels', 'imagenet'], /1000 lines, but the network has 10 classes/],
    [[onnx, '-o', join(dir, 'x.pack'), '--calibrate', join(dir, 'nothing-here')], /cannot read the calibration folder/],
  ] as const) {
    try {
      await run(...args);
      assert.unreachable(`${args.join(' ')} should fail`);
    } catch (e) {
      assert.instance(e, ConvertError);
      assert.match((e as Error).message, msg);
    }
  }
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
