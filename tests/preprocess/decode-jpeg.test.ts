// decodeImage's JPEG decoder against PIL (libjpeg-turbo 2.1) bit for bit, at full, 1/2, 1/4
// and 1/8 scale, for every layout it handles: 4:4:4, 4:2:2, 4:2:0, 4:4:0, 4:1:1 and mixed
// chroma factors, restart intervals, progressive (with and without restarts), optimized
// Huffman tables, RGB without colour transform, gray, Adobe CMYK, and planes 1–2 samples wide.
// Fixtures and digests: tests/fixtures/preprocess/make_jpeg_scaled_fixtures.py.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { decodeImage, ImageDecodeError } from '../../ts-sdk/decode/index.ts';
import { fixture } from './reference.ts';

type Digest = [width: number, height: number, channels: number, sha256: string];
const expected: Record<string, Record<string, Digest>> = JSON.parse(new TextDecoder().decode(fixture('decode/scaled/expected.json')));

/** The minSide that makes decodeImage pick 1/s (its rule: the largest s with s · minSide ≤ the shorter side). */
const minSideFor = (s: number, w: number, h: number): number => (s === 1 ? 0 : Math.floor(Math.min(w, h) / s));

for (const [name, scales] of Object.entries(expected)) {
  test(`${name}: equals PIL at ${Object.keys(scales)
    .map((s) => `1/${s}`)
    .join(', ')}`, () => {
    const bytes = fixture(`decode/scaled/${name}`);
    const [W, H] = scales['1'];
    for (const [s, [w, h, c, sha]] of Object.entries(scales)) {
      const img = decodeImage(bytes, { minSide: minSideFor(Number(s), W, H) });
      assert.equal([img.width, img.height, img.channels], [w, h, c], `${name} at 1/${s}: size`);
      const got = createHash('sha256').update(img.data).digest('hex');
      assert.is(got, sha, `${name} at 1/${s}: pixels differ from PIL's`);
    }
  });
}

test('arithmetic-coded JPEG: refused as an unsupported feature, in our words', () => {
  try {
    decodeImage(fixture('decode/scaled/arithmetic.jpg'));
    assert.unreachable('decoded');
  } catch (e) {
    assert.instance(e, ImageDecodeError);
    assert.is((e as ImageDecodeError).code, 'UNSUPPORTED_FEATURE');
    assert.match((e as Error).message, /arithmetic-coded JPEG \(SOF9\) is not supported/);
  }
});

test.run();
