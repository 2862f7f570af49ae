// The Node example: examples/node/classify.mjs classifies files with the built package and
// prints the top 5 the SDK computes; a file that is not an image is reported and fails the run.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CASE, expectedTop, once, runBounded } from './helpers.ts';

const SCRIPT = 'examples/node/classify.mjs';
const TIMEOUT_MS = 30_000;
const want = once(expectedTop);

test('node: prints the top 5 of an image, the top 1 first', async () => {
  const top = await want.get();
  const run = await runBounded(process.execPath, [SCRIPT, '--pack', CASE.pack, CASE.image], TIMEOUT_MS);
  assert.is(run.code, 0, `exit code; stderr:\n${run.stderr}`);
  const ranked = [...run.stdout.matchAll(/^ {2}(\d)\. (.+?)\s+(\d+\.\d\d) %/gm)].map((m) => ({
    rank: Number(m[1]),
    label: m[2],
    pct: m[3],
  }));
  assert.equal(
    ranked.map((r) => r.rank),
    [1, 2, 3, 4, 5],
    `five ranked lines in:\n${run.stdout}`,
  );
  assert.is(ranked[0].label, top[0].label, 'top 1 label');
  assert.equal(
    ranked.map((r) => r.pct),
    top.map((p) => (p.score * 100).toFixed(2)),
    'scores as percent',
  );
  assert.ok(run.stdout.includes(CASE.image), 'names the file');
});

test('node: a file that is not an image is reported on stderr and sets exit code 1', async () => {
  const top = await want.get();
  const run = await runBounded(process.execPath, [SCRIPT, '--pack', CASE.pack, 'package.json', CASE.image], TIMEOUT_MS);
  assert.is(run.code, 1, `exit code; stdout:\n${run.stdout}`);
  assert.match(run.stderr, /package\.json: decodeImage: unrecognized image format/);
  assert.ok(run.stdout.includes(`1. ${top[0].label}`), 'the other file is still classified');
});

test('node: usage on no arguments', async () => {
  const run = await runBounded(process.execPath, [SCRIPT], TIMEOUT_MS);
  assert.is(run.code, 2);
  assert.match(run.stderr, /usage: node classify\.mjs/);
});

test.run();
