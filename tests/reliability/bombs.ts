// Small files that declare or inflate to huge images, as an attacker would upload them
// (issue 20): a PNG declaring 1×1 whose image data inflates to 1 GiB, and JPEG frame headers
// declaring 8192×8192 (RGB, gray, and a second frame header after a small first one) with
// only a few hundred bytes of image data behind them.
import { deflateRawSync, constants } from 'node:zlib';
import { readFileSync } from 'node:fs';

const fixture = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`../fixtures/preprocess/decode/${name}`, import.meta.url)));

const crcTable = Int32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
const crc32 = (b: Uint8Array): number => {
  let c = -1;
  for (const x of b) c = crcTable[(c ^ x) & 255] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
};
const be32 = (v: number): number[] => [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];

/** A PNG chunk with its length and a correct CRC. */
export function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const body = new Uint8Array([...type].map((c) => c.charCodeAt(0)).concat(Array.from(data)));
  return new Uint8Array([...be32(data.length), ...body, ...be32(crc32(body))]);
}

export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** IHDR data: width, height, bit depth, colour type, compression, filter, interlace. */
export const ihdr = (w: number, h: number, depth = 8, colorType = 0, interlace = 0): Uint8Array =>
  new Uint8Array([...be32(w), ...be32(h), depth, colorType, 0, 0, interlace]);

export function png(chunks: Uint8Array[]): Uint8Array {
  const parts = [new Uint8Array(PNG_SIGNATURE), ...chunks];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, at), (at += p.length);
  return out;
}

/**
 * A zlib stream of `mib` MiB of zeros, built without ever holding them: 16 MiB of zeros
 * deflated once with a sync flush (a byte-aligned, non-final run of blocks that only
 * references zeros), repeated, then an empty final block and the Adler-32 of the whole.
 */
export function zerosZlib(mib: number): Uint8Array {
  const unit = 16;
  const block = deflateRawSync(new Uint8Array(unit << 20), { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  const n = Math.ceil(mib / unit);
  const total = n * unit * 2 ** 20;
  const adler = (((total % 65521) << 16) | 1) >>> 0; // a = 1 + Σ0 = 1, b = Σ a = total
  const out = new Uint8Array(2 + n * block.length + 2 + 4);
  out.set([0x78, 0xda], 0);
  for (let i = 0; i < n; i++) out.set(block, 2 + i * block.length);
  out.set([0x03, 0x00], 2 + n * block.length); // final fixed-Huffman block holding only end-of-block
  out.set(be32(adler), out.length - 4);
  return out;
}

/** The 1.0 MB PNG declaring 1×1 gray whose data inflates to 1 GiB. */
export const pngBomb = (): Uint8Array =>
  png([pngChunk('IHDR', ihdr(1, 1)), pngChunk('IDAT', zerosZlib(1024)), pngChunk('IEND', new Uint8Array(0))]);

/** Byte offset of the first SOF0/SOF2 segment of a JPEG. */
function sofAt(b: Uint8Array): number {
  for (let i = 2; i < b.length; ) {
    if (b[i + 1] === 0xc0 || b[i + 1] === 0xc2) return i;
    i += 2 + ((b[i + 2] << 8) | b[i + 3]);
  }
  throw new Error('no SOF');
}

const withSize = (sof: Uint8Array, w: number, h: number): Uint8Array => {
  const s = sof.slice();
  s.set([h >> 8, h & 255, w >> 8, w & 255], 5);
  return s;
};

/** A real 32×24 JPEG (RGB or gray) whose frame header now declares 8192×8192. */
export function jpegHeaderBomb(kind: 'rgb' | 'gray'): Uint8Array {
  const b = fixture(kind === 'rgb' ? 'color-444.jpg' : 'gray.jpg').slice();
  b.set(withSize(b.subarray(sofAt(b), sofAt(b) + 9), 8192, 8192), sofAt(b));
  return b;
}

/** A real 32×24 JPEG with a second frame header, declaring 8192×8192, right after its own. */
export function jpegTwoFrameBomb(): Uint8Array {
  const b = fixture('color-444.jpg');
  const at = sofAt(b);
  const end = at + 2 + ((b[at + 2] << 8) | b[at + 3]);
  const second = withSize(b.subarray(at, end), 8192, 8192);
  const out = new Uint8Array(b.length + second.length);
  out.set(b.subarray(0, end));
  out.set(second, end);
  out.set(b.subarray(end), end + second.length);
  return out;
}

/** The four upload bombs, named: what the example servers and the Worker must answer with a 4xx. */
export const uploadBombs = (): [string, Uint8Array][] => [
  ['PNG bomb', pngBomb()],
  ['JPEG 8192² RGB header', jpegHeaderBomb('rgb')],
  ['JPEG 8192² gray header', jpegHeaderBomb('gray')],
  ['JPEG second frame header', jpegTwoFrameBomb()],
];
