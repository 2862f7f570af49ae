// One converter pipeline: the built `edge-resnet convert` (dist/cli.js, as users run it) writes
// byte for byte the pack that the library's convertOnnx() → toInt8() / toFp32() → writePack()
// gives for the same ONNX file, images, labels and options — int8 and fp32, and a 1000-class
// head whose ImageNet labels the CLI finds by itself (the built CLI once looked for them in a
// folder only the source tree has). The library side uses the CLI's default runner (the fp32
// wasm executor) and its calibration order (every image under the folder, sorted by path).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from 'fast-png';
import { decodeImage } from '../../ts-sdk/decode/index.ts';
import type { Model } from '../../ts-sdk/model/graph.ts';
import { readPack, writePack } from '../../ts-sdk/pack/index.ts';
import { preprocess } from '../../ts-sdk/preprocess/index.ts';
import { convertOnnx, createWasmRunner, toFp32, toInt8, type ConvertOptions } from '../../weights/convert/index.ts';
import { makeResnetOnnx } from '../fixtures/make-resnet-onnx.ts';
import { randomPhotos } from '../fixtures/random-images.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'edge-resnet-pipeline-'));
const photos = join(dir, 'photos');
mkdirSync(join(photos, 'b'), { recursive: true });
const files = randomPhotos({ count: 5, width: 40, height: 36, seed: 4 }).map((p, i) => {
  const file = join(photos, i % 2 ? 'b' : '', `p${i}.png`);
  writeFileSync(file, encode({ width: p.width, height: p.height, data: p.data, channels: 3, depth: 8 }));
  return file;
});
files.sort(); // the CLI's order: the sorted walk gives b/p1, b/p3, p0, p2, p4
const onnx10 = join(dir, 'tiny10.onnx');
const onnx1000 = join(dir, 'tiny1000.onnx');
writeFileSync(onnx10, makeResnetOnnx({ arch: 'tiny', size: 32, classes: 10 }).bytes);
writeFileSync(onnx1000, makeResnetOnnx({ arch: 'tiny', size: 32, classes: 1000 }).bytes);
const labelsFile = join(dir, 'labels.txt');
const labels = Array.from({ length: 10 }, (_, i) => `thing ${i}`);
writeFileSync(labelsFile, `${labels.join('\n')}\n`);
const imagenet = readFileSync(join(ROOT, 'weights/labels/imagenet.txt'), 'utf8')
  .split('\n')
  .filter((l) => l !== '');

/** The built CLI's pack for these arguments. */
function cliPack(onnx: string, ...args: string[]): Uint8Array {
  const out = join(dir, `cli-${Math.random().toString(36).slice(2)}.pack`);
  const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), 'convert', onnx, '-o', out, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.is(r.status, 0, `edge-resnet convert ${args.join(' ')}: ${r.stderr}`);
  return new Uint8Array(readFileSync(out));
}

/** The library's pack: convertOnnx, then toInt8 on the folder's images or toFp32, then writePack. */
async function libraryPack(onnx: string, precision: 'int8' | 'fp32', options: ConvertOptions): Promise<Uint8Array> {
  const float = convertOnnx(readFileSync(onnx), options);
  const runner = await createWasmRunner(float);
  let model: Model;
  if (precision === 'int8') {
    const inputs = files.map((f) => preprocess(decodeImage(readFileSync(f)), float.graph.input));
    model = toInt8(float, inputs, { runner }).model;
  } else {
    model = toFp32(float, { runner });
  }
  return writePack(model);
}

function assertSameBytes(cli: Uint8Array, lib: Uint8Array, what: string): void {
  if (cli.length === lib.length && cli.every((b, i) => b === lib[i])) return;
  const at = cli.findIndex((b, i) => b !== lib[i]);
  assert.unreachable(
    `${what}: the CLI wrote ${cli.length} bytes, the library ${lib.length}; first difference at byte ${at < 0 ? Math.min(cli.length, lib.length) : at}`,
  );
}

test('int8: the same pack from `convert --calibrate --labels --description` and convertOnnx → toInt8', async () => {
  const cli = cliPack(onnx10, '--calibrate', photos, '--labels', labelsFile, '--description', 'a tiny test network');
  const lib = await libraryPack(onnx10, 'int8', { labels, description: 'a tiny test network' });
  assertSameBytes(cli, lib, 'int8');
  const m = readPack(cli);
  assert.equal([m.graph.precision, m.graph.labels[3], m.extra?.description], ['int8', 'thing 3', 'a tiny test network']);
  assert.is((m.extra?.calibration as { images?: number } | undefined)?.images, files.length, 'calibrated on every image in the folder');
});

test('fp32: the same pack from `convert --precision fp32` with input options and convertOnnx → toFp32', async () => {
  const cli = cliPack(onnx10, '--precision', 'fp32', '--size', '40', '--resize', '0', '--mean', '0.5,0.5,0.5', '--std', '0.25,0.25,0.25');
  const lib = await libraryPack(onnx10, 'fp32', { input: { size: 40, resize: 0, mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] } });
  assertSameBytes(cli, lib, 'fp32');
});

test('a 1000-class head: the built CLI labels it with ImageNet by default and with --labels imagenet, as the library given the list', async () => {
  const lib = await libraryPack(onnx1000, 'fp32', { labels: imagenet });
  assertSameBytes(cliPack(onnx1000, '--precision', 'fp32'), lib, 'default labels');
  assertSameBytes(cliPack(onnx1000, '--precision', 'fp32', '--labels', 'imagenet'), lib, '--labels imagenet');
  assert.is(readPack(lib).graph.labels[1], 'goldfish');
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
