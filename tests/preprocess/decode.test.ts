// decodeImage: every PNG colour type and bit depth, interlaced too (exact), JPEG gray, colour,
// progressive, CMYK and EXIF orientations (exactly PIL's libjpeg-turbo decode; layouts and
// scales in decode-jpeg.test.ts), options, and refusals: each an ImageDecodeError with a code
// and a message in our words (hostile files: tests/reliability/hostile-files.test.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeImage, DEFAULT_DECODE_OPTIONS, ImageDecodeError, type ImageDecodeErrorCode } from '../../ts-sdk/decode/index.ts';
import { ihdr, png, pngChunk } from '../reliability/bombs.ts';
import { fixture } from './reference.ts';

interface Expected {
  width: number;
  height: number;
  channels: number;
  data: number[];
}
const expected: Record<string, Expected> = JSON.parse(new TextDecoder().decode(fixture('decode/expected.json')));

for (const [name, e] of Object.entries(expected)) {
  test(`${name} → ${e.width}×${e.height}×${e.channels}, exactly`, () => {
    const img = decodeImage(fixture(`decode/${name}`));
    assert.equal([img.width, img.height, img.channels], [e.width, e.height, e.channels]);
    assert.ok(img.data instanceof Uint8Array);
    const at = img.data.findIndex((v, i) => v !== e.data[i]);
    assert.ok(
      at < 0 && img.data.length === e.data.length,
      `${name}: sample ${at} (pixel ${Math.floor(at / e.channels)}, channel ${at % e.channels}): expected ${e.data[at]}, got ${img.data[at]}`,
    );
  });
}

test('accepts an ArrayBuffer as well as a Uint8Array (or Buffer)', () => {
  const bytes = fixture('decode/rgb8.png');
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  assert.equal(decodeImage(ab).data, decodeImage(bytes).data);
});

const throwsWith = (fn: () => unknown, type: ErrorConstructor, pattern: RegExp) => {
  try {
    fn();
  } catch (e) {
    assert.instance(e, type);
    assert.match((e as Error).message, pattern);
    return e;
  }
  assert.unreachable(`expected a ${type.name} matching ${pattern}`);
};
const refused = (fn: () => unknown, code: ImageDecodeErrorCode, pattern: RegExp) => {
  const e = throwsWith(fn, ImageDecodeError as unknown as ErrorConstructor, pattern) as ImageDecodeError;
  assert.is(e.code, code, e.message);
  assert.match(e.message, /^decodeImage: /);
};

test("EXIF orientation: applied by default (as browsers show the photo), kept as stored with 'ignore' (as PIL reads it)", () => {
  const shown = decodeImage(fixture('decode/exif6.jpg'));
  const stored = decodeImage(fixture('decode/exif6.jpg'), { orientation: 'ignore' });
  assert.equal([shown.width, shown.height, stored.width, stored.height], [8, 12, 12, 8]);
  assert.equal(stored.data, decodeImage(fixture('decode/exif1.jpg')).data);
  assert.is(DEFAULT_DECODE_OPTIONS.orientation, 'exif');
  throwsWith(
    () => decodeImage(fixture('decode/exif6.jpg'), { orientation: 'auto' as 'exif' }),
    TypeError,
    /options.orientation must be 'exif' or 'ignore', got auto/,
  );
});

test('bad arguments: TypeError or RangeError saying what was expected', () => {
  throwsWith(() => decodeImage('x.png' as unknown as Uint8Array), TypeError, /Uint8Array or ArrayBuffer, got string/);
  const png8 = fixture('decode/gray8.png');
  throwsWith(
    () => decodeImage(png8, { maxPixels: 0.5 }),
    RangeError,
    /options\.maxPixels must be an integer in \[1, 268435456\], got 0\.5/,
  );
  throwsWith(() => decodeImage(png8, { maxBytes: -1 }), RangeError, /options\.maxBytes must be an integer/);
  throwsWith(() => decodeImage(png8, { minSide: NaN }), RangeError, /options\.minSide must be an integer in \[0, 32768\], got NaN/);
  throwsWith(() => decodeImage(png8, { minSide: '64' as unknown as number }), RangeError, /got string/);
});

test('unknown formats: UNSUPPORTED_FORMAT naming the accepted formats (and the format when known)', () => {
  const gif = new TextEncoder().encode('GIF89a\x01\x00\x01\x00');
  refused(() => decodeImage(gif), 'UNSUPPORTED_FORMAT', /GIF is not supported; accepted: JPEG .* and PNG/);
  const webp = new TextEncoder().encode('RIFF\x00\x00\x00\x00WEBPVP8 ');
  refused(() => decodeImage(webp), 'UNSUPPORTED_FORMAT', /WebP is not supported/);
  refused(
    () => decodeImage(new Uint8Array([1, 2, 3])),
    'UNSUPPORTED_FORMAT',
    /unrecognized image format \(first bytes: 01 02 03\); accepted: JPEG/,
  );
  refused(() => decodeImage(new Uint8Array(0)), 'UNSUPPORTED_FORMAT', /first bytes: none/);
});

test('truncated files: TRUNCATED, saying where they end', () => {
  const p = fixture('decode/rgb8.png');
  refused(() => decodeImage(p.subarray(0, 16)), 'TRUNCATED', /too short to hold a PNG header/);
  refused(() => decodeImage(p.subarray(0, p.length - 30)), 'TRUNCATED', /declares \d+ bytes, more than the file has left|ends before/);
  const jpg = fixture('decode/color-444.jpg');
  refused(() => decodeImage(jpg.subarray(0, 40)), 'TRUNCATED', /invalid|truncated JPEG file/);
  refused(() => decodeImage(jpg.subarray(0, jpg.length - 200)), 'TRUNCATED', /image data ends inside MCU \d+ of 12/);
  refused(() => decodeImage(jpg.subarray(0, jpg.length - 2)), 'TRUNCATED', /ends after its image data, before the end-of-image marker/);
});

test('too many pixels: TOO_MANY_PIXELS from the header, before decoding', () => {
  const big = png([pngChunk('IHDR', ihdr(30000, 30000)), pngChunk('IEND', new Uint8Array(0))]);
  refused(() => decodeImage(big), 'TOO_MANY_PIXELS', /declares 30000×30000 pixels; .* at most 67108864 pixels/);
  refused(() => decodeImage(fixture('decode/color-444.jpg'), { maxPixels: 100 }), 'TOO_MANY_PIXELS', /declares 32×24 pixels/);
  refused(() => decodeImage(png([pngChunk('IHDR', ihdr(40000, 1))])), 'TOO_MANY_PIXELS', /1…32768 per side/);
  assert.is(DEFAULT_DECODE_OPTIONS.maxPixels, 2 ** 26);
});

test('memory budget: OVER_BUDGET from the header, naming what the decode needs; minSide shrinks the cost', () => {
  assert.is(DEFAULT_DECODE_OPTIONS.maxBytes, 64 * 2 ** 20);
  const p = png([pngChunk('IHDR', ihdr(5000, 5000, 8, 6)), pngChunk('IEND', new Uint8Array(0))]); // RGBA: 95 MiB of output
  refused(
    () => decodeImage(p),
    'OVER_BUDGET',
    /this 5000×5000 image needs 95\.\d MiB \(output 95\.4 MiB, row buffers [\d.]+ KiB, inflater [\d.]+ KiB\), more than options\.maxBytes = 64\.0 MiB/,
  );
  // At 1/8 it fits (then fails for what it is: a header without image data).
  refused(() => decodeImage(p, { minSide: 625 }), 'CORRUPT', /the file has no image data \(IDAT\) before IEND/);
  const jpg = fixture('decode/color-444.jpg'); // 32×24: planes 2304 + output 2304 + rows
  refused(() => decodeImage(jpg, { maxBytes: 4000 }), 'OVER_BUDGET', /component planes .*output .*pass options\.minSide/);
  assert.equal(decodeImage(jpg, { maxBytes: 4000, minSide: 8 }).width, 16, 'at 1/2 scale it fits');
});

test('minSide: JPEGs decode at the smallest 1/2ⁿ scale (n ≤ 3) whose shorter side stays ≥ minSide', () => {
  const jpg = fixture('decode/color-444.jpg'); // 32×24
  const size = (minSide: number) => {
    const im = decodeImage(jpg, { minSide });
    return `${im.width}×${im.height}`;
  };
  assert.equal(
    [size(0), size(24), size(13), size(12), size(6), size(3), size(1)],
    ['32×24', '32×24', '32×24', '16×12', '8×6', '4×3', '4×3'],
  );
  // Orientation applies after scaling: exif6 is 12×8 stored, shown 8×12; at 1/2, 4×6.
  const o = decodeImage(fixture('decode/exif6.jpg'), { minSide: 4 });
  assert.equal([o.width, o.height], [4, 6]);
});

test('minSide: PNGs (interlaced too) reduce to the rounded mean of each block, partial blocks at the edges', () => {
  for (const name of ['rgb8.png', 'rgba16.png', 'gray2.png', 'palette4.png', 'graya8.png', 'rgb8-adam7.png', 'gray2-adam7.png']) {
    const full = decodeImage(fixture(`decode/${name}`));
    for (const [minSide, d] of [
      [2, 2],
      [1, 4],
    ] as const) {
      const got = decodeImage(fixture(`decode/${name}`), { minSide });
      const { width: W, height: H, channels: C } = full;
      const w = Math.ceil(W / d);
      const h = Math.ceil(H / d);
      assert.equal([got.width, got.height, got.channels], [w, h, C], `${name} at 1/${d}`);
      const want = new Uint8Array(w * h * C);
      for (let by = 0; by < h; by++)
        for (let bx = 0; bx < w; bx++)
          for (let c = 0; c < C; c++) {
            let sum = 0;
            let n = 0;
            for (let y = by * d; y < Math.min(H, by * d + d); y++)
              for (let x = bx * d; x < Math.min(W, bx * d + d); x++) (sum += full.data[(y * W + x) * C + c]), n++;
            want[(by * w + bx) * C + c] = Math.round(sum / n);
          }
      assert.equal(got.data, want, `${name} at 1/${d}`);
    }
  }
});

test.run();
