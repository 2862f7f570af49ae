// The tensor table: tensorCount fixed 48-byte records, then every name as one UTF-8 blob.
// Records are in data order and the data is packed densely (each tensor at the next 64-byte
// boundary), so overlap, gaps and out-of-range offsets are all one comparison per record.
import type { DType } from '../model/graph.ts';
import { PackFormatError, check } from './errors.ts';
import { checkZeros, type Header } from './header.ts';
import {
  DATA_ALIGN,
  DTYPE_BY_CODE,
  DTYPE_CODES,
  LAYOUT_BY_CODE,
  LAYOUT_CODES,
  MAX_RANK,
  RECORD,
  RECORD_SIZE,
  alignUp,
  byteLengthOf,
  layoutProblem,
  type Layout,
} from './format.ts';

export interface TableEntry {
  name: string;
  dtype: DType;
  layout: Layout;
  dims: number[];
  /** From the start of the data section; a multiple of 64. */
  offset: number;
  byteLength: number;
}

/** Data offsets for entries in order: each at the next 64-byte boundary. Returns the data size. */
export function placeTensors(entries: { offset: number; byteLength: number }[]): number {
  let end = 0;
  for (const e of entries) {
    e.offset = alignUp(end, DATA_ALIGN);
    end = e.offset + e.byteLength;
  }
  return end;
}

/** Writes records and names at `at`; `names` are the entries' names as UTF-8. */
export function writeTable(bytes: Uint8Array, at: number, entries: TableEntry[], names: Uint8Array[]): void {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let nameAt = 0;
  const blob = at + entries.length * RECORD_SIZE;
  entries.forEach((e, i) => {
    const r = at + i * RECORD_SIZE;
    v.setUint32(r + RECORD.nameOffset, nameAt, true);
    v.setUint32(r + RECORD.nameLength, names[i].length, true);
    v.setUint8(r + RECORD.dtype, DTYPE_CODES[e.dtype]);
    v.setUint8(r + RECORD.layout, LAYOUT_CODES[e.layout]);
    v.setUint8(r + RECORD.rank, e.dims.length);
    e.dims.forEach((d, j) => v.setUint32(r + RECORD.dims + 4 * j, d, true));
    v.setUint32(r + RECORD.dataOffset, e.offset, true);
    v.setUint32(r + RECORD.byteLength, e.byteLength, true);
    bytes.set(names[i], blob + nameAt);
    nameAt += names[i].length;
  });
}

// ignoreBOM: a BOM stays a character (so JSON.parse rejects it, names compare byte for byte).
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Reads and checks every record against the header's sections; never reads past them. */
export function readTable(bytes: Uint8Array, h: Header): TableEntry[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const blob = h.tableOffset + h.tensorCount * RECORD_SIZE;
  const blobSize = h.tableSize - h.tensorCount * RECORD_SIZE;
  const entries: TableEntry[] = [];
  const seen = new Set<string>();
  let nameAt = 0;
  let end = 0; // end of the previous tensor's data
  for (let i = 0; i < h.tensorCount; i++) {
    const r = h.tableOffset + i * RECORD_SIZE;
    const u32 = (f: number): number => v.getUint32(r + f, true);

    const [nameOffset, nameLength] = [u32(RECORD.nameOffset), u32(RECORD.nameLength)];
    check(
      nameOffset === nameAt,
      'BAD_TENSOR_TABLE',
      () => `tensor record ${i}: name offset ${nameOffset}, expected ${nameAt} (names are stored back to back)`,
    );
    check(
      nameLength >= 1 && nameLength <= blobSize - nameAt,
      'BAD_TENSOR_TABLE',
      () => `tensor record ${i}: name of ${nameLength} bytes at ${nameAt} does not fit the ${blobSize}-byte name area`,
    );
    let name: string;
    try {
      name = utf8.decode(bytes.subarray(blob + nameAt, blob + nameAt + nameLength));
    } catch {
      throw new PackFormatError('BAD_TENSOR_TABLE', `tensor record ${i}: name is not valid UTF-8`);
    }
    nameAt += nameLength;
    check(!seen.has(name), 'BAD_TENSOR_TABLE', () => `tensor record ${i}: name '${name}' is used twice`);
    seen.add(name);
    const at = `tensor '${name}' (record ${i})`;

    const dtype = DTYPE_BY_CODE[v.getUint8(r + RECORD.dtype)];
    const layout = LAYOUT_BY_CODE[v.getUint8(r + RECORD.layout)];
    const rank = v.getUint8(r + RECORD.rank);
    check(dtype !== undefined, 'BAD_TENSOR_TABLE', () => `${at}: unknown dtype code ${v.getUint8(r + RECORD.dtype)} (known: 1–5)`);
    check(layout !== undefined, 'BAD_TENSOR_TABLE', () => `${at}: unknown layout code ${v.getUint8(r + RECORD.layout)} (known: 0–2)`);
    check(rank <= MAX_RANK, 'BAD_TENSOR_TABLE', () => `${at}: rank ${rank} exceeds ${MAX_RANK}`);
    check(
      v.getUint8(r + RECORD.reserved0) === 0 && u32(RECORD.reserved1) === 0,
      'BAD_TENSOR_TABLE',
      () => `${at}: reserved fields must be 0`,
    );
    const dims: number[] = [];
    for (let j = 0; j < MAX_RANK; j++) {
      const d = u32(RECORD.dims + 4 * j);
      check(
        j < rank ? d >= 1 : d === 0,
        'BAD_TENSOR_TABLE',
        () => `${at}: dims[${j}] is ${d}; the first ${rank} dims must be ≥ 1 and the rest 0`,
      );
      if (j < rank) dims.push(d);
    }
    const problem = layoutProblem(dtype, layout, rank);
    check(problem === undefined, 'BAD_TENSOR_TABLE', () => `${at}: ${problem}`);

    const [offset, byteLength] = [u32(RECORD.dataOffset), u32(RECORD.byteLength)];
    const want = byteLengthOf(dtype, layout, dims);
    check(
      byteLength === want,
      'INCONSISTENT_SHAPES',
      () => `${at}: ${dtype} ${layout} [${dims.join(', ')}] needs ${want} bytes, the record says ${byteLength}`,
    );
    check(offset % DATA_ALIGN === 0, 'BAD_TENSOR_TABLE', () => `${at}: data offset ${offset} is not a multiple of ${DATA_ALIGN}`);
    check(offset >= end, 'BAD_TENSOR_TABLE', () => `${at}: data at ${offset} overlaps the previous tensor, which ends at ${end}`);
    check(
      offset === alignUp(end, DATA_ALIGN),
      'BAD_TENSOR_TABLE',
      () => `${at}: data at ${offset} leaves a gap; expected ${alignUp(end, DATA_ALIGN)}`,
    );
    check(
      offset + byteLength <= h.dataSize,
      'BAD_TENSOR_TABLE',
      () => `${at}: data [${offset}, ${offset + byteLength}) runs past the ${h.dataSize}-byte data section`,
    );
    checkZeros(bytes, h.dataOffset + end, h.dataOffset + offset, `before ${at}`, 'BAD_TENSOR_TABLE');
    end = offset + byteLength;
    entries.push({ name, dtype, layout, dims, offset, byteLength });
  }
  check(nameAt === blobSize, 'BAD_TENSOR_TABLE', () => `the name area has ${blobSize} bytes, but the names use ${nameAt}`);
  check(end === h.dataSize, 'BAD_TENSOR_TABLE', () => `the data section has ${h.dataSize} bytes, but the tensors end at ${end}`);
  return entries;
}
