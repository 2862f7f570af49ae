// The 64-byte header and the CRC-32 trailer: where each section is, and whether the file is
// whole. Version 1 allows exactly one arrangement of sections for given sizes (layoutSections),
// so a reader can check every offset against it and no two valid files differ in layout.
import { PackFormatError, check, type PackErrorCode } from './errors.ts';
import { crc32 } from './crc32.ts';
import { CRC_SIZE, DATA_ALIGN, FORMAT_VERSION, HEADER, HEADER_SIZE, MAGIC, RECORD_SIZE, TABLE_ALIGN, alignUp } from './format.ts';

export interface Header {
  fileSize: number;
  metaOffset: number;
  metaSize: number;
  tableOffset: number;
  tableSize: number;
  tensorCount: number;
  dataOffset: number;
  dataSize: number;
}

/** header | meta | pad to 8 | table | pad to 64 | data | CRC-32. */
export function layoutSections(metaSize: number, tableSize: number, tensorCount: number, dataSize: number): Header {
  const metaOffset = HEADER_SIZE;
  const tableOffset = alignUp(metaOffset + metaSize, TABLE_ALIGN);
  const dataOffset = alignUp(tableOffset + tableSize, DATA_ALIGN);
  return { fileSize: dataOffset + dataSize + CRC_SIZE, metaOffset, metaSize, tableOffset, tableSize, tensorCount, dataOffset, dataSize };
}

const FIELDS = ['fileSize', 'metaOffset', 'metaSize', 'tableOffset', 'tableSize', 'tensorCount', 'dataOffset', 'dataSize'] as const;

/** Writes magic, version and sizes into a zeroed buffer of h.fileSize bytes. */
export function writeHeader(bytes: Uint8Array, h: Header): void {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  MAGIC.forEach((b, i) => (bytes[i] = b));
  v.setUint32(HEADER.version, FORMAT_VERSION, true);
  for (const f of FIELDS) v.setUint32(HEADER[f], h[f], true);
}

/** Stores the CRC-32 of everything before the last 4 bytes in the last 4 bytes. */
export function stampChecksum(bytes: Uint8Array): void {
  const end = bytes.length - CRC_SIZE;
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setUint32(end, crc32(bytes.subarray(0, end)), true);
}

const hex = (bytes: Uint8Array): string => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');

/**
 * Checks, in this order so each failure gets the most useful code: magic, version, length
 * against the header's file size, CRC, then the section layout. Reads nothing out of bounds.
 */
export function readHeader(bytes: Uint8Array): Header {
  const n = bytes.length;
  const head = bytes.subarray(0, MAGIC.length);
  check(
    head.every((b, i) => b === MAGIC[i]),
    'BAD_MAGIC',
    () => `not an edge-resnet pack: expected the bytes ${hex(Uint8Array.from(MAGIC))} at the start, found ${hex(head) || 'an empty file'}`,
  );
  check(n >= HEADER.version + 4, 'TRUNCATED', () => `file is ${n} bytes, cut off inside the ${HEADER_SIZE}-byte header`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, n);
  const version = v.getUint32(HEADER.version, true);
  check(
    version === FORMAT_VERSION,
    'UNSUPPORTED_VERSION',
    () =>
      `pack format version ${version}; this edge-resnet reads version ${FORMAT_VERSION}. ` +
      (version > FORMAT_VERSION ? 'Upgrade edge-resnet to load it.' : 'Re-convert the model with this version.'),
  );
  check(n >= HEADER_SIZE, 'TRUNCATED', () => `file is ${n} bytes, cut off inside the ${HEADER_SIZE}-byte header`);

  const h = Object.fromEntries(FIELDS.map((f) => [f, v.getUint32(HEADER[f], true)])) as unknown as Header;
  check(h.fileSize <= n, 'TRUNCATED', () => `header says the file is ${h.fileSize} bytes, found ${n}: the download or copy was cut short`);
  check(
    h.fileSize === n,
    'BAD_HEADER',
    () => `header says the file is ${h.fileSize} bytes, found ${n}: ${n - h.fileSize} unexpected trailing bytes`,
  );
  check(n >= HEADER_SIZE + CRC_SIZE, 'BAD_HEADER', () => `header says the file is ${n} bytes, less than a header and checksum`);
  const stored = v.getUint32(n - CRC_SIZE, true);
  const actual = crc32(bytes.subarray(0, n - CRC_SIZE));
  check(
    stored === actual,
    'CHECKSUM_MISMATCH',
    () =>
      `CRC-32 is 0x${actual.toString(16).padStart(8, '0')}, the file says 0x${stored.toString(16).padStart(8, '0')}: the pack was corrupted after writing`,
  );

  for (let i = HEADER.reserved; i < HEADER_SIZE; i++)
    check(bytes[i] === 0, 'BAD_HEADER', () => `header byte ${i} is reserved and must be 0, found ${bytes[i]}`);
  check(
    h.tensorCount * RECORD_SIZE <= h.tableSize,
    'BAD_HEADER',
    () => `header says ${h.tensorCount} tensors (${h.tensorCount * RECORD_SIZE} bytes of records), but the table is ${h.tableSize} bytes`,
  );
  const want = layoutSections(h.metaSize, h.tableSize, h.tensorCount, h.dataSize);
  for (const f of ['metaOffset', 'tableOffset', 'dataOffset', 'fileSize'] as const) {
    check(
      h[f] === want[f],
      'BAD_HEADER',
      () =>
        `header field ${f} is ${h[f]}, but sections of ${h.metaSize} (metadata), ${h.tableSize} (table) and ${h.dataSize} (data) bytes put it at ${want[f]}`,
    );
  }
  checkZeros(bytes, h.metaOffset + h.metaSize, h.tableOffset, 'between metadata and table');
  checkZeros(bytes, h.tableOffset + h.tableSize, h.dataOffset, 'between table and data');
  return h;
}

export function checkZeros(bytes: Uint8Array, from: number, to: number, where: string, code: PackErrorCode = 'BAD_HEADER'): void {
  for (let i = from; i < to; i++) {
    if (bytes[i] !== 0) throw new PackFormatError(code, `padding byte ${i} (${where}) must be 0, found ${bytes[i]}`);
  }
}
