// Huffman tables (ITU T.81 Annex C) and the bit reader of the entropy-coded data (F.2.2.5):
// bytes 0xFF 0x00 stand for 0xFF; any other 0xFF xx is a marker, where the data ends. Past a
// marker the reader supplies zero bits, as libjpeg does, but counts them: a scan that
// consumed any was cut short (`overrun`), and the decoder refuses it as truncated.
import { decodeError } from '../errors.ts';

/** Codes up to this many bits are decoded by one table lookup. */
const LOOKUP_BITS = 9;

export interface HuffmanTable {
  /** [code of LOOKUP_BITS bits] → length << 8 | symbol; 0 when the code is longer. */
  lookup: Uint16Array;
  /** Largest code of each length 1…16 (−1: none), and where its symbols start in `symbols`. */
  maxCode: Int32Array;
  offset: Int32Array;
  symbols: Uint8Array;
}

/** Builds a table from a DHT segment's 16 counts and its symbols (canonical codes, C.2). */
export function buildTable(counts: Uint8Array, symbols: Uint8Array): HuffmanTable {
  const lookup = new Uint16Array(1 << LOOKUP_BITS);
  const maxCode = new Int32Array(18).fill(-1);
  const offset = new Int32Array(18);
  let code = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    const n = counts[len - 1];
    offset[len] = k - code;
    for (let i = 0; i < n; i++, k++, code++) {
      if (len <= LOOKUP_BITS) {
        const shift = LOOKUP_BITS - len;
        for (let j = 0; j < 1 << shift; j++) lookup[(code << shift) | j] = (len << 8) | symbols[k];
      }
    }
    if (n) maxCode[len] = code - 1;
    // libjpeg refuses an all-ones code too (it is reserved), so this is `>=`.
    if (n && code >= 1 << len)
      throw decodeError('CORRUPT', 'jpeg', `a Huffman table (DHT) has more codes of length ${len} than fit in ${len} bits`);
    code <<= 1;
  }
  return { lookup, maxCode, offset, symbols };
}

export class BitReader {
  private buf = 0;
  private bits = 0;
  /** Zero bits supplied past the end of the data so far. */
  private padded = 0;
  /** Where the next byte is read; stops at the marker that ends the data. */
  pos: number;
  constructor(
    private readonly data: Uint8Array,
    start: number,
  ) {
    this.pos = start;
  }

  private fill(): void {
    const d = this.data;
    while (this.bits <= 24) {
      let b = 0;
      if (this.pos < d.length && (d[this.pos] !== 0xff || d[this.pos + 1] === 0)) {
        b = d[this.pos];
        this.pos += b === 0xff ? 2 : 1;
      } else this.padded += 8;
      this.buf = ((this.buf << 8) | b) >>> 0;
      this.bits += 8;
    }
  }

  /** True once more bits were taken than the data held. */
  get overrun(): boolean {
    return this.padded > this.bits;
  }

  bit(): number {
    if (this.bits < 1) this.fill();
    return (this.buf >>> --this.bits) & 1;
  }

  /** `n` bits (0…16) as an unsigned number. */
  get(n: number): number {
    if (n === 0) return 0;
    if (this.bits < n) this.fill();
    this.bits -= n;
    return (this.buf >>> this.bits) & ((1 << n) - 1);
  }

  /** `n` bits as a signed coefficient (F.2.2.1 EXTEND). */
  receive(n: number): number {
    const v = this.get(n);
    return n && v < 1 << (n - 1) ? v - (1 << n) + 1 : v;
  }

  decode(t: HuffmanTable): number {
    if (this.bits < 16) this.fill();
    const e = t.lookup[(this.buf >>> (this.bits - LOOKUP_BITS)) & ((1 << LOOKUP_BITS) - 1)];
    if (e) {
      this.bits -= e >> 8;
      return e & 255;
    }
    for (let len = LOOKUP_BITS + 1; len <= 16; len++) {
      const code = (this.buf >>> (this.bits - len)) & ((1 << len) - 1);
      if (code <= t.maxCode[len]) {
        this.bits -= len;
        return t.symbols[t.offset[len] + code];
      }
    }
    throw decodeError('CORRUPT', 'jpeg', 'the entropy-coded data holds a code its Huffman table does not define');
  }

  /**
   * Skips to the next marker (RSTn or the end of the scan), dropping the bits left in the
   * current byte; returns the marker's second byte, or −1 at the end of the file.
   */
  toMarker(): number {
    this.buf = 0;
    this.bits = 0;
    this.padded = 0;
    const d = this.data;
    while (this.pos < d.length - 1 && !(d[this.pos] === 0xff && d[this.pos + 1] !== 0 && d[this.pos + 1] !== 0xff)) this.pos++;
    return this.pos < d.length - 1 ? d[this.pos + 1] : -1;
  }
}
