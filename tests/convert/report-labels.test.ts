// --report's residual-std table, architecture detection, and the ImageNet label file.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { calibrate, convertOnnx, formatResidualStd, ReferenceRunner, residualBlocks, residualStd } from '../../weights/convert/index.ts';
import { resolveLabels } from '../../cli/convert-inputs.ts';
import { randomImages } from '../fixtures/random-images.ts';
import { r18Int8 } from './r18-int8.ts';
import { fixture } from './shared.ts';

test('ResNet-18: one row per basic block, projection where the stage changes', async () => {
  const { float, calib } = await r18Int8();
  const rows = residualStd(float, calib);
  assert.equal(
    rows.map((r) => r.stage),
    [1, 1, 2, 2, 3, 3, 4, 4],
  );
  assert.equal(
    rows.map((r) => r.shortcut),
    ['identity', 'identity', 'projection', 'identity', 'projection', 'identity', 'projection', 'identity'],
  );
  assert.equal(
    rows.map((r) => r.layer),
    [
      'layer1.0.conv2',
      'layer1.1.conv2',
      'layer2.0.conv2',
      'layer2.1.conv2',
      'layer3.0.conv2',
      'layer3.1.conv2',
      'layer4.0.conv2',
      'layer4.1.conv2',
    ],
  );
  assert.equal(rows[7].shape, [2, 2, 512]);
  // BN statistics were measured on images like these, so each response is near unit scale.
  for (const r of rows) assert.ok(r.std > 0.3 && r.std < 5, `${r.layer}: std ${r.std}`);
  const text = formatResidualStd(rows, calib.images);
  assert.match(text, /He et al\. 2016, Fig\. 7/);
  assert.is(text.split('\n').length, 3 + 8);
  assert.match(text.split('\n')[3], /^\s+1\s+1\s+layer1\.0\.conv2\s+16×16×64\s+identity\s+\d+\.\d{4}$/);
});

test('std is the plain standard deviation of the branch output over everything seen', () => {
  const m = convertOnnx(fixture({ arch: 'tiny', size: 32 }).bytes);
  const xs = randomImages({ count: 3, size: 32, seed: 4 });
  const calib = calibrate(m, new ReferenceRunner(m), xs);
  const branch = residualBlocks(m.graph)[1].branch;
  const seen: number[] = [];
  for (const x of xs) new ReferenceRunner(m).run(x, (id, d) => id === branch.output && seen.push(...d));
  const mean = seen.reduce((a, v) => a + v, 0) / seen.length;
  const std = Math.sqrt(seen.reduce((a, v) => a + (v - mean) ** 2, 0) / seen.length);
  assert.ok(Math.abs(residualStd(m, calib)[1].std - std) < 1e-6 * std);
});

test('CIFAR ResNet-20: three stages of three blocks, option-A shortcuts', () => {
  const m = convertOnnx(fixture({ arch: 'cifar20', size: 32 }).bytes);
  const blocks = residualBlocks(m.graph);
  assert.is(blocks.length, 9);
  assert.ok(blocks.every((b) => b.depth === 2));
  assert.equal(blocks.map((b) => b.shortcut).filter((s) => s === 'pad').length, 2);
});

test('imagenet.txt: 1000 classes in index order, duplicates kept', () => {
  const lines = readFileSync(new URL('../../weights/labels/imagenet.txt', import.meta.url), 'utf8').split('\n');
  assert.is(lines.pop(), ''); // ends with a newline
  assert.is(lines.length, 1000);
  assert.ok(lines.every((l) => l.length > 0 && l.trim() === l));
  assert.equal(
    [lines[0], lines[1], lines[134], lines[517], lines[638], lines[639], lines[999]],
    ['tench', 'goldfish', 'crane', 'crane', 'maillot', 'maillot', 'toilet tissue'],
  );
  assert.equal(resolveLabels('imagenet', 1000).labels, lines);
  assert.equal(resolveLabels(undefined, 1000).source, 'ImageNet');
  assert.equal(resolveLabels(undefined, 3).labels, ['0', '1', '2']);
  assert.throws(() => resolveLabels('imagenet', 10), /1000 lines, but the network has 10 classes/);
});

test.run();
