// Hostile images through classify(), logits() and preprocess(). Every bad input must
// be refused with a TypeError (not an image / wrong type) or a RangeError (wrong size or value),
// whose message says what was expected and what arrived — before any pixel is read or any
// buffer is sized from the input — and the classifier must keep working afterwards.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { load, preprocess, type Classifier } from '../../ts-sdk/index.ts';
import { rng } from '../helpers/rng.ts';
import { INT8_PACK, wasmModule } from './shared.ts';

type Entry = 'classify' | 'logits' | 'preprocess';
const ENTRIES: Entry[] = ['classify', 'logits', 'preprocess'];

const r = rng(99);
const pixels = (n: number) => Uint8Array.from({ length: n }, () => r.int(0, 255));
const GOOD = { data: pixels(20 * 20 * 3), width: 20, height: 20 };
const detached = (() => {
  const a = new Uint8Array(1200);
  structuredClone(a.buffer, { transfer: [a.buffer] });
  return a; // length 0 now
})();
const nanAt = (i: number, v: number) => {
  const t = new Float32Array(3 * 20 * 20);
  t[i] = v;
  return t;
};

/** [name, input, the error class it must raise, a word the message must contain]. */
const CASES: [string, unknown, typeof TypeError | typeof RangeError, RegExp][] = [
  // not images at all
  ['null', null, TypeError, /got null/],
  ['undefined', undefined, TypeError, /got undefined/],
  ['a string (a path)', 'cat.jpg', TypeError, /got string/],
  ['a number', 42, TypeError, /got number/],
  ['a boolean', true, TypeError, /got boolean/],
  ['a bigint', 10n, TypeError, /got bigint/],
  ['a symbol', Symbol('img'), TypeError, /got symbol/],
  ['a function', () => GOOD, TypeError, /got function/],
  // classify() and logits() take arrays of images: there the first element is what is refused.
  ['a plain array of samples', [1, 2, 3], TypeError, /got Array|^images\[0\]: .*got number 1$/],
  ['an empty object', {}, TypeError, /got Object/],
  ['encoded bytes (a Uint8Array)', Uint8Array.of(0x89, 0x50, 0x4e, 0x47), TypeError, /got Uint8Array/],
  ['an ArrayBuffer', new ArrayBuffer(1200), TypeError, /got ArrayBuffer/],
  ['a Float64Array tensor', new Float64Array(1200), TypeError, /got Float64Array/],
  ['a Date', new Date(0), TypeError, /got Date/],
  ['a Map', new Map(), TypeError, /got Map/],
  ['a Promise of an image', Promise.resolve(GOOD), TypeError, /got Promise/],
  ['a fetch Response', new Response('x'), TypeError, /got Response/],
  ['a URL', new URL('http://127.0.0.1/cat.png'), TypeError, /got URL/],
  // objects with the wrong fields
  // classify(), logits() and preprocess() all name the missing field
  ['data only', { data: GOOD.data }, TypeError, /image\.width must be a number, got undefined/],
  ['no height', { data: GOOD.data, width: 20 }, TypeError, /image\.height must be a number, got undefined/],
  ['data: a plain array', { data: Array.from(GOOD.data), width: 20, height: 20 }, TypeError, /image\.data must be .*got Array/],
  ['data: null', { data: null, width: 20, height: 20 }, TypeError, /image\.data must be .*got null/],
  ['data: a string', { data: 'x'.repeat(1200), width: 20, height: 20 }, TypeError, /image\.data must be .*got string/],
  ['data: Int8Array', { data: new Int8Array(1200), width: 20, height: 20 }, TypeError, /got Int8Array\(1200\)/],
  ['data: Uint16Array', { data: new Uint16Array(1200), width: 20, height: 20 }, TypeError, /got Uint16Array\(1200\)/],
  ['data: Float32Array', { data: new Float32Array(1200), width: 20, height: 20 }, TypeError, /got Float32Array\(1200\)/],
  ['data: an ArrayBuffer', { data: new ArrayBuffer(1200), width: 20, height: 20 }, TypeError, /got ArrayBuffer/],
  ['data: a DataView', { data: new DataView(new ArrayBuffer(1200)), width: 20, height: 20 }, TypeError, /got DataView/],
  ['width: a string', { ...GOOD, width: '20' }, TypeError, /image\.width must be a number, got string/],
  ['height: null', { ...GOOD, height: null }, TypeError, /image\.height must be a number, got null/],
  ['width: a boxed number', { ...GOOD, width: Object(20) }, TypeError, /image\.width must be a number, got Number/],
  ['channels: a string', { ...GOOD, channels: '3' }, TypeError, /image\.channels must be 1, 3 or 4, got string/],
  // sizes
  ['width 0', { data: new Uint8Array(0), width: 0, height: 0 }, RangeError, /image\.width must be an integer in \[1, 32768\], got 0/],
  ['width −1', { ...GOOD, width: -1 }, RangeError, /got -1/],
  ['width 2.5', { ...GOOD, width: 2.5 }, RangeError, /got 2\.5/],
  ['width NaN', { ...GOOD, width: NaN }, RangeError, /got NaN/],
  ['height Infinity', { ...GOOD, height: Infinity }, RangeError, /got Infinity/],
  ['width −0 ', { ...GOOD, width: -0 }, RangeError, /got 0/],
  ['width 1e9 (tiny data)', { data: new Uint8Array(3), width: 1e9, height: 1 }, RangeError, /got 1000000000/],
  ['width 32769', { data: new Uint8Array(3), width: 32769, height: 1 }, RangeError, /got 32769/],
  ['width 2^53', { data: new Uint8Array(3), width: 2 ** 53, height: 2 ** 53 }, RangeError, /got 9007199254740992/],
  [
    '32768×32768 (over the pixel limit)',
    { data: new Uint8Array(3), width: 32768, height: 32768 },
    RangeError,
    /1073741824 pixels, more than the 268435456/,
  ],
  ['data one short', { ...GOOD, data: GOOD.data.subarray(1), channels: 3 }, RangeError, /has 1199 samples, expected 20×20×3 = 1200/],
  ['data one long', { ...GOOD, data: pixels(1201), channels: 3 }, RangeError, /has 1201 samples, expected 20×20×3 = 1200/],
  ['data 2 samples a pixel (inferred)', { ...GOOD, data: pixels(800) }, RangeError, /has 800 samples, expected 20×20×channels/],
  ['data not a whole number of pixels', { ...GOOD, data: pixels(1201) }, RangeError, /has 1201 samples, expected/],
  ['empty data', { ...GOOD, data: new Uint8Array(0) }, RangeError, /has 0 samples/],
  ['data of a detached buffer', { ...GOOD, data: detached }, RangeError, /has 0 samples/],
  ['channels 2', { ...GOOD, channels: 2 }, RangeError, /image\.channels must be 1, 3 or 4, got 2/],
  ['channels 0', { ...GOOD, channels: 0 }, RangeError, /got 0/],
  ['channels 3.5', { ...GOOD, channels: 3.5 }, RangeError, /got 3\.5/],
  ['channels NaN', { ...GOOD, channels: NaN }, RangeError, /got NaN/],
  ['channels 4 for RGB data', { ...GOOD, channels: 4 }, RangeError, /has 1200 samples, expected 20×20×4 = 1600/],
];

/** Preprocessed-tensor inputs: logits() and classify() only (preprocess takes images). */
const TENSOR_CASES: [string, Float32Array, RegExp][] = [
  ['NaN', nanAt(17, NaN), /non-finite value \(NaN\) at index 17/],
  ['Infinity', nanAt(0, Infinity), /non-finite value \(Infinity\) at index 0/],
  ['−Infinity', nanAt(1199, -Infinity), /non-finite value \(-Infinity\) at index 1199/],
  ['too short', new Float32Array(1199), /tensor of 1200 values; got 1199/],
  ['too long', new Float32Array(1201), /tensor of 1200 values; got 1201/],
  ['empty', new Float32Array(0), /got 0/],
];

let clf: Classifier;
let reference: Float32Array;

async function call(entry: Entry, input: unknown): Promise<unknown> {
  if (entry === 'classify') return clf.classify(input as never);
  if (entry === 'logits') return clf.logits(input as never);
  return preprocess(input as never, clf.info);
}

async function refusal(entry: Entry, input: unknown): Promise<unknown> {
  try {
    await call(entry, input);
  } catch (e) {
    return e;
  }
  return undefined;
}

test.before(async () => {
  clf = await load(INT8_PACK, { wasm: await wasmModule() });
  reference = await clf.logits(GOOD);
});

test.after(() => clf.dispose());

for (const entry of ENTRIES) {
  test(`${entry}(): ${CASES.length} hostile images, each a TypeError or RangeError saying expected vs got`, async () => {
    const problems: string[] = [];
    for (const [name, input, kind, words] of CASES) {
      const e = await refusal(entry, input);
      const msg = e instanceof Error ? e.message : String(e);
      if (e === undefined) problems.push(`${name}: accepted`);
      else if (!(e instanceof kind && e.constructor === kind))
        problems.push(`${name}: expected a ${kind.name}, got ${e instanceof Error ? e.constructor.name : typeof e}: ${msg}`);
      else if (!/expected|must|accepted/.test(msg)) problems.push(`${name}: the message does not say what was expected: ${msg}`);
      else if (!/got|has \d+|more than/.test(msg)) problems.push(`${name}: the message does not say what arrived: ${msg}`);
      else if (!words.test(msg)) problems.push(`${name}: message ${JSON.stringify(msg)} does not match ${words}`);
    }
    assert.ok(!problems.length, `${entry}():\n  ${problems.join('\n  ')}`);
    // Still the same classifier: no refusal touched its state.
    if (entry !== 'preprocess') assert.equal([...(await clf.logits(GOOD))], [...reference], 'results after the hostile inputs');
  });
}

for (const entry of ['classify', 'logits'] as const) {
  test(`${entry}(): NaN/∞ and wrong-length Float32Array tensors are RangeErrors naming the value`, async () => {
    for (const [name, t, words] of TENSOR_CASES) {
      const e = await refusal(entry, t);
      assert.ok(
        e instanceof RangeError && e.constructor === RangeError,
        `${entry}(tensor ${name}): got ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)}`,
      );
      assert.match((e as Error).message, words, `${entry}(tensor ${name})`);
    }
    assert.equal([...(await clf.logits(GOOD))], [...reference]);
  });
}

test('classify(): bad topK values are RangeErrors; a huge topK is clamped to the class count', async () => {
  for (const k of [0, -1, 1.5, NaN, Infinity, -Infinity, '3', 0.1, true]) {
    const e = await clf.classify(GOOD, { topK: k as number }).then(
      () => undefined,
      (x: unknown) => x,
    );
    assert.ok(e instanceof RangeError, `topK ${String(k)}: ${String(e)}`);
    assert.match((e as Error).message, /options\.topK must be a positive integer, got/);
  }
  assert.is((await clf.classify(GOOD, { topK: 1e9 })).length, clf.info.numClasses);
});

test('extreme but valid images classify: 1×1, 32768×1, 1×32768, gray, RGBA, a view into a larger buffer', async () => {
  const big = new Uint8Array(10 + 1200);
  big.set(GOOD.data, 10);
  const ok = [
    { data: pixels(1), width: 1, height: 1 },
    { data: pixels(32768 * 3), width: 32768, height: 1 },
    { data: pixels(32768), width: 1, height: 32768, channels: 1 as const },
    { data: new Uint8ClampedArray(pixels(7 * 5 * 4)), width: 7, height: 5 },
    { data: big.subarray(10), width: 20, height: 20 },
  ];
  for (const im of ok) {
    const top = await clf.classify(im, { topK: 3 });
    assert.is(top.length, 3);
    assert.ok(
      top.every((p) => Number.isFinite(p.score) && p.score >= 0 && p.score <= 1),
      `${im.width}×${im.height}: ${JSON.stringify(top)}`,
    );
  }
  assert.equal([...(await clf.logits(ok[4]))], [...reference], 'a subarray view gives the same result as its own buffer');
});

test.run();
