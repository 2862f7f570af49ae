// The edge-resnet command as users run it (dist/cli.js, built by npm test): answers, JSON,
// and clear non-zero exits on bad arguments and bad files.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('../../', import.meta.url).pathname;
const CLI = join(ROOT, 'dist/cli.js');
const TINY = join(ROOT, 'tests/fixtures/tiny-int8.pack');
const IMAGE = join(ROOT, 'tests/fixtures/cross-runtime/rgb-20x20.png');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('classify --json: top-k for each image, the same as the SDK', () => {
  const r = run('classify', IMAGE, IMAGE, '--pack', TINY, '--top', '3', '--json');
  assert.is(r.code, 0, r.err);
  const res = JSON.parse(r.out);
  assert.is(res.length, 2);
  assert.is(res[0].top.length, 3);
  assert.equal(res[0].top, res[1].top);
  assert.ok(res[0].top[0].score >= res[0].top[1].score);
});

test('classify prints a table; the default pack and sample work from a clone', () => {
  const r = run('classify', IMAGE, '--pack', TINY);
  assert.is(r.code, 0, r.err);
  assert.match(r.out, /1\. class \d+ +\d+\.\d\d %/);
  const d = run('classify');
  assert.is(d.code, 0, d.err);
  assert.match(d.out, /09-ankleboot-idx0\.png/);
});

test('inspect: summary and checksum; a corrupt pack exits 1 with its error code', () => {
  const ok = run('inspect', TINY, '--json');
  assert.is(ok.code, 0, ok.err);
  const s = JSON.parse(ok.out);
  assert.is(s.valid, true);
  assert.is(s.precision, 'int8');
  const dir = mkdtempSync(join(tmpdir(), 'edge-resnet-cli-'));
  const bad = readFileSync(TINY);
  bad[bad.length >> 1] ^= 0x40;
  writeFileSync(join(dir, 'bad.pack'), bad);
  const r = run('inspect', join(dir, 'bad.pack'));
  assert.is(r.code, 1);
  assert.match(r.err, /CHECKSUM_MISMATCH/);
});

test('bad arguments and missing files: non-zero exit and a clear message', () => {
  for (const top of ['zero', '0', '0x10', '1e1', '2.5', '-3', '']) {
    const a = run('classify', IMAGE, '--pack', TINY, '--top', top);
    assert.is.not(a.code, 0, `--top '${top}' must be refused`);
    assert.match(a.err, /--top must be a decimal integer ≥ 1, got '/);
  }
  const b = run('classify', join(ROOT, 'no-such.png'), '--pack', TINY);
  assert.is(b.code, 1);
  assert.match(b.err, /no-such\.png/);
  const c = run('frobnicate');
  assert.is.not(c.code, 0);
  assert.match(c.err, /unknown command/);
  const h = run('convert', '--help');
  assert.is(h.code, 0);
  for (const opt of [
    '--output',
    '--precision',
    '--calibrate',
    '--range',
    '--labels',
    '--size',
    '--resize',
    '--resize-mode',
    '--mean',
    '--std',
    '--color',
    '--report',
  ])
    assert.ok(h.out.includes(opt), `convert --help documents ${opt}`);
});

test('classify over several files and folders: a bad one is named and skipped, the others are still printed, exit 1 at the end', () => {
  const dir = mkdtempSync(join(tmpdir(), 'edge-resnet-cli-'));
  const corrupt = join(dir, 'corrupt.png');
  writeFileSync(corrupt, readFileSync(IMAGE).subarray(0, 60));
  const empty = mkdtempSync(join(tmpdir(), 'edge-resnet-cli-empty-'));
  // The folder stands for the images under it (here: corrupt.png); a folder with none is an error.
  const args = [IMAGE, IMAGE, corrupt, dir, join(dir, 'missing.png'), empty, IMAGE];
  const files = [IMAGE, IMAGE, corrupt, corrupt, join(dir, 'missing.png'), empty, IMAGE];
  const table = run('classify', ...args, '--pack', TINY);
  assert.is(table.code, 1);
  assert.is(table.out.match(/1\. class \d+/g)?.length, 3, 'the three good images are printed');
  assert.match(table.out, /corrupt\.png {2}\(not classified: .*PNG/);
  assert.match(table.err, /4 of 7 image\(s\) could not be classified/);
  assert.match(table.out, /7 files: 3 classified, 4 failed, in \d+\.\d s \(\d+\.\d images\/s, \d+ threads?/);
  assert.ok(table.err.includes(`${empty}: a folder with no .png, .jpg, .jpeg files`), table.err);
  assert.ok(table.err.includes('missing.png') && table.err.includes('ENOENT'), table.err);
  const json = run('classify', ...args, '--pack', TINY, '--json');
  assert.is(json.code, 1);
  const res = JSON.parse(json.out) as ({ file: string; top: unknown[] } | { file: string; error: string })[];
  assert.equal(
    res.map((r) => r.file),
    files,
  );
  assert.equal(
    res.map((r) => 'error' in r),
    [false, false, true, true, true, true, false],
  );
  assert.match(json.err, /7 files: 3 classified, 4 failed/, 'the summary goes to stderr when stdout is data');
});

test('classify --format jsonl and csv stream one record per line; --threads 1 and 3 give the same answers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'edge-resnet-cli-bulk-'));
  const names = Array.from({ length: 11 }, (_, i) => join(dir, `img-${String(i).padStart(2, '0')}.png`));
  names.forEach((n) => writeFileSync(n, readFileSync(IMAGE)));
  writeFileSync(join(dir, 'notes.txt'), 'not an image: a folder search skips it');
  const one = run('classify', dir, '--pack', TINY, '--format', 'jsonl', '--threads', '1', '--top', '2');
  const three = run('classify', dir, '--pack', TINY, '--format', 'jsonl', '--threads', '3', '--top', '2');
  assert.is(one.code, 0, one.err);
  assert.is(three.code, 0, three.err);
  const lines = one.out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { file: string; top: { label: string; score: number }[] });
  assert.equal(
    lines.map((l) => l.file),
    names,
  );
  assert.is(three.out, one.out, '3 threads give the bits of 1');
  assert.match(three.err, /11 files: 11 classified, 0 failed, .* 3 threads\)/);
  const csv = run('classify', dir, names[0], '--pack', TINY, '--format', 'csv', '--top', '2').out.trim().split('\n');
  assert.is(csv[0], 'file,rank,label,index,score,error');
  assert.is(csv.length, 1 + 12 * 2);
  assert.ok(csv[1].startsWith(`${names[0]},1,${lines[0].top[0].label},`), csv[1]);
  assert.is(run('classify', dir, '--pack', TINY, '--threads', 'many').code, 1);
});

test('the first call is labelled as warm-up, and several images end with a steady-state median', () => {
  const r = run('classify', IMAGE, IMAGE, IMAGE, '--pack', TINY);
  assert.is(r.code, 0, r.err);
  assert.is(r.out.match(/first call: includes warm-up/g)?.length, 1);
  assert.match(r.out, /3 images: first \d+\.\d ms \(warm-up\), then median \d+\.\d ms/);
});

test('a pack that says what it was trained on says so before its answers; inspect shows it', () => {
  const c = run('classify');
  assert.is(c.code, 0, c.err);
  assert.match(c.out, /^pack: torchvision ResNet-18 trained on Fashion-MNIST: .*meaningless answer\n/);
  const i = run('inspect');
  assert.is(i.code, 0, i.err);
  assert.match(i.out, /resnet18-fmnist-int8\.pack: resnet18, int8, .*\n {2}about {6}torchvision ResNet-18 trained on Fashion-MNIST/);
  const named = run('inspect', 'resnet34-fmnist-int8', '--json');
  assert.is(named.code, 0, named.err);
  assert.is(JSON.parse(named.out).arch, 'resnet34');
  const none = run('classify', IMAGE, '-p', 'no-such-pack');
  assert.is(none.code, 1);
  assert.match(
    none.err,
    /no pack file 'no-such-pack', and no shipped pack of that name \(shipped here: resnet18-fmnist-int8, resnet20-fmnist-int8, resnet34-fmnist-int8\)/,
  );
});

test.run();
