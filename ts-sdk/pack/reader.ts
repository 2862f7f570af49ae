// Pack bytes → Model. Every offset, size and shape is checked before use (header.ts, table.ts,
// metadata.ts, validate.ts); nothing is allocated from a size that was not first checked
// against the file's length. Tensor data are views into `bytes`, not copies.
import type { DType, Model, Tensor } from '../model/graph.ts';
import { readHeader } from './header.ts';
import { decodeMetadata } from './metadata.ts';
import { readTable, type TableEntry } from './table.ts';
import { DTYPE_SIZES, HOST_LITTLE_ENDIAN } from './format.ts';
import { PackFormatError } from './errors.ts';
import { validateModel } from './validate.ts';

// ignoreBOM: a BOM stays a character (so JSON.parse rejects it, names compare byte for byte).
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Reads and fully validates a pack. Throws PackFormatError (see weights/FORMAT.md for the
 * codes) for any bad file, TypeError if `bytes` is not a Uint8Array.
 *
 * The returned tensors view `bytes`' buffer wherever alignment allows (always for 1-byte
 * dtypes; for wider ones when `bytes.byteOffset` is a multiple of 4), so do not modify
 * `bytes` while the model is in use.
 */
export function readPack(bytes: Uint8Array): Model {
  if (!(bytes instanceof Uint8Array))
    throw new TypeError(`readPack: expected a Uint8Array, got ${Object.prototype.toString.call(bytes).slice(8, -1)}`);
  const h = readHeader(bytes);
  const entries = readTable(bytes, h);
  let text: string;
  try {
    text = utf8.decode(bytes.subarray(h.metaOffset, h.metaOffset + h.metaSize));
  } catch {
    throw new PackFormatError('BAD_METADATA', `the ${h.metaSize}-byte metadata section is not valid UTF-8`);
  }
  const { graph, extra } = decodeMetadata(text);

  const tensors = new Map<string, Tensor>();
  for (const e of entries) {
    tensors.set(e.name, {
      name: e.name,
      dtype: e.dtype,
      layout: e.layout,
      dims: e.dims,
      data: tensorData(bytes, h.dataOffset + e.offset, e),
    });
  }
  const model: Model = extra === undefined ? { graph, tensors } : { graph, tensors, extra };
  validateModel(model);
  return model;
}

/** A typed view at `start` when the host is little-endian and the address is aligned, else a copy. */
function tensorData(bytes: Uint8Array, start: number, e: TableEntry): Tensor['data'] {
  const size = DTYPE_SIZES[e.dtype];
  const count = e.byteLength / size;
  const aligned = (bytes.byteOffset + start) % size === 0;
  if (HOST_LITTLE_ENDIAN && aligned) return typed(e.dtype, bytes.buffer, bytes.byteOffset + start, count);
  const copy = bytes.slice(start, start + e.byteLength);
  if (!HOST_LITTLE_ENDIAN) for (let i = 0; i < copy.length; i += size) copy.subarray(i, i + size).reverse();
  return typed(e.dtype, copy.buffer, 0, count);
}

function typed(dtype: DType, buffer: ArrayBufferLike, offset: number, count: number): Tensor['data'] {
  switch (dtype) {
    case 'i8':
      return new Int8Array(buffer, offset, count);
    case 'u8':
      return new Uint8Array(buffer, offset, count);
    case 'i16':
      return new Int16Array(buffer, offset, count);
    case 'i32':
      return new Int32Array(buffer, offset, count);
    case 'f32':
      return new Float32Array(buffer, offset, count);
  }
}
