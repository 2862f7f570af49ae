// Byte surgery on packs for the negative tests: patch a field and re-stamp the CRC (so the
// reader gets past the checksum to the check under test), or rebuild a pack around edited
// metadata or table entries.
import * as assert from 'uvu/assert';
import { PackFormatError, type PackErrorCode } from '../../ts-sdk/pack/errors.ts';
import { readHeader, stampChecksum, type Header } from '../../ts-sdk/pack/header.ts';
import { readTable, type TableEntry } from '../../ts-sdk/pack/table.ts';
import { assemblePack } from '../../ts-sdk/pack/writer.ts';

/** Runs `fn`, which must throw a PackFormatError with `code` (and a message matching `re`). */
export function throwsPack(fn: () => unknown, code: PackErrorCode, re?: RegExp): PackFormatError {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  if (!(err instanceof PackFormatError))
    return assert.unreachable(`expected PackFormatError ${code}, got ${err === undefined ? 'no error' : String(err)}`) as never;
  assert.is(err.code, code, `expected ${code}, got ${err.code}: ${err.message}`);
  if (re) assert.match(err.message, re);
  return err;
}

export const u32 = (b: Uint8Array, at: number): number => new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(at, true);

/** A copy of `b` with the u32 at `at` set to `value`, checksum re-stamped unless `restamp` is false. */
export function withU32(b: Uint8Array, at: number, value: number, restamp = true): Uint8Array {
  const c = b.slice();
  new DataView(c.buffer).setUint32(at, value >>> 0, true);
  if (restamp) stampChecksum(c);
  return c;
}

export function withByte(b: Uint8Array, at: number, value: number, restamp = true): Uint8Array {
  const c = b.slice();
  c[at] = value;
  if (restamp) stampChecksum(c);
  return c;
}

export interface Parts {
  header: Header;
  meta: string;
  entries: TableEntry[];
  data: Uint8Array[];
}

/** Splits a valid pack into what assemblePack takes. */
export function parts(b: Uint8Array): Parts {
  const header = readHeader(b);
  const entries = readTable(b, header);
  const meta = new TextDecoder().decode(b.subarray(header.metaOffset, header.metaOffset + header.metaSize));
  const data = entries.map((e) => b.slice(header.dataOffset + e.offset, header.dataOffset + e.offset + e.byteLength));
  return { header, meta, entries, data };
}

/** Rebuilds a valid pack after `edit` changes its parsed metadata document. */
// biome-ignore lint/suspicious/noExplicitAny: tests write fields of the wrong type into the document on purpose
export function withMeta(b: Uint8Array, edit: (doc: any) => void): Uint8Array {
  const p = parts(b);
  const doc = JSON.parse(p.meta);
  edit(doc);
  return assemblePack(JSON.stringify(doc), p.entries, p.data);
}

/** Rebuilds a valid pack after `edit` changes its table entries and data (offsets are re-placed). */
export function withEntries(b: Uint8Array, edit: (entries: TableEntry[], data: Uint8Array[]) => void): Uint8Array {
  const p = parts(b);
  edit(p.entries, p.data);
  return assemblePack(p.meta, p.entries, p.data);
}
