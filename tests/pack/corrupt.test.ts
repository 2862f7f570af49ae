// Damaged and lying files: each must fail with the PackFormatError code FORMAT.md gives it.
// Field patches re-stamp the CRC so the reader reaches the check under test.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readPack, writePack } from '../../ts-sdk/pack/index.ts';
import { HEADER, RECORD, RECORD_SIZE } from '../../ts-sdk/pack/format.ts';
import { stampChecksum } from '../../ts-sdk/pack/header.ts';
import { parts, throwsPack, u32, withByte, withEntries, withU32 } from './helpers.ts';
import { tinyModel } from './fixtures.ts';

const pack = writePack(tinyModel('int8'));
const { header: h, entries } = parts(pack);
/** Byte offset of field `f` in the record of tensor `name`. */
const rec = (name: string, f: number): number => h.tableOffset + entries.findIndex((e) => e.name === name) * RECORD_SIZE + f;

test('truncated at every length, inside header, metadata, table, data and checksum', () => {
  for (let n = 0; n < pack.length; n++) throwsPack(() => readPack(pack.subarray(0, n)), 'TRUNCATED');
  throwsPack(() => readPack(pack.subarray(0, 40)), 'TRUNCATED', /cut off inside the 64-byte header/);
  throwsPack(
    () => readPack(pack.subarray(0, h.dataOffset + 100)),
    'TRUNCATED',
    new RegExp(`header says the file is ${pack.length} bytes, found ${h.dataOffset + 100}`),
  );
});

test('any flipped bit after the size fields is a checksum mismatch', () => {
  for (let i = HEADER.metaOffset; i < pack.length; i++) {
    const bad = pack.slice();
    bad[i] ^= 1 << (i % 8);
    throwsPack(() => readPack(bad), 'CHECKSUM_MISMATCH', /CRC-32 is 0x[0-9a-f]{8}, the file says 0x[0-9a-f]{8}/);
  }
});

test('wrong magic', () => {
  throwsPack(
    () => readPack(new TextEncoder().encode('PK\x03\x04 this is a zip file, long enough to have a header .......')),
    'BAD_MAGIC',
    /expected the bytes 89 45 52 4e 50 4b 0d 0a at the start, found 50 4b 03 04/,
  );
  throwsPack(() => readPack(withByte(pack, 1, 0x65)), 'BAD_MAGIC');
  throwsPack(() => readPack(withByte(pack, 7, 0x0d)), 'BAD_MAGIC'); // CR LF → CR CR: text-mode damage
  throwsPack(() => readPack(Uint8Array.of(0x00)), 'BAD_MAGIC');
});

test('unknown format versions are rejected before anything else, with what to do', () => {
  throwsPack(
    () => readPack(withU32(pack, HEADER.version, 2)),
    'UNSUPPORTED_VERSION',
    /version 2; this edge-resnet reads version 1\. Upgrade edge-resnet/,
  );
  throwsPack(() => readPack(withU32(pack, HEADER.version, 0)), 'UNSUPPORTED_VERSION', /Re-convert/);
  throwsPack(() => readPack(withU32(pack, HEADER.version, 2, false)), 'UNSUPPORTED_VERSION'); // even when the CRC no longer matches
  throwsPack(() => readPack(withU32(pack, HEADER.version, 2).subarray(0, 20)), 'UNSUPPORTED_VERSION');
});

test('file size in the header against the real length', () => {
  throwsPack(() => readPack(withU32(pack, HEADER.fileSize, pack.length + 4)), 'TRUNCATED');
  throwsPack(() => readPack(withU32(pack, HEADER.fileSize, pack.length - 4)), 'BAD_HEADER', /trailing/);
  const longer = new Uint8Array(pack.length + 16);
  longer.set(pack);
  throwsPack(() => readPack(longer), 'BAD_HEADER', /16 unexpected trailing bytes/);
  throwsPack(() => readPack(withU32(pack, HEADER.fileSize, 10)), 'BAD_HEADER');
});

test('header sizes and offsets that lie', () => {
  const lies: [keyof typeof HEADER, number, RegExp][] = [
    ['metaOffset', 72, /metaOffset is 72/],
    ['metaSize', h.metaSize + 8, /tableOffset/],
    ['metaSize', h.metaSize - 8, /tableOffset/],
    ['metaSize', 0xffffffff, /./],
    ['tableOffset', h.tableOffset + 8, /tableOffset/],
    ['tableSize', h.tableSize + 64, /dataOffset/],
    ['tableSize', 0, /0 bytes/],
    ['tensorCount', 0xffffffff, /4294967295 tensors/],
    ['tensorCount', 1000, /1000 tensors/],
    ['dataOffset', h.dataOffset + 64, /dataOffset/],
    ['dataOffset', h.dataOffset - 64, /dataOffset/],
    ['dataSize', h.dataSize - 1, /fileSize/],
    ['dataSize', h.dataSize + 64, /fileSize/],
  ];
  for (const [f, v, re] of lies) throwsPack(() => readPack(withU32(pack, HEADER[f], v)), 'BAD_HEADER', re);
  throwsPack(() => readPack(withByte(pack, HEADER.reserved + 3, 1)), 'BAD_HEADER', /reserved/);
  throwsPack(() => readPack(withByte(pack, h.metaOffset + h.metaSize, 1)), 'BAD_HEADER', /padding/);
  throwsPack(() => readPack(withByte(pack, h.dataOffset - 1, 1)), 'BAD_HEADER', /padding/);
});

test('a tensor count that disagrees with the table reaches the table check', () => {
  throwsPack(() => readPack(withU32(pack, HEADER.tensorCount, h.tensorCount + 1)), 'BAD_TENSOR_TABLE');
  throwsPack(() => readPack(withU32(pack, HEADER.tensorCount, h.tensorCount - 1)), 'BAD_TENSOR_TABLE');
});

test('tensor offsets: misaligned, overlapping, gapped, out of range', () => {
  const b = rec('conv1.bias', RECORD.dataOffset);
  throwsPack(() => readPack(withU32(pack, b, u32(pack, b) + 4)), 'BAD_TENSOR_TABLE', /not a multiple of 64/);
  throwsPack(() => readPack(withU32(pack, b, u32(pack, b) - 64)), 'BAD_TENSOR_TABLE', /overlaps the previous tensor/);
  throwsPack(() => readPack(withU32(pack, b, u32(pack, b) + 64)), 'BAD_TENSOR_TABLE', /leaves a gap/);
  throwsPack(() => readPack(withU32(pack, b, 0xffffffc0)), 'BAD_TENSOR_TABLE');
  // The last tensor grows consistently with its dims, past the end of the data section.
  const last = entries[entries.length - 1].name;
  const grown = withU32(withU32(pack, rec(last, RECORD.dims), 20), rec(last, RECORD.byteLength), 80);
  throwsPack(() => readPack(grown), 'BAD_TENSOR_TABLE', /runs past the \d+-byte data section/);
  throwsPack(() => readPack(withByte(pack, h.dataOffset + 224 + 1, 7)), 'BAD_TENSOR_TABLE', /padding/);
});

test('byte lengths that do not match the dims, layout or node', () => {
  const w = 'conv1.weight';
  throwsPack(
    () => readPack(withU32(pack, rec(w, RECORD.byteLength), 224 + 1)),
    'INCONSISTENT_SHAPES',
    /needs 224 bytes, the record says 225/,
  );
  throwsPack(() => readPack(withU32(pack, rec(w, RECORD.byteLength), 8 * 27)), 'INCONSISTENT_SHAPES'); // unpacked length
  // Same bytes, other dims: fine for the table, wrong for the node.
  const reshaped = withEntries(pack, (es) => (es.find((e) => e.name === 'conv1.bias')!.dims = [4, 2]));
  throwsPack(() => readPack(reshaped), 'INCONSISTENT_SHAPES', /must have dims \[8\], found \[4, 2\]/);
  const narrow = withEntries(pack, (es, data) => {
    const i = es.findIndex((e) => e.name === w);
    es[i] = { ...es[i], dims: [8, 3, 3, 1], byteLength: 80 };
    data[i] = data[i].subarray(0, 80);
  });
  throwsPack(() => readPack(narrow), 'INCONSISTENT_SHAPES', /conv1\.weight.*must have dims \[8, 3, 3, 3\], found \[8, 3, 3, 1\]/);
  // layer1.0.conv1: N = 8, K = 72, so 'plain' and 'q8c2' have the same length; only the layout code tells.
  throwsPack(
    () => readPack(withByte(pack, rec('layer1.0.conv1.weight', RECORD.layout), 0)),
    'INCONSISTENT_SHAPES',
    /has layout 'plain', but as the weight of node 2 \(conv\) it must be 'q8c2'/,
  );
  throwsPack(() => readPack(withByte(pack, rec('conv1.bias', RECORD.dtype), 5)), 'INCONSISTENT_SHAPES', /must be i32, found f32/);
});

test('bad record fields', () => {
  const r = (f: number) => rec('conv1.bias', f);
  throwsPack(() => readPack(withByte(pack, r(RECORD.dtype), 9)), 'BAD_TENSOR_TABLE', /unknown dtype code 9/);
  throwsPack(() => readPack(withByte(pack, r(RECORD.dtype), 0)), 'BAD_TENSOR_TABLE', /unknown dtype code 0/);
  throwsPack(() => readPack(withByte(pack, r(RECORD.layout), 7)), 'BAD_TENSOR_TABLE', /unknown layout code 7/);
  throwsPack(() => readPack(withByte(pack, r(RECORD.layout), 1)), 'BAD_TENSOR_TABLE', /'q8c2'/);
  throwsPack(() => readPack(withByte(pack, r(RECORD.rank), 7)), 'BAD_TENSOR_TABLE', /rank 7/);
  throwsPack(() => readPack(withByte(pack, r(RECORD.rank), 2)), 'BAD_TENSOR_TABLE', /dims\[1\] is 0/);
  throwsPack(() => readPack(withU32(pack, r(RECORD.dims) + 8, 1)), 'BAD_TENSOR_TABLE', /dims\[2\] is 1/);
  throwsPack(() => readPack(withByte(pack, r(RECORD.reserved0), 1)), 'BAD_TENSOR_TABLE', /reserved/);
  throwsPack(() => readPack(withU32(pack, r(RECORD.reserved1), 1)), 'BAD_TENSOR_TABLE', /reserved/);
  throwsPack(() => readPack(withU32(pack, r(RECORD.nameOffset), 0)), 'BAD_TENSOR_TABLE', /name offset 0, expected 12/);
  throwsPack(() => readPack(withU32(pack, r(RECORD.nameLength), 0)), 'BAD_TENSOR_TABLE');
  throwsPack(() => readPack(withU32(pack, r(RECORD.nameLength), 0xffffffff)), 'BAD_TENSOR_TABLE', /does not fit/);
});

test('names: invalid UTF-8, duplicates, missing tensors', () => {
  const blob = h.tableOffset + h.tensorCount * RECORD_SIZE;
  throwsPack(() => readPack(withByte(pack, blob + 2, 0xff)), 'BAD_TENSOR_TABLE', /not valid UTF-8/);
  throwsPack(() => readPack(withEntries(pack, (es) => (es[1].name = es[0].name))), 'BAD_TENSOR_TABLE', /'conv1\.weight' is used twice/);
  const without = withEntries(pack, (es, data) => {
    const i = es.findIndex((e) => e.name === 'fc.bias');
    es.splice(i, 1);
    data.splice(i, 1);
  });
  throwsPack(() => readPack(without), 'MISSING_TENSOR', /the bias of node 10 \(fc\) is tensor 'fc\.bias', which the model does not hold/);
});

test('weight scales that are not finite and ≥ 0 are rejected', () => {
  const s = h.dataOffset + entries.find((e) => e.name === 'fc.wscale')!.offset;
  for (const bad of [NaN, -1, Infinity]) {
    const c = pack.slice();
    new DataView(c.buffer).setFloat32(s + 8, bad, true);
    stampChecksum(c);
    throwsPack(() => readPack(c), 'BAD_TENSOR_DATA', /scale \[2\]/);
  }
});

test('not a Uint8Array is a TypeError', () => {
  assert.throws(
    () => readPack(pack.buffer as unknown as Uint8Array),
    (e: unknown) => e instanceof TypeError && /expected a Uint8Array, got ArrayBuffer/.test(String(e)),
  );
});

test.run();
