// Model → pack bytes. Validates first (the same checks the reader runs), so every pack this
// writes loads, and lays the sections out in the one arrangement version 1 allows.
import type { Model, Tensor } from '../model/graph.ts';
import { writeHeader, layoutSections, stampChecksum } from './header.ts';
import { encodeMetadata } from './metadata.ts';
import { placeTensors, writeTable, type TableEntry } from './table.ts';
import { DTYPE_SIZES, HOST_LITTLE_ENDIAN, RECORD_SIZE } from './format.ts';
import { validateModel } from './validate.ts';

/**
 * Serializes a model whose weights are already packed (toInt8 / toFp32, or packQ8Weights /
 * packF32Weights with the matching `layout`).
 * Tensors are written in the map's order, so reading gives the same order back.
 * Throws PackFormatError (same codes as readPack) if the model is invalid, TypeError if
 * `extra` is not JSON-serializable, RangeError if the pack would exceed 4 GiB.
 */
export function writePack(model: Model): Uint8Array {
  validateModel(model);
  const tensors = [...model.tensors.values()];
  const entries = tensors.map((t) => ({
    name: t.name,
    dtype: t.dtype,
    layout: t.layout,
    dims: [...t.dims],
    offset: 0,
    byteLength: t.data.byteLength,
  }));
  return assemblePack(encodeMetadata(model.graph, model.extra), entries, tensors.map(littleEndianBytes));
}

/**
 * Lays out metadata, table and data, fills in offsets and stamps the checksum. No semantic
 * checks: tests use it to build packs the reader must reject.
 */
export function assemblePack(meta: string, tensors: readonly TableEntry[], data: Uint8Array[]): Uint8Array {
  const entries = tensors.map((e) => ({ ...e })); // placeTensors fills in offsets; leave the caller's alone
  const enc = new TextEncoder();
  const metaBytes = enc.encode(meta);
  const names = entries.map((e) => enc.encode(e.name));
  const tableSize = entries.length * RECORD_SIZE + names.reduce((s, b) => s + b.length, 0);
  const dataSize = placeTensors(entries);
  const h = layoutSections(metaBytes.length, tableSize, entries.length, dataSize);
  if (h.fileSize > 0xffffffff) throw new RangeError(`writePack: the pack would be ${h.fileSize} bytes; the format holds at most 4 GiB`);

  const bytes = new Uint8Array(h.fileSize); // zeroed, so every padding byte is 0 as the format requires
  writeHeader(bytes, h);
  bytes.set(metaBytes, h.metaOffset);
  writeTable(bytes, h.tableOffset, entries, names);
  entries.forEach((e, i) => bytes.set(data[i], h.dataOffset + e.offset));
  stampChecksum(bytes);
  return bytes;
}

/** The tensor's bytes in the pack's byte order (a view on little-endian hosts, a swapped copy otherwise). */
function littleEndianBytes(t: Tensor): Uint8Array {
  const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  const size = DTYPE_SIZES[t.dtype];
  if (HOST_LITTLE_ENDIAN || size === 1) return bytes;
  const out = bytes.slice();
  for (let i = 0; i < out.length; i += size) out.subarray(i, i + size).reverse();
  return out;
}
