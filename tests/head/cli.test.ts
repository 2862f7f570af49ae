// `edge-resnet train-head` and `edge-resnet embed` as users run them (dist/cli.js, built by
// npm test): a folder of class folders → a pack that classifies like the SDK's head, the same
// bytes twice; embeddings that read back as the SDK's exact f32 values; clear refusals.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from 'fast-png';
import { load } from '../../ts-sdk/index.ts';
import { readPack } from '../../ts-sdk/pack/index.ts';
import { PACK, PACK_PATH } from '../sdk/helpers.ts';
import { bandImages, CLASSES } from './fixtures.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const CLI = join(ROOT, 'dist/cli.js');
const dir = mkdtempSync(join(tmpdir(), 'edge-resnet-head-cli-'));
const data = join(dir, 'bands');
const { images, labels } = bandImages(24, 31);
const files: string[] = [];
images.forEach((im, i) => {
  const f = join(data, CLASSES[labels[i]], `${String(i).padStart(2, '0')}.png`);
  mkdirSync(join(data, CLASSES[labels[i]]), { recursive: true });
  writeFileSync(f, encode({ width: im.width, height: im.height, data: im.data, channels: 3, depth: 8 }));
  files.push(f);
});

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test.after(() => rmSync(dir, { recursive: true, force: true }));

test('train-head: summary with held-out accuracy; the pack classifies as the SDK does; the same bytes twice', async () => {
  const r = run('train-head', '--pack', PACK_PATH, '--data', data, '-o', 'a.pack', '--holdout', '25', '--description', 'bands');
  assert.is(r.code, 0, r.err);
  const lines = r.out.trim().split('\n');
  assert.match(lines[0], /^classes {4}3 from .*bands: left \(6 \+ 2\), middle \(6 \+ 2\), right \(6 \+ 2\)$/);
  assert.match(lines[1], /^embedded {3}24 images with .*tiny-int8\.pack, \d+\.\d ms each$/);
  assert.match(lines[2], /^trained {4}logistic regression \(l2 0\.001\), \d+ L-BFGS iterations \(converged\) on 18 images in \d+ ms$/);
  assert.match(lines[3], /^held out {3}6 images \(25 % of each class\): \d+\.\d\d % top-1$/);
  assert.match(lines[4], /^a\.pack: int8 head for 3 classes on the .*tiny-int8\.pack backbone, \d\.\d\d MB$/);
  const bytes = new Uint8Array(readFileSync(join(dir, 'a.pack')));
  const model = readPack(bytes);
  assert.equal(model.graph.labels, CLASSES);
  assert.is(model.extra?.description, 'bands');
  assert.is((model.extra?.head as { examples: number } | undefined)?.examples, 18);
  const again = run('train-head', '--pack', PACK_PATH, '--data', data, '-o', 'b.pack', '--holdout', '25', '--description', 'bands');
  assert.is(again.code, 0, again.err);
  assert.ok(
    bytes.every((v, i) => v === readFileSync(join(dir, 'b.pack'))[i]),
    'two runs, two different packs',
  );
  const c = run('classify', files[0], '--pack', 'a.pack', '--json', '--top', '3');
  assert.is(c.code, 0, c.err);
  const clf = await load(bytes);
  assert.equal(JSON.parse(c.out)[0].top, await clf.classify(images[0], { topK: 3 }));
  clf.dispose();
});

test('train-head --method nearest-mean --holdout 0', () => {
  const r = run('train-head', '--pack', PACK_PATH, '--data', data, '-o', 'n.pack', '--method', 'nearest-mean', '--holdout', '0');
  assert.is(r.code, 0, r.err);
  assert.match(r.out, /trained {4}nearest class mean on 24 images/);
  assert.match(r.out, /held out {3}none \(--holdout 0\): no accuracy measured/);
});

test('train-head refuses bad folders and options with a clear message; an unreadable image is named and skipped, exit 1', () => {
  const one = join(dir, 'one');
  mkdirSync(join(one, 'only'), { recursive: true });
  writeFileSync(join(one, 'only', 'a.png'), readFileSync(files[0]));
  const cases: [string[], RegExp][] = [
    [['--data', one, '-o', 'x.pack'], /must hold one sub-folder per class, at least two; found 1 \(only\)/],
    [['--data', join(dir, 'nope'), '-o', 'x.pack'], /cannot read the data folder/],
    [['--data', data], /required option '-o, --output <file>'/],
    [['--data', data, '-o', 'x.pack', '--holdout', '100'], /--holdout must be a decimal number in \[0, 100\), got '100'/],
    [['--data', data, '-o', 'x.pack', '--l2', '-1'], /--l2 must be a decimal number in \[0, Infinity\), got '-1'/],
    [['--data', data, '-o', 'x.pack', '--max-iterations', '0'], /--max-iterations must be a decimal integer ≥ 1/],
    [['--data', data, '-o', 'x.pack', '--method', 'svm'], /Allowed choices are logistic, nearest-mean/],
  ];
  for (const [args, message] of cases) {
    const r = run('train-head', '--pack', PACK_PATH, ...args);
    assert.is.not(r.code, 0, args.join(' '));
    assert.match(r.err, message);
  }
  const broken = join(dir, 'broken');
  for (const c of CLASSES) mkdirSync(join(broken, c), { recursive: true });
  files.forEach((f, i) => writeFileSync(join(broken, CLASSES[labels[i]], `${i}.png`), readFileSync(f)));
  writeFileSync(join(broken, 'left', 'zz-bad.png'), 'not a png');
  const r = run('train-head', '--pack', PACK_PATH, '--data', broken, '-o', 'z.pack');
  assert.is(r.code, 1);
  assert.match(r.err, /skipped 1 unreadable image\(s\):\n {2}.*zz-bad\.png: /);
  assert.ok(readPack(new Uint8Array(readFileSync(join(dir, 'z.pack')))), 'the pack is still written');
});

test("embed: JSON Lines whose numbers read back as the SDK's exact f32 embeddings; --normalize; errors named, exit 1", async () => {
  const r = run('embed', files[0], files[5], '--pack', PACK_PATH);
  assert.is(r.code, 0, r.err);
  const rows = r.out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { file: string; embedding: number[] });
  const clf = await load(PACK);
  for (const [j, i] of [0, 5].entries()) {
    assert.is(rows[j].file, files[i]);
    const want = await clf.embed(images[i]);
    assert.equal(Float32Array.from(rows[j].embedding), want);
  }
  const n = run('embed', files[1], '--pack', PACK_PATH, '--normalize', '--format', 'json');
  assert.is(n.code, 0, n.err);
  assert.equal(Float32Array.from(JSON.parse(n.out)[0].embedding), await clf.embed(images[1], { normalize: true }));
  clf.dispose();
  const bad = run('embed', files[0], join(dir, 'missing.png'), '--pack', PACK_PATH);
  assert.is(bad.code, 1);
  assert.match(bad.out.trim().split('\n')[1], /^\{"file":".*missing\.png","error":"ENOENT/);
  assert.match(bad.err, /1 of 2 image\(s\) could not be embedded/);
});

test.run();
