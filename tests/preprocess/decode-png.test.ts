// decodeImage's PNG inflater against zlib's deflater: every block type and strategy zlib
// writes (stored, fixed and dynamic Huffman, RLE, Huffman-only, long matches across the
// 32 KiB window, data split over many IDAT chunks) must give back exactly the rows it was fed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { constants, deflateSync } from 'node:zlib';
import { decodeImage } from '../../ts-sdk/decode/index.ts';
import { rng } from '../helpers/rng.ts';
import { ihdr, png, pngChunk } from '../reliability/bombs.ts';

const W = 301;
const H = 257;
/** RGB rows with filter type 0: noise, flat runs and repeats of earlier rows (long-distance matches). */
function rows(seed: number): { raw: Uint8Array; pixels: Uint8Array } {
  const r = rng(seed);
  const pixels = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    const kind = y % 4;
    for (let i = 0; i < W * 3; i++) {
      const o = y * W * 3 + i;
      pixels[o] = kind === 0 ? r.int(0, 255) : kind === 1 ? 40 : kind === 2 && y > 60 ? pixels[o - 60 * W * 3] : (i * 7 + y) & 255;
    }
  }
  const raw = new Uint8Array(H * (1 + W * 3));
  for (let y = 0; y < H; y++) raw.set(pixels.subarray(y * W * 3, (y + 1) * W * 3), y * (1 + W * 3) + 1);
  return { raw, pixels };
}

const OPTIONS: [string, object][] = [
  ['stored (level 0)', { level: 0 }],
  ['level 1', { level: 1 }],
  ['level 6', { level: 6 }],
  ['level 9', { level: 9 }],
  ['fixed Huffman', { strategy: constants.Z_FIXED }],
  ['Huffman only', { strategy: constants.Z_HUFFMAN_ONLY }],
  ['RLE', { strategy: constants.Z_RLE }],
  ['small window (windowBits 9)', { windowBits: 9 }],
];

for (const [name, opts] of OPTIONS) {
  test(`zlib ${name}: exact, in one IDAT and split over 97-byte IDATs`, () => {
    const { raw, pixels } = rows(name.length);
    const z = new Uint8Array(deflateSync(raw, opts));
    const one = decodeImage(png([pngChunk('IHDR', ihdr(W, H, 8, 2)), pngChunk('IDAT', z), pngChunk('IEND', new Uint8Array(0))]));
    assert.ok(
      one.data.every((v, i) => v === pixels[i]),
      `${name}: one IDAT`,
    );
    const parts = [];
    for (let i = 0; i < z.length; i += 97) parts.push(pngChunk('IDAT', z.subarray(i, i + 97)));
    const split = decodeImage(png([pngChunk('IHDR', ihdr(W, H, 8, 2)), ...parts, pngChunk('IEND', new Uint8Array(0))]));
    assert.equal(split.data, one.data, `${name}: split`);
  });
}

test.run();
