// JPEG → 8-bit gray or RGB, within a stated memory budget, bit for bit as libjpeg-turbo (and
// so PIL) decodes it, optionally at 1/2, 1/4 or 1/8 scale straight from the DCT coefficients.
// Written here because no decoder that runs in every runtime (workerd included) offers both a
// bounded memory cost and DCT scaling: jpeg-js allocates every block's buffers from the frame
// header before reading any data (a 2 KB file declaring 8192×8192 cost 1.3 GB), @jsquash/jpeg's
// libjpeg-turbo build exposes no scaling and keeps its wasm memory at the largest image it
// decoded; a 12 MP photo cannot fit a 128 MB isolate either way.
//
// Memory: a single-scan (baseline) image is decoded MCU by MCU straight into its component
// planes; a progressive or multi-scan one keeps 2 bytes per coefficient until its last scan.
// Then the planes are upsampled and colour converted into the output. Every buffer is sized
// from the frame header and checked against the budget before it is allocated, for every
// frame header the file holds (a second one is refused).
import { checkBudget, checkPixels, decodeError, type DecodeLimits } from '../errors.ts';
import type { DecodedImage } from '../decoded-image.ts';
import { exifOrientation, type Orientation } from '../exif-orientation.ts';
import { coefBytes, planeBytes, readFrame, type Component, type Frame } from './frame.ts';
import { BitReader, buildTable, type HuffmanTable } from './huffman.ts';
import { IDCT } from './idct.ts';
import { writePixels, type ColorSpace } from './output.ts';
import { decodeScan, ZIGZAG_TO_NATURAL, type Scan } from './scan.ts';

export interface JpegOptions {
  limits: DecodeLimits;
  /** The scale to decode at, 1/denom (1, 2, 4 or 8), given the declared size. */
  denomFor: (width: number, height: number) => number;
  /** Apply the EXIF orientation while writing the pixels. */
  orient: boolean;
}

const fail = (what: string) => decodeError('CORRUPT', 'jpeg', what);
/**
 * Most scans a file may have. Progressive encoders write about 10 (libjpeg's default script)
 * to 20; each scan visits every block of its components, and an end-of-band run codes
 * thousands of blocks in a few bits, so without a cap a small file could repeat scans into
 * minutes of work (libjpeg-turbo's TurboJPEG offers the same limit, TJPARAM_SCANLIMIT).
 */
const MAX_SCANS = 100;
const ZEROS = new Uint16Array(64);

export function decodeJpeg(b: Uint8Array, opts: JpegOptions): DecodedImage {
  const quant: (Uint16Array | undefined)[] = [];
  const dcTables: (HuffmanTable | undefined)[] = [];
  const acTables: (HuffmanTable | undefined)[] = [];
  let restartInterval = 0;
  let jfif = false;
  let adobe = -1;
  let orientation: Orientation | undefined;
  let frame: Frame | undefined;
  let mode: 'direct' | 'buffered' | undefined;
  let scans = 0;
  /** Each component's quantization table as it was when the component's first scan began (libjpeg latches it then). */
  const latched = new Map<Component, Uint16Array>();
  const ws = new Int32Array(64);
  const scratch = new Int16Array(64);

  let pos = 2;
  for (;;) {
    if (pos + 1 >= b.length)
      throw decodeError(
        'TRUNCATED',
        'jpeg',
        frame ? 'the file ends before its end-of-image marker (EOI)' : 'the file ends before its frame header (SOF)',
      );
    if (b[pos] !== 0xff) throw fail(`expected a marker at byte ${pos}, found 0x${b[pos].toString(16).padStart(2, '0')}`);
    const marker = b[pos + 1];
    if (marker === 0xff) {
      pos++;
      continue;
    } // fill byte
    if (marker === 0xd9) break; // EOI
    if (marker === 0xd8) throw fail('a second start-of-image marker (SOI)');
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      pos += 2;
      continue;
    } // no length
    if (pos + 4 > b.length)
      throw decodeError('TRUNCATED', 'jpeg', `the file ends inside the 0xFF${marker.toString(16).toUpperCase()} marker segment`);
    const len = (b[pos + 2] << 8) | b[pos + 3];
    if (len < 2 || pos + 2 + len > b.length)
      throw decodeError(
        'TRUNCATED',
        'jpeg',
        `the 0xFF${marker.toString(16).toUpperCase()} marker segment declares ${len} bytes, more than the file has left`,
      );
    const seg = b.subarray(pos + 4, pos + 2 + len);
    pos += 2 + len;

    if (marker === 0xdb) readQuant(seg, quant);
    else if (marker === 0xc4) readHuffman(seg, dcTables, acTables);
    else if (marker === 0xdd) restartInterval = seg.length >= 2 ? (seg[0] << 8) | seg[1] : 0;
    else if (marker === 0xe0 && seg.length >= 5 && String.fromCharCode(...seg.subarray(0, 5)) === 'JFIF\0') jfif = true;
    else if (marker === 0xe1 && orientation === undefined && seg.length >= 6 && seg[0] === 0x45) orientation = exifOrientation(seg);
    else if (marker === 0xee && seg.length >= 12 && String.fromCharCode(...seg.subarray(0, 5)) === 'Adobe') adobe = seg[11];
    else if (marker === 0xc0 || marker === 0xc1 || marker === 0xc2) {
      if (frame) throw fail('a second frame header (SOF): only one frame per file is decoded, and a second one may declare any size');
      frame = readFrame(seg, marker, opts.denomFor);
      checkPixels('jpeg', opts.limits, frame.width, frame.height);
      checkBudget('jpeg', opts.limits, sizeOf(frame), budget(frame, frame.progressive));
    } else if (marker >= 0xc3 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      throw decodeError(
        'UNSUPPORTED_FEATURE',
        'jpeg',
        `${[0xc3, 0xc7, 0xcb, 0xcf].includes(marker) ? 'lossless' : marker >= 0xc9 ? 'arithmetic-coded' : 'hierarchical'} JPEG (SOF${marker - 0xc0}) is not supported; baseline, extended and progressive Huffman-coded JPEGs are`,
      );
    } else if (marker === 0xdc)
      throw decodeError('UNSUPPORTED_FEATURE', 'jpeg', 'DNL markers (a height given after the image data) are not supported');
    else if (marker === 0xda) {
      if (!frame) throw fail('image data (SOS) before the frame header (SOF)');
      if (++scans > MAX_SCANS)
        throw decodeError('UNSUPPORTED_FEATURE', 'jpeg', `more than ${MAX_SCANS} scans (progressive encoders write about 10)`);
      const f = frame;
      const scan = readScan(seg, f, dcTables, acTables);
      if (!mode) {
        mode = !f.progressive && scan.components.length === f.components.length ? 'direct' : 'buffered';
        if (mode === 'buffered') checkBudget('jpeg', opts.limits, sizeOf(f), budget(f, true));
        for (const c of f.components) {
          c.plane = new Uint8Array(c.bw * c.bh * c.size * c.size);
          if (mode === 'buffered') c.coefs = new Int16Array(c.bw * c.bh * 64);
        }
      } else if (mode === 'direct') throw fail('a second scan in a single-scan image');
      for (const c of scan.components) {
        const q = latched.get(c) ?? quant[c.tq];
        if (!q) throw fail(`component ${c.id} uses quantization table ${c.tq}, which no DQT segment defines`);
        latched.set(c, q);
      }
      const r = new BitReader(b, pos);
      if (mode === 'direct') {
        decodeScan(r, f, scan, restartInterval, {
          scratch,
          done: (c, bx, by) => {
            const stride = c.bw * c.size;
            IDCT[c.size](scratch, 0, latched.get(c)!, c.plane, by * c.size * stride + bx * c.size, stride, ws);
          },
        });
      } else decodeScan(r, f, scan, restartInterval);
      if (r.toMarker() < 0)
        throw decodeError('TRUNCATED', 'jpeg', 'the file ends after its image data, before the end-of-image marker (EOI)');
      pos = r.pos;
    }
  }
  if (!frame || !mode) throw fail(frame ? 'the file has no image data (SOS)' : 'the file has no frame header (SOF)');
  if (mode === 'buffered') {
    for (const c of frame.components) {
      const q = latched.get(c) ?? ZEROS; // a component no scan coded stays mid-gray, as in libjpeg
      const stride = c.bw * c.size;
      for (let by = 0; by < c.bh; by++) {
        for (let bx = 0; bx < c.bw; bx++)
          IDCT[c.size](c.coefs!, (by * c.bw + bx) * 64, q, c.plane, by * c.size * stride + bx * c.size, stride, ws);
      }
      c.coefs = undefined;
    }
  }
  const o = opts.orient ? (orientation ?? 1) : 1;
  const color = colorSpace(frame, jfif, adobe);
  const C = color === 'gray' ? 1 : 3;
  const out = new Uint8Array(frame.outW * frame.outH * C);
  writePixels(frame, color, o, out);
  const swap = o >= 5;
  return { data: out, width: swap ? frame.outH : frame.outW, height: swap ? frame.outW : frame.outH, channels: C };
}

const sizeOf = (f: Frame): string => `${f.width}×${f.height}${f.denom > 1 ? ` (at 1/${f.denom} scale: ${f.outW}×${f.outH})` : ''}`;

function budget(f: Frame, buffered: boolean): Record<string, number> {
  return {
    coefficients: buffered ? coefBytes(f) : 0,
    'component planes': planeBytes(f),
    output: f.outW * f.outH * (f.components.length === 1 ? 1 : 3),
    'row buffers': f.outW * f.components.length,
  };
}

/** libjpeg's default_decompress_parms: the colour space a frame's components are in. */
function colorSpace(f: Frame, jfif: boolean, adobe: number): ColorSpace {
  const n = f.components.length;
  if (n === 1) return 'gray';
  if (n === 4) return adobe === 0 || adobe < 0 ? 'cmyk' : 'ycck';
  if (jfif) return 'ycbcr';
  if (adobe >= 0) return adobe === 0 ? 'rgb' : 'ycbcr';
  const [a, b, c] = f.components.map((x) => x.id);
  return a === 82 && b === 71 && c === 66 ? 'rgb' : 'ycbcr'; // 'R', 'G', 'B'
}

/** DQT (B.2.4.1): tables of 8- or 16-bit values in zigzag order, stored in natural order. */
function readQuant(seg: Uint8Array, quant: (Uint16Array | undefined)[]): void {
  for (let i = 0; i < seg.length; ) {
    const precision = seg[i] >> 4;
    const id = seg[i] & 15;
    const size = precision ? 128 : 64;
    if (precision > 1 || id > 3)
      throw fail(`a quantization table (DQT) has precision ${precision} and slot ${id}; precision must be 0 or 1 and the slot 0…3`);
    if (i + 1 + size > seg.length) throw fail('a quantization table (DQT) is shorter than its 64 values');
    const t = new Uint16Array(64);
    for (let k = 0; k < 64; k++) t[ZIGZAG_TO_NATURAL[k]] = precision ? (seg[i + 1 + 2 * k] << 8) | seg[i + 2 + 2 * k] : seg[i + 1 + k];
    quant[id] = t;
    i += 1 + size;
  }
}

/** DHT (B.2.4.2): Huffman tables, DC (class 0) or AC (class 1), slots 0…3. */
function readHuffman(seg: Uint8Array, dc: (HuffmanTable | undefined)[], ac: (HuffmanTable | undefined)[]): void {
  for (let i = 0; i < seg.length; ) {
    const cls = seg[i] >> 4;
    const id = seg[i] & 15;
    if (cls > 1 || id > 3) throw fail(`a Huffman table (DHT) has class ${cls} and slot ${id}; the class must be 0 or 1 and the slot 0…3`);
    if (i + 17 > seg.length) throw fail('a Huffman table (DHT) is shorter than its 16 code counts');
    const counts = seg.subarray(i + 1, i + 17);
    const n = counts.reduce((a, x) => a + x, 0);
    if (n > 256 || i + 17 + n > seg.length)
      throw fail(`a Huffman table (DHT) declares ${n} symbols, more than ${n > 256 ? '256' : 'the segment holds'}`);
    (cls ? ac : dc)[id] = buildTable(counts, seg.subarray(i + 17, i + 17 + n));
    i += 17 + n;
  }
}

/** SOS (B.2.3): the scan's components, their tables, and the spectral selection / approximation. */
function readScan(seg: Uint8Array, f: Frame, dc: (HuffmanTable | undefined)[], ac: (HuffmanTable | undefined)[]): Scan {
  const n = seg[0];
  if (!(n >= 1 && n <= 4) || seg.length < 4 + 2 * n) throw fail(`a scan header (SOS) lists ${n} components or is too short`);
  const [ss, se, a] = seg.subarray(1 + 2 * n, 4 + 2 * n);
  const scan: Scan = { components: [], ss, se, ah: a >> 4, al: a & 15 };
  if (f.progressive) {
    const bad = ss === 0 ? se !== 0 : ss > se || se > 63 || n !== 1;
    if (bad || (scan.ah && scan.al !== scan.ah - 1) || scan.al > 13)
      throw fail(`a progressive scan has an invalid band or precision (Ss ${ss}, Se ${se}, Ah ${scan.ah}, Al ${scan.al}, ${n} components)`);
  }
  for (let i = 0; i < n; i++) {
    const id = seg[1 + 2 * i];
    const c = f.components.find((x) => x.id === id);
    if (!c || scan.components.includes(c))
      throw fail(`a scan names component ${id}, which the frame ${c ? 'lists once' : 'does not have'}`);
    const td = seg[2 + 2 * i] >> 4;
    const ta = seg[2 + 2 * i] & 15;
    const needDc = !f.progressive || (ss === 0 && scan.ah === 0);
    const needAc = !f.progressive || ss > 0;
    c.dc = needDc ? dc[td] : undefined;
    c.ac = needAc ? ac[ta] : undefined;
    if ((needDc && !c.dc) || (needAc && !c.ac))
      throw fail(`a scan uses Huffman table ${needDc && !c.dc ? `DC ${td}` : `AC ${ta}`}, which no DHT segment defines`);
    c.pred = 0;
    scan.components.push(c);
  }
  if (n > 1 && scan.components.reduce((s, c) => s + c.h * c.v, 0) > 10) throw fail('an interleaved scan has more than 10 blocks per MCU');
  return scan;
}
