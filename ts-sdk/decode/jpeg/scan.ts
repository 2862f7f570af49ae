// Decodes one scan's entropy-coded data (ITU T.81 F.2 sequential, G.1.2 progressive) into
// blocks of quantized coefficients, following libjpeg's jdhuff.c / jdphuff.c rules: a run past
// the end of a block lands on its last coefficient (libjpeg's natural-order table pads with 63),
// DC sums wrap to 16 bits as libjpeg's JCOEF does. Restart markers must come where the restart
// interval says; data that ends early (the reader supplied padding bits) is refused.
import { decodeError } from '../errors.ts';
import type { BitReader } from './huffman.ts';
import type { Component, Frame } from './frame.ts';

/** Zigzag position → natural (row-major) index, padded with 63 for runs that overshoot. */
const NATURAL = Int32Array.from([
  0,
  1,
  8,
  16,
  9,
  2,
  3,
  10,
  17,
  24,
  32,
  25,
  18,
  11,
  4,
  5,
  12,
  19,
  26,
  33,
  40,
  48,
  41,
  34,
  27,
  20,
  13,
  6,
  7,
  14,
  21,
  28,
  35,
  42,
  49,
  56,
  57,
  50,
  43,
  36,
  29,
  22,
  15,
  23,
  30,
  37,
  44,
  51,
  58,
  59,
  52,
  45,
  38,
  31,
  39,
  46,
  53,
  60,
  61,
  54,
  47,
  55,
  62,
  63,
  ...new Array(16).fill(63),
]);
export const ZIGZAG_TO_NATURAL = NATURAL;

export interface Scan {
  components: Component[];
  ss: number;
  se: number;
  ah: number;
  al: number;
}

const fail = (what: string) => decodeError('CORRUPT', 'jpeg', what);

/**
 * Decodes the scan. Each block goes to its place in its component's coefficient buffer or,
 * with `direct`, to a zeroed scratch block that `direct.done` consumes at once.
 */
export function decodeScan(
  r: BitReader,
  frame: Frame,
  scan: Scan,
  restartInterval: number,
  direct?: { scratch: Int16Array; done: (c: Component, bx: number, by: number) => void },
): void {
  const { components: comps } = scan;
  const single = comps.length === 1;
  const mcusX = single ? comps[0].nbw : frame.mcusX;
  const mcusY = single ? comps[0].nbh : frame.mcusY;
  const total = mcusX * mcusY;
  const decodeBlock = blockDecoder(r, frame.progressive, scan);
  let eobrun = { n: 0 };
  let expectRst = 0;
  for (let m = 0; m < total; m++) {
    if (restartInterval && m && m % restartInterval === 0) {
      const marker = r.toMarker();
      if (marker !== 0xd0 + expectRst) {
        throw fail(
          `restart marker RST${expectRst} expected after MCU ${m} of ${total}, found ${marker < 0 ? 'the end of the file' : `0xFF${marker.toString(16).toUpperCase()}`}`,
        );
      }
      r.pos += 2;
      expectRst = (expectRst + 1) & 7;
      for (const c of comps) c.pred = 0;
      eobrun = { n: 0 };
    }
    const mx = m % mcusX;
    const my = (m - mx) / mcusX;
    for (const c of comps) {
      const bh = single ? 1 : c.h;
      const bv = single ? 1 : c.v;
      for (let v = 0; v < bv; v++) {
        for (let h = 0; h < bh; h++) {
          const bx = mx * bh + h;
          const by = my * bv + v;
          if (direct) {
            direct.scratch.fill(0);
            decodeBlock(c, direct.scratch, 0, eobrun);
            direct.done(c, bx, by);
          } else decodeBlock(c, c.coefs!, (by * c.bw + bx) * 64, eobrun);
        }
      }
    }
    if (r.overrun) throw decodeError('TRUNCATED', 'jpeg', `the image data ends inside MCU ${m} of ${total} of a scan`);
  }
}

type BlockFn = (c: Component, blk: Int16Array, off: number, eob: { n: number }) => void;

function blockDecoder(r: BitReader, progressive: boolean, scan: Scan): BlockFn {
  const { ss, se, ah, al } = scan;
  if (!progressive) {
    return (c, blk, off) => {
      const t = r.decode(c.dc!);
      if (t > 11) throw fail(`a DC difference of category ${t} (8-bit JPEG allows at most 11)`);
      c.pred = (c.pred + r.receive(t)) | 0;
      blk[off] = c.pred;
      for (let k = 1; k < 64; k++) {
        const rs = r.decode(c.ac!);
        const s = rs & 15;
        if (s) {
          k += rs >> 4;
          blk[off + NATURAL[k]] = r.receive(s);
        } else if (rs >> 4 !== 15) break;
        else k += 15;
      }
    };
  }
  if (ss === 0 && ah === 0) {
    return (c, blk, off) => {
      const t = r.decode(c.dc!);
      if (t > 11) throw fail(`a DC difference of category ${t} (8-bit JPEG allows at most 11)`);
      c.pred = (c.pred + r.receive(t)) | 0;
      blk[off] = c.pred << al;
    };
  }
  if (ss === 0) return (_c, blk, off) => void (r.bit() && (blk[off] |= 1 << al));
  if (ah === 0) {
    return (c, blk, off, eob) => {
      if (eob.n > 0) return void eob.n--;
      for (let k = ss; k <= se; k++) {
        const rs = r.decode(c.ac!);
        const run = rs >> 4;
        const s = rs & 15;
        if (s) {
          k += run;
          blk[off + NATURAL[k]] = r.receive(s) * (1 << al);
        } else if (run === 15) k += 15;
        else {
          eob.n = (1 << run) + r.get(run) - 1;
          break;
        }
      }
    };
  }
  const p1 = 1 << al;
  const m1 = -1 << al;
  // One correction bit for each already-nonzero coefficient passed (G.1.2.3).
  const refine = (blk: Int16Array, i: number) => {
    const v = blk[i];
    if (r.bit() && (v & p1) === 0) blk[i] = v >= 0 ? v + p1 : v + m1;
  };
  return (c, blk, off, eob) => {
    let k = ss;
    if (eob.n === 0) {
      for (; k <= se; k++) {
        const rs = r.decode(c.ac!);
        let run = rs >> 4;
        let s = rs & 15;
        if (s) {
          if (s !== 1) throw fail(`a refinement scan codes a new coefficient of size ${s} (it must be 1)`);
          s = r.bit() ? p1 : m1;
        } else if (run !== 15) {
          eob.n = (1 << run) + r.get(run);
          break;
        }
        do {
          const i = off + NATURAL[k];
          if (blk[i] !== 0) refine(blk, i);
          else if (--run < 0) break;
          k++;
        } while (k <= se);
        if (s) blk[off + NATURAL[k]] = s;
      }
    }
    if (eob.n > 0) {
      for (; k <= se; k++) {
        const i = off + NATURAL[k];
        if (blk[i] !== 0) refine(blk, i);
      }
      eob.n--;
    }
  };
}
