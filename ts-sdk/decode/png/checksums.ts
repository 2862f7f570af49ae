// The two checksums a PNG carries: CRC-32 on every chunk (ISO 3309, as PNG §5.5 specifies)
// and zlib's Adler-32 on the inflated image data (RFC 1950).

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/** CRC-32 of `b[from, to)`. */
export function crc32(b: Uint8Array, from: number, to: number): number {
  let c = -1;
  for (let i = from; i < to; i++) c = CRC_TABLE[(c ^ b[i]) & 255] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/** Running Adler-32: feed it chunks with `update`, read `value`. */
export class Adler32 {
  private a = 1;
  private b = 0;
  update(d: Uint8Array): void {
    let { a, b } = this;
    // 5552 bytes is the most that can be summed before b may pass 2^32 (zlib's NMAX).
    for (let i = 0; i < d.length; ) {
      const end = Math.min(d.length, i + 5552);
      for (; i < end; i++) b += a += d[i];
      a %= 65521;
      b %= 65521;
    }
    this.a = a;
    this.b = b;
  }
  get value(): number {
    return ((this.b << 16) | this.a) >>> 0;
  }
}
