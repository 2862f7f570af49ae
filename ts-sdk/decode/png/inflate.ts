// The image data of a PNG is one zlib stream (RFC 1950) split over IDAT chunks. It is inflated
// here (RFC 1951) straight into the caller's row reader through one fixed 128 KiB buffer, and
// stopped as soon as the output passes the size the header implies: a decompression bomb costs
// a few milliseconds, never the gigabytes it claims, and a valid image allocates nothing per
// step. Written here rather than taken from fflate: its streaming inflater allocates a fresh
// buffer per push and copies its output twice (a 12 MP PNG left ~80 MB of garbage at the peak
// in a 128 MB-budget Worker), and its one-shot inflater with a fixed output buffer runs on
// through a bomb's whole stream (seconds of CPU per upload).
import { decodeError } from '../errors.ts';
import { Adler32 } from './checksums.ts';

/** The output buffer: 32 KiB of history for back-references (RFC 1951 §3.2) plus room for output. */
const BUF = 1 << 17;
const WINDOW = 1 << 15;
/** All the inflater allocates: the buffer and two 15-bit lookup tables. */
export const INFLATE_BYTES = BUF + 2 * (2 << 15) + 1024;

const LEN_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LEN_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385,
  24577,
];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
/** The order code-length code lengths come in (§3.2.7). */
const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

const corrupt = (what: string) => decodeError('CORRUPT', 'png', `the compressed image data is damaged (${what})`);

/** A Huffman code as a lookup table indexed by the next `bits` stream bits: length << 9 | symbol, 0 = no such code. */
interface Code {
  table: Uint16Array;
  bits: number;
}

/** Builds the canonical code for `lengths` (§3.2.2) into `table`; refuses an over-subscribed set. */
function buildCode(lengths: Uint8Array, table: Uint16Array, what: string): Code {
  const count = new Uint16Array(16);
  for (const l of lengths) count[l]++;
  count[0] = 0;
  let bits = 0;
  for (let l = 15; l > 0; l--) if (count[l]) bits ||= l;
  const next = new Uint16Array(16);
  for (let l = 1, code = 0, left = 1; l <= 15; l++) {
    left = (left << 1) - count[l];
    if (left < 0) throw corrupt(`the ${what} code has more codes of length ${l} than fit`);
    code = (code + count[l - 1]) << 1;
    next[l] = code;
  }
  const size = 1 << bits;
  table.fill(0, 0, size);
  for (let sym = 0; sym < lengths.length; sym++) {
    const len = lengths[sym];
    if (!len) continue;
    let code = next[len]++;
    let rev = 0; // deflate sends a code's bits most significant first into a least-significant-first stream
    for (let i = 0; i < len; i++, code >>= 1) rev = (rev << 1) | (code & 1);
    for (let i = rev; i < size; i += 1 << len) table[i] = (len << 9) | sym;
  }
  return { table, bits };
}

const FIXED_LIT = buildCode(
  Uint8Array.from({ length: 288 }, (_, i) => (i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8)),
  new Uint16Array(1 << 9),
  'fixed literal/length',
);
const FIXED_DIST = buildCode(new Uint8Array(30).fill(5), new Uint16Array(1 << 5), 'fixed distance');

/**
 * Inflates the zlib stream split over `parts`, handing the output to `sink` in order (views
 * into a buffer that is reused: copy what you keep). The output must be exactly `expected`
 * bytes: more is refused as soon as it appears.
 */
export function inflateExactly(parts: Uint8Array[], expected: number, sink: (data: Uint8Array) => void): void {
  let part = 0;
  let at = 0;
  let bitBuf = 0;
  let bitCount = 0;
  /** Zero bits supplied past the end of the data; consuming any means the stream was cut short. */
  let padded = 0;
  const nextByte = (): number => {
    while (part < parts.length && at >= parts[part].length) part++, (at = 0);
    return part < parts.length ? parts[part][at++] : -1;
  };
  const need = (n: number): void => {
    while (bitCount < n) {
      const b = nextByte();
      if (b < 0) padded += 8;
      bitBuf = (bitBuf | (Math.max(b, 0) << bitCount)) >>> 0;
      bitCount += 8;
    }
  };
  const take = (n: number): number => {
    need(n);
    const v = bitBuf & ((1 << n) - 1);
    bitBuf >>>= n;
    bitCount -= n;
    if (padded > bitCount) throw corrupt(`the zlib/deflate stream ends before its final block after ${produced} of ${expected} bytes`);
    return v;
  };
  const decode = (c: Code): number => {
    need(c.bits);
    const e = c.table[bitBuf & ((1 << c.bits) - 1)];
    if (!e) throw corrupt('a code its Huffman table does not define');
    take(e >> 9);
    return e & 511;
  };

  const cmf = take(8);
  const flg = take(8);
  if ((cmf & 15) !== 8 || cmf >> 4 > 7 || ((cmf << 8) | flg) % 31 !== 0)
    throw decodeError('CORRUPT', 'png', 'the image data does not start with a valid zlib header');
  if (flg & 32) throw decodeError('CORRUPT', 'png', 'the image data asks for a preset zlib dictionary, which PNG forbids');

  const buf = new Uint8Array(BUF);
  const adler = new Adler32();
  let pos = 0; // next write in buf
  let flushed = 0; // buf[flushed, pos) not yet handed to the sink
  let produced = 0;
  const flush = () => {
    if (pos > flushed) {
      const out = buf.subarray(flushed, pos);
      adler.update(out);
      sink(out);
    }
    if (pos > BUF - 258) {
      // keep the last 32 KiB as history, make room
      buf.copyWithin(0, pos - WINDOW, pos);
      pos = WINDOW;
    }
    flushed = pos;
  };
  const grow = (n: number) => {
    produced += n;
    if (produced > expected) {
      throw decodeError(
        'CORRUPT',
        'png',
        `the image data inflates to more than the ${expected} bytes the header's size and format imply (a decompression bomb, or a damaged file)`,
      );
    }
  };

  const lengths = new Uint8Array(320);
  const litTable = new Uint16Array(1 << 15);
  const distTable = new Uint16Array(1 << 15);
  const clTable = new Uint16Array(1 << 7);
  for (let last = 0; !last; ) {
    last = take(1);
    const type = take(2);
    if (type === 0) {
      bitBuf >>>= bitCount & 7; // stored: skip to a byte boundary
      bitCount -= bitCount & 7;
      const len = take(16);
      if ((take(16) ^ 0xffff) !== len) throw corrupt("a stored block's length check fails");
      grow(len);
      for (let i = 0; i < len; i++) {
        buf[pos++] = take(8);
        if (pos > BUF - 258) flush();
      }
      continue;
    }
    if (type === 3) throw corrupt('block type 3 does not exist');
    let lit = FIXED_LIT;
    let dist = FIXED_DIST;
    if (type === 2) {
      const hlit = take(5) + 257;
      const hdist = take(5) + 1;
      const hclen = take(4) + 4;
      if (hlit > 286 || hdist > 30)
        throw corrupt(`a block declares ${hlit} literal/length and ${hdist} distance codes (at most 286 and 30)`);
      const cl = new Uint8Array(19);
      for (let i = 0; i < hclen; i++) cl[CL_ORDER[i]] = take(3);
      const clCode = buildCode(cl, clTable, 'code-length');
      lengths.fill(0);
      for (let i = 0; i < hlit + hdist; ) {
        const sym = decode(clCode);
        if (sym < 16) {
          lengths[i++] = sym;
          continue;
        }
        if (sym === 16 && i === 0) throw corrupt('a repeat code with no length before it');
        const prev = sym === 16 ? lengths[i - 1] : 0;
        const n = sym === 16 ? 3 + take(2) : sym === 17 ? 3 + take(3) : 11 + take(7);
        if (i + n > hlit + hdist) throw corrupt('code lengths run past the codes the block declares');
        lengths.fill(prev, i, i + n);
        i += n;
      }
      if (!lengths[256]) throw corrupt('a block without an end-of-block code');
      lit = buildCode(lengths.subarray(0, hlit), litTable, 'literal/length');
      dist = buildCode(lengths.subarray(hlit, hlit + hdist), distTable, 'distance');
    }
    for (;;) {
      const sym = decode(lit);
      if (sym < 256) {
        grow(1);
        buf[pos++] = sym;
      } else if (sym === 256) break;
      else {
        if (sym > 285) throw corrupt(`length code ${sym} does not exist`);
        const len = LEN_BASE[sym - 257] + take(LEN_EXTRA[sym - 257]);
        const d = decode(dist);
        if (d > 29) throw corrupt(`distance code ${d} does not exist`);
        const back = DIST_BASE[d] + take(DIST_EXTRA[d]);
        if (back > produced) throw corrupt(`a match reaches ${back} bytes back, before the start of the data`);
        grow(len);
        for (let i = 0, from = pos - back; i < len; i++) buf[pos++] = buf[from + i];
      }
      if (pos > BUF - 258) flush();
    }
  }
  flush();
  if (produced < expected)
    throw decodeError('TRUNCATED', 'png', `the image data inflates to ${produced} bytes; the header's size and format need ${expected}`);
  bitBuf >>>= bitCount & 7; // the Adler-32 starts at a byte boundary
  bitCount -= bitCount & 7;
  const trailer = ((take(8) << 24) | (take(8) << 16) | (take(8) << 8) | take(8)) >>> 0;
  if (adler.value !== trailer)
    throw decodeError('CORRUPT', 'png', 'the image data fails its Adler-32 check (the compressed data is damaged)');
}
