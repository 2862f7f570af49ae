// --report's calibration check: it measures int8 on images the ranges never saw, and warns
// when the set is small, one-sided (a narrow slice of the input range), or its held-out half
// loses accuracy.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { calibrate, checkCalibration, convertOnnx, createWasmRunner, formatCalibrationCheck } from '../../weights/convert/index.ts';
import { preprocess } from '../../ts-sdk/preprocess/index.ts';
import { randomPhotos } from '../fixtures/random-images.ts';
import { fixture } from './shared.ts';

const float = convertOnnx(fixture({ arch: 'tiny', size: 32 }).bytes, { input: { resize: 0 } });
const spec = float.graph.input;
const photos = (count: number, seed: number, dim = 1) =>
  randomPhotos({ count, width: 32, height: 32, seed }).map((p) => preprocess({ ...p, data: p.data.map((v) => Math.round(v * dim)) }, spec));

test('40 varied images: int8 from the even half measured on the odd half; it warns exactly when a held-out cosine is below 0.99', async () => {
  const runner = await createWasmRunner(float);
  const xs = photos(40, 3);
  const c = await checkCalibration(float, calibrate(float, runner, xs), xs, runner);
  assert.is(c.heldOutCosines.length, 20);
  const sorted = [...c.heldOutCosines].sort((a, b) => a - b);
  assert.ok(sorted[10] > 0.99, `median held-out cosine ${sorted[10]}`);
  assert.ok(c.inputCoverage > 0.5, `coverage ${c.inputCoverage}`);
  const text = formatCalibrationCheck(c);
  assert.not.match(text, /only \d+ calibration images|span \d+ % of the input/);
  if (sorted[0] < 0.99) assert.match(text, new RegExp(`cosine down to ${sorted[0].toFixed(4)} against fp32`));
  else assert.match(text, /no warning/);
});

test('dark images only: one-sided (input coverage) and small, both said', async () => {
  const runner = await createWasmRunner(float);
  const xs = photos(6, 5, 0.2); // pixel values scaled to a fifth
  const c = await checkCalibration(float, calibrate(float, runner, xs), xs, runner);
  assert.ok(c.inputCoverage < 0.5, `coverage ${c.inputCoverage}`);
  const text = formatCalibrationCheck(c);
  assert.match(text, /warning: only 6 calibration images/);
  assert.match(text, /warning: one-sided: the calibration images span \d+ % of the input's possible range/);
});

test.run();
