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
  const a = run('classify', IMAGE, '--top', 'zero');
  assert.is.not(a.code, 0);
  assert.match(a.err, /--top must be a positive integer/);
  const b = run('classify', join(ROOT, 'no-such.png'), '--pack', TINY);
  assert.is(b.code, 1);
  assert.match(b.err, /no-such\.png/);
  const c = run('frobnicate');
  assert.is.not(c.code, 0);
  assert.match(c.err, /unknown command/);
  const h = run('convert', '--help');
  assert.is(h.code, 0);
  for (const opt of ['--output', '--precision', '--calibrate', '--range', '--labels', '--size', '--resize', '--resize-mode', '--mean', '--std', '--color', '--report']) assert.ok(h.out.includes(opt), `convert --help documents ${opt}`);
});

test.run();
