// Hostile and mistaken inputs: each gives the right error type and a message saying what
// was expected and what arrived, before any pixel is read.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { InputSpec } from '../../ts-sdk/model/graph.ts';
import { MAX_PIXELS, MAX_SIDE, preprocess, preprocessInto, validateImage } from '../../ts-sdk/preprocess/index.ts';

const SPEC: InputSpec = {
  height: 8,
  width: 8,
  channels: 3,
  resize: 10,
  crop: 'center',
  interpolation: 'bilinear',
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
  color: 'rgb',
};
const ok = { data: new Uint8Array(4 * 3 * 3), width: 4, height: 3 };

function rejects(input: unknown, type: ErrorConstructor, pattern: RegExp, spec: unknown = SPEC) {
  try {
    preprocess(input as never, spec as InputSpec);
  } catch (e) {
    assert.instance(e, type, `${String(e)}`);
    assert.match((e as Error).message, pattern);
    return;
  }
  assert.unreachable(`expected ${type.name} ${pattern}`);
}

test('not an image: TypeError listing what is accepted', () => {
  for (const v of [undefined, null, 42, 'photo.jpg', {}, [1, 2, 3], new Uint8Array(12)]) {
    rejects(
      v,
      TypeError,
      /expected an image \{ data: Uint8Array \| Uint8ClampedArray, width, height, channels\?: 1 \| 3 \| 4 \}.*toImageData.*decodeImage/,
    );
  }
  rejects(null, TypeError, /got null$/);
  rejects('photo.jpg', TypeError, /got string$/);
});

test('wrong sample type: TypeError naming it', () => {
  rejects({ ...ok, data: new Float32Array(36) }, TypeError, /Uint8Array or Uint8ClampedArray of 8-bit samples, got Float32Array\(36\)/);
  rejects({ ...ok, data: [1, 2, 3] }, TypeError, /got Array/);
  rejects({ ...ok, data: new Uint16Array(36) }, TypeError, /got Uint16Array\(36\)/);
  rejects({ ...ok, data: new ArrayBuffer(36) }, TypeError, /got ArrayBuffer/);
});

test('bad sizes: TypeError for non-numbers, RangeError for zero, negative, fractional, NaN, huge', () => {
  rejects({ ...ok, width: '4' }, TypeError, /image.width must be a number, got string/);
  rejects({ ...ok, height: undefined }, TypeError, /image.height must be a number, got undefined/);
  for (const bad of [0, -4, 2.5, NaN, Infinity, MAX_SIDE + 1]) {
    rejects({ ...ok, width: bad }, RangeError, new RegExp(`image.width must be an integer in \\[1, ${MAX_SIDE}\\], got ${bad}`));
  }
  // Within the side cap but over the pixel cap: refused without touching data.
  rejects({ data: new Uint8Array(3), width: MAX_SIDE, height: MAX_SIDE }, RangeError, new RegExp(`more than the ${MAX_PIXELS} accepted`));
});

test('data length vs width·height·channels: RangeError with expected and got', () => {
  rejects({ ...ok, channels: 3, data: new Uint8Array(35) }, RangeError, /image.data has 35 samples, expected 4×3×3 = 36/);
  rejects({ ...ok, channels: 4 }, RangeError, /has 36 samples, expected 4×3×4 = 48/);
  rejects({ ...ok, data: new Uint8Array(24) }, RangeError, /has 24 samples, expected 4×3×channels = 12, 36 or 48 \(channels 1, 3 or 4\)/);
  rejects({ ...ok, data: new Uint8Array(0) }, RangeError, /has 0 samples/);
  rejects({ ...ok, channels: 2, data: new Uint8Array(24) }, RangeError, /image.channels must be 1, 3 or 4, got 2/);
  rejects({ ...ok, channels: '3' }, TypeError, /image.channels must be 1, 3 or 4, got string/);
  // A detached buffer (transferred to a worker) reads as length 0.
  const data = new Uint8Array(36);
  structuredClone(data.buffer, { transfer: [data.buffer] });
  rejects({ ...ok, data, channels: 3 }, RangeError, /has 0 samples, expected 4×3×3 = 36/);
});

test('validateImage fills in channels and accepts ImageData-shaped objects', () => {
  const v = validateImage({ data: new Uint8ClampedArray(4 * 3 * 4), width: 4, height: 3, colorSpace: 'srgb' });
  assert.is(v.channels, 4);
  assert.is(validateImage({ data: new Uint8Array(12), width: 4, height: 3 }).channels, 1);
});

test('bad specs: the field is named', () => {
  rejects(ok, TypeError, /expected an InputSpec, got null/, null);
  rejects(ok, RangeError, /spec.height must be an integer in \[1, \d+\], got 0/, { ...SPEC, height: 0 });
  rejects(ok, RangeError, /spec.resize \(0 = straight to height×width\) must be an integer/, { ...SPEC, resize: -1 });
  rejects(ok, TypeError, /spec.crop must be 'center' or 'none', got top-left/, { ...SPEC, crop: 'top-left' });
  rejects(ok, TypeError, /spec.interpolation must be 'bilinear', got nearest/, { ...SPEC, interpolation: 'nearest' });
  rejects(ok, TypeError, /spec.color must be 'rgb' or 'gray-replicate', got bgr/, { ...SPEC, color: 'bgr' });
  rejects(ok, TypeError, /spec.resizeMode must be 'float', 'pil' or absent \(= 'float'\), got PIL/, { ...SPEC, resizeMode: 'PIL' });
  rejects(ok, TypeError, /spec.resizeMode must be .*, got null/, { ...SPEC, resizeMode: null });
  rejects(ok, RangeError, /spec.color 'rgb' needs spec.channels 3, got 1/, { ...SPEC, channels: 1, mean: [0], std: [1] });
  rejects(ok, RangeError, /spec.mean has 1 values, expected spec.channels = 3/, { ...SPEC, mean: [0.5] });
  rejects(ok, RangeError, /spec.std must not contain 0/, { ...SPEC, std: [1, 0, 1] });
  rejects(ok, RangeError, /spec.std must be finite numbers/, { ...SPEC, std: [1, NaN, 1] });
});

test('preprocessInto: out must be a Float32Array of exactly C·H·W', () => {
  const throws = (out: unknown, type: ErrorConstructor, pattern: RegExp) =>
    assert.throws(
      () => preprocessInto(ok, SPEC, out as Float32Array),
      (e: unknown) => e instanceof type && pattern.test((e as Error).message),
    );
  throws(new Float64Array(192), TypeError, /preprocessInto: out must be a Float32Array, got Float64Array\(192\)/);
  throws(new Float32Array(191), RangeError, /out has 191 floats, expected 3×8×8 = 192/);
  throws(new Float32Array(193), RangeError, /out has 193 floats/);
  assert.is(preprocessInto(ok, SPEC, new Float32Array(192)).length, 192);
});

test.run();
