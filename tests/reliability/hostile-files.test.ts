// Hostile image files through decodeImage (issue 20): decompression and header bombs must end
// quickly in bounded memory, and damaged or invalid files must be refused with an
// ImageDecodeError whose code and message say what is wrong — where the decoders used before
// (jpeg-js, fast-png) took gigabytes, leaked their internals or decoded garbage.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { decodeImage, ImageDecodeError, type ImageDecodeErrorCode } from '../../ts-sdk/decode/index.ts';
import { ihdr, jpegHeaderBomb, jpegTwoFrameBomb, png, pngBomb, pngChunk } from './bombs.ts';
import { lastJson, mib, runChild } from './shared.ts';

/** The issue's bounds for one bomb, measured in a fresh process: its whole peak RSS, and the decode's time. */
const MAX_MS = 3000;
const MAX_PEAK = 400 * 2 ** 20;

const fixture = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`../fixtures/preprocess/decode/${name}`, import.meta.url)));
const END = pngChunk('IEND', new Uint8Array(0));
const idat = (raw: number[] | Uint8Array) => pngChunk('IDAT', zlibOf(Uint8Array.from(raw)));
const zlibOf = (raw: Uint8Array): Uint8Array => new Uint8Array(deflateSync(raw));

function refused(bytes: Uint8Array, code: ImageDecodeErrorCode, words: RegExp, options = {}): void {
  try {
    decodeImage(bytes, options);
  } catch (e) {
    assert.ok(
      e instanceof ImageDecodeError,
      `expected an ImageDecodeError, got ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)}`,
    );
    assert.is(e.code, code, e.message);
    assert.match(e.message, /^decodeImage: /);
    assert.match(e.message, words);
    return;
  }
  assert.unreachable(`accepted; expected ${code} ${words}`);
}

const BOMBS: [string, () => Uint8Array, string, string][] = [
  [
    'PNG declaring 1×1, inflating to 1 GiB (1.0 MB)',
    pngBomb,
    'CORRUPT: .*inflates to more than the 2 bytes',
    'CORRUPT: .*inflates to more than the 2 bytes',
  ],
  ['JPEG frame header 8192×8192, RGB', () => jpegHeaderBomb('rgb'), 'OVER_BUDGET: .*8192×8192 image needs 384\\.0 MiB', 'TRUNCATED: '],
  ['JPEG frame header 8192×8192, gray', () => jpegHeaderBomb('gray'), 'OVER_BUDGET: .*needs 128\\.0 MiB', 'TRUNCATED: '],
  [
    'JPEG with a second frame header declaring 8192×8192',
    jpegTwoFrameBomb,
    'CORRUPT: .*a second frame header',
    'CORRUPT: .*a second frame header',
  ],
];

test(`bombs: each ends (typed error) in ≤ ${MAX_MS} ms and ≤ ${mib(MAX_PEAK)} peak process memory, by default and with minSide 224`, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'edge-resnet-bombs-'));
  const lines: string[] = [];
  try {
    for (const [name, make, byDefault, withMinSide] of BOMBS) {
      const file = join(dir, 'bomb');
      const bytes = make();
      writeFileSync(file, bytes);
      for (const [minSide, want] of [
        [0, byDefault],
        [224, withMinSide],
      ] as const) {
        const run = await runChild(new URL('./decode-bomb-child.ts', import.meta.url), {
          args: [file, String(minSide)],
          stallMs: 20_000,
          totalMs: 30_000,
        });
        const r = lastJson<{ outcome: string; ms: number; peakBytes: number; startBytes: number }>(run.stdout, 'RESULT ');
        assert.ok(r, `${name}: the child died (${run.code ?? run.signal}): ${run.stderr.slice(-1500)}`);
        assert.match(r.outcome, new RegExp(`^${want}`), `${name}, minSide ${minSide}`);
        assert.ok(r.ms <= MAX_MS, `${name}, minSide ${minSide}: ${r.ms.toFixed(0)} ms`);
        assert.ok(r.peakBytes <= MAX_PEAK, `${name}, minSide ${minSide}: peak RSS ${mib(r.peakBytes)}`);
        lines.push(
          `${name} (${bytes.length} bytes), minSide ${minSide}: ${r.outcome.split(':')[0]} in ${r.ms.toFixed(0)} ms, peak RSS ${mib(r.peakBytes)} (${mib(r.startBytes)} before)`,
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\n  ${lines.join('\n  ')}`);
});

test('PNG: damaged or invalid files are refused (the old decoder decoded them to wrong pixels or leaked its errors)', () => {
  const good = fixture('rgb8.png');
  const badCrc = good.slice();
  badCrc[good.length - 20] ^= 1; // inside IDAT: the CRC no longer matches
  refused(badCrc, 'CORRUPT', /the IDAT chunk at byte \d+ fails its CRC check/);
  // The same damage with the CRC re-stamped: caught by deflate or by the Adler-32.
  const raw = new Uint8Array(5 * (1 + 7 * 3)).fill(90);
  const z = zlibOf(raw);
  z[z.length - 6] ^= 0x10;
  refused(png([pngChunk('IHDR', ihdr(7, 5, 8, 2)), pngChunk('IDAT', z), END]), 'CORRUPT', /damaged|Adler-32/);
  const pal = Uint8Array.from([0, 1, 0, 1, 0]);
  refused(
    png([pngChunk('IHDR', ihdr(4, 1, 8, 3)), idat(pal), END]),
    'CORRUPT',
    /palette image \(colour type 3\) needs a PLTE chunk before its image data/,
  );
  refused(
    png([pngChunk('IHDR', ihdr(4, 1, 16, 3)), END]),
    'CORRUPT',
    /bit depth 16 is not allowed for colour type 3 \(allowed: 1, 2, 4, 8\)/,
  );
  refused(
    png([pngChunk('IHDR', ihdr(4, 1, 8, 3)), pngChunk('PLTE', new Uint8Array(3)), idat(pal), END]),
    'CORRUPT',
    /pixel \(0, 0\) uses palette index 1, but the PLTE chunk has only 1 entries/,
  );
  refused(
    png([pngChunk('IHDR', ihdr(1, 1)), pngChunk('PLTE', new Uint8Array(3)), idat([0, 0]), END]),
    'CORRUPT',
    /a gray image \(colour type 0\) must not have a PLTE chunk/,
  );
  refused(
    png([pngChunk('IHDR', ihdr(1, 1)), pngChunk('ABCD', new Uint8Array(1)), idat([0, 0]), END]),
    'UNSUPPORTED_FEATURE',
    /critical chunk ABCD/,
  );
  refused(png([pngChunk('IHDR', ihdr(2, 1)), idat([7, 1, 2]), END]), 'CORRUPT', /row 0 has filter type 7; only 0…4 exist/);
  refused(
    png([pngChunk('IHDR', ihdr(2, 2)), idat([0, 1, 2]), END]),
    'TRUNCATED',
    /inflates to 3 bytes; the header's size and format need 6/,
  );
  refused(png([pngChunk('IHDR', ihdr(2, 1)), idat([0, 1, 2, 3]), END]), 'CORRUPT', /inflates to more than the 3 bytes/);
  refused(png([pngChunk('IHDR', ihdr(2, 1)), idat([0, 1, 2])]), 'TRUNCATED', /ends before its IEND chunk/);
  const split = zlibOf(Uint8Array.from([0, 1, 2]));
  refused(
    png([
      pngChunk('IHDR', ihdr(2, 1)),
      pngChunk('IDAT', split.subarray(0, 4)),
      pngChunk('tEXt', new Uint8Array(2)),
      pngChunk('IDAT', split.subarray(4)),
      END,
    ]),
    'CORRUPT',
    /IDAT chunks must be consecutive/,
  );
  refused(
    png([pngChunk('IHDR', ihdr(2, 1)), pngChunk('IDAT', Uint8Array.from([0x78, 0x9c, 1, 2, 3, 4, 5, 6])), END]),
    'CORRUPT',
    /damaged/,
  );
  refused(
    png([pngChunk('IHDR', ihdr(2, 1)), pngChunk('IDAT', Uint8Array.from([0x12, 0x34, 1, 2, 3, 4, 5, 6])), END]),
    'CORRUPT',
    /valid zlib header/,
  );
  // Valid: the same data split over two IDAT chunks, and 16 MiB of zeros (16 KB deflated) that the header does declare.
  assert.equal(
    decodeImage(png([pngChunk('IHDR', ihdr(2, 1)), pngChunk('IDAT', split.subarray(0, 4)), pngChunk('IDAT', split.subarray(4)), END])).data,
    Uint8Array.of(1, 2),
  );
  const zeros = decodeImage(png([pngChunk('IHDR', ihdr(4096, 4096)), idat(new Uint8Array(4096 * 4097)), END]));
  assert.is(zeros.data.length, 4096 * 4096);
});

test('JPEG: invalid or unsupported files are refused in our words', () => {
  const j = fixture('color-444.jpg');
  const at = (marker: number) => {
    for (let i = 2; i < j.length; i += 2 + ((j[i + 2] << 8) | j[i + 3])) if (j[i + 1] === marker) return i;
    throw new Error('no marker');
  };
  const without = (marker: number) => {
    const i = at(marker);
    const len = 2 + ((j[i + 2] << 8) | j[i + 3]);
    return Uint8Array.from([...j.subarray(0, i), ...j.subarray(i + len)]);
  };
  refused(without(0xc4), 'CORRUPT', /a scan uses Huffman table DC 0, which no DHT segment defines/);
  refused(without(0xdb), 'CORRUPT', /uses quantization table 0, which no DQT segment defines/);
  refused(without(0xc0), 'CORRUPT', /image data \(SOS\) before the frame header \(SOF\)/);
  const sof = at(0xc0);
  const p12 = j.slice();
  p12[sof + 4] = 12;
  refused(p12, 'UNSUPPORTED_FEATURE', /12-bit samples are not supported/);
  const dnl = j.slice();
  dnl.set([0, 0], sof + 5);
  refused(dnl, 'UNSUPPORTED_FEATURE', /DNL marker/);
  const lossless = j.slice();
  lossless[sof + 1] = 0xc3;
  refused(lossless, 'UNSUPPORTED_FEATURE', /lossless JPEG \(SOF3\) is not supported/);
  const sampling = j.slice();
  sampling[sof + 11] = 0x51;
  refused(sampling, 'CORRUPT', /sampling factors 5×1; each must be 1…4/);
  const dht = at(0xc4);
  const overfull = j.slice();
  overfull.set([2, 0, 4], dht + 5); // two codes of length 1 (one would have to be all ones), as many symbols as before
  refused(overfull, 'CORRUPT', /more codes of length 1 than fit in 1 bits/);
  // Restart markers out of order.
  const r = fixture('scaled/ycc-420-restart.jpg');
  const rst = r.findIndex((v, i) => v === 0xff && r[i + 1] === 0xd0);
  const swapped = r.slice();
  swapped[rst + 1] = 0xd3;
  refused(swapped, 'CORRUPT', /restart marker RST0 expected after MCU 3 of \d+, found 0xFFD3/);
  // A progressive file whose refinement scan is repeated past the scan limit (a CPU bomb).
  const p = fixture('scaled/ycc-420-progressive.jpg');
  const refine = p.subarray(2558, 2621); // an SOS (DC refinement) and its data
  assert.equal([refine[0], refine[1], refine[3]], [0xff, 0xda, 12]);
  const many = Uint8Array.from([...p.subarray(0, 2621), ...Array.from({ length: 95 }, () => [...refine]).flat(), ...p.subarray(2621)]);
  refused(many, 'UNSUPPORTED_FEATURE', /more than 100 scans/);
});

test.run();
