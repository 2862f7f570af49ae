// decodeImage: every PNG colour type and bit depth (exact), JPEG gray/colour/progressive/CMYK
// (against PIL's libjpeg decode, within jpeg-js's known differences), and bad files.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeImage, DEFAULT_DECODE_OPTIONS } from '../../ts-sdk/decode/index.ts';
import { fixture } from './reference.ts';

interface Expected { width: number; height: number; channels: number; tolerance: number; data: number[] }
const expected: Record<string, Expected> = JSON.parse(new TextDecoder().decode(fixture('decode/expected.json')));

for (const [name, e] of Object.entries(expected)) {
  test(`${name} → ${e.width}×${e.height}×${e.channels}`, () => {
    const img = decodeImage(fixture(`decode/${name}`));
    assert.is(img.width, e.width);
    assert.is(img.height, e.height);
    assert.is(img.channels, e.channels);
    assert.ok(img.data instanceof Uint8Array);
    assert.is(img.data.length, e.data.length);
    let max = 0;
    let sum = 0;
    let worst = 0;
    for (let i = 0; i < e.data.length; i++) {
      const d = Math.abs(img.data[i] - e.data[i]);
      sum += d;
      if (d > max) [max, worst] = [d, i];
    }
    const where = `sample ${worst} (pixel ${Math.floor(worst / e.channels)}, channel ${worst % e.channels})`;
    assert.ok(max <= e.tolerance, `${name}: max |Δ| ${max} at ${where}: expected ${e.data[worst]}, got ${img.data[worst]} (tolerance ${e.tolerance})`);
    // Mean error stays small even where chroma upsampling differs at edges.
    if (e.tolerance > 0) assert.ok(sum / e.data.length <= 1, `${name}: mean |Δ| ${(sum / e.data.length).toFixed(2)}`);
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
    return;
  }
  assert.unreachable(`expected a ${type.name} matching ${pattern}`);
};

test('EXIF orientation: applied by default (as browsers show the photo), kept as stored with \'ignore\' (as PIL reads it)', () => {
  const shown = decodeImage(fixture('decode/exif6.jpg'));
  const stored = decodeImage(fixture('decode/exif6.jpg'), { orientation: 'ignore' });
  assert.equal([shown.width, shown.height, stored.width, stored.height], [8, 12, 12, 8]);
  assert.equal(stored.data, decodeImage(fixture('decode/exif1.jpg')).data);
  assert.is(DEFAULT_DECODE_OPTIONS.orientation, 'exif');
  throwsWith(() => decodeImage(fixture('decode/exif6.jpg'), { orientation: 'auto' as 'exif' }), TypeError, /options.orientation must be 'exif' or 'ignore', got auto/);
});

test('unknown formats: TypeError naming the accepted formats (and the format when known)', () => {
  const gif = new TextEncoder().encode('GIF89a\x01\x00\x01\x00');
  throwsWith(() => decodeImage(gif), TypeError, /GIF is not supported; accepted: JPEG .* and PNG/);
  const webp = new TextEncoder().encode('RIFF\x00\x00\x00\x00WEBPVP8 ');
  throwsWith(() => decodeImage(webp), TypeError, /WebP is not supported/);
  throwsWith(() => decodeImage(new Uint8Array([1, 2, 3])), TypeError, /unrecognized image format \(first bytes: 01 02 03\); accepted: JPEG/);
  throwsWith(() => decodeImage(new Uint8Array(0)), TypeError, /first bytes: none/);
  throwsWith(() => decodeImage('x.png' as unknown as Uint8Array), TypeError, /Uint8Array or ArrayBuffer, got string/);
});

test('truncated or corrupt files: Error naming the format', () => {
  const png = fixture('decode/rgb8.png');
  throwsWith(() => decodeImage(png.subarray(0, 16)), Error, /invalid PNG file: no image header/);
  throwsWith(() => decodeImage(png.subarray(0, png.length - 30)), Error, /invalid PNG file/);
  const jpg = fixture('decode/color-444.jpg');
  throwsWith(() => decodeImage(jpg.subarray(0, 40)), Error, /invalid JPEG file/);
});

test('interlaced PNGs below 8 bits: a clear error (fast-png 8.0 cannot decode them)', () => {
  throwsWith(() => decodeImage(fixture('decode/gray2-adam7.png')), Error, /interlaced \(Adam7\) PNGs with 2-bit samples are not supported/);
});

test('oversized images are refused from the header, before decoding', () => {
  // A valid PNG whose IHDR claims 30000×30000 (the CRC no longer matches: never reached).
  const png = fixture('decode/gray8.png').slice();
  new DataView(png.buffer, png.byteOffset).setUint32(16, 30000);
  new DataView(png.buffer, png.byteOffset).setUint32(20, 30000);
  throwsWith(() => decodeImage(png), RangeError, /declares 30000×30000 pixels; .* at most 67108864 pixels/);
  throwsWith(() => decodeImage(fixture('decode/color-444.jpg'), { maxPixels: 100 }), RangeError, /declares 32×24 pixels/);
  throwsWith(() => decodeImage(png, { maxPixels: 0.5 }), RangeError, /options.maxPixels/);
  assert.is(DEFAULT_DECODE_OPTIONS.maxPixels, 2 ** 26);
});

test.run();
