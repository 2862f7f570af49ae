// The pack's binary constants in one place: magic, version, header and record layouts,
// dtype and layout codes, and the byte length each (dtype, layout, dims) must have.
// weights/FORMAT.md is the spec; this file mirrors it field for field.
import type { DType, Layout } from '../model/graph.ts';
import { packedF32Length, packedQ8Length } from '../kernels/packing.ts';

/** 0x89 'E' 'R' 'N' 'P' 'K' CR LF: the high byte and the CR LF catch 7-bit and text-mode mangling. */
export const MAGIC: readonly number[] = [0x89, 0x45, 0x52, 0x4e, 0x50, 0x4b, 0x0d, 0x0a];
/** Bumped only for structural (binary layout) changes; see FORMAT.md, "Versioning". */
export const FORMAT_VERSION = 1;

export const HEADER_SIZE = 64;
/** Byte offsets of the header's u32 fields (after the 8-byte magic); bytes 44..63 are reserved zeros. */
export const HEADER = {
  version: 8,
  fileSize: 12,
  metaOffset: 16,
  metaSize: 20,
  tableOffset: 24,
  tableSize: 28,
  tensorCount: 32,
  dataOffset: 36,
  dataSize: 40,
  reserved: 44,
} as const;

export const TABLE_ALIGN = 8;
/** Every tensor starts at a multiple of 64 from the data section, itself 64-aligned: cache lines and any v128 load. */
export const DATA_ALIGN = 64;
export const CRC_SIZE = 4;

/** One fixed-size tensor record; the names follow the records as one UTF-8 blob. */
export const RECORD_SIZE = 48;
export const RECORD = {
  nameOffset: 0,
  nameLength: 4,
  dtype: 8,
  layout: 9,
  rank: 10,
  reserved0: 11,
  dims: 12,
  dataOffset: 36,
  byteLength: 40,
  reserved1: 44,
} as const;
export const MAX_RANK = 6;

export const DTYPE_CODES: Readonly<Record<DType, number>> = { i8: 1, u8: 2, i16: 3, i32: 4, f32: 5 };
export const DTYPE_SIZES: Readonly<Record<DType, number>> = { i8: 1, u8: 1, i16: 2, i32: 4, f32: 4 };
export const DTYPE_BY_CODE: readonly (DType | undefined)[] = [undefined, 'i8', 'u8', 'i16', 'i32', 'f32'];

export type { Layout };
export const LAYOUT_CODES: Readonly<Record<Layout, number>> = { plain: 0, q8c2: 1, f32n8: 2 };
export const LAYOUT_BY_CODE: readonly (Layout | undefined)[] = ['plain', 'q8c2', 'f32n8'];

/** The typed array each dtype is read into, by its `Symbol.toStringTag` (works across realms). */
export const DTYPE_ARRAY_TAGS: Readonly<Record<DType, string>> = {
  i8: 'Int8Array',
  u8: 'Uint8Array',
  i16: 'Int16Array',
  i32: 'Int32Array',
  f32: 'Float32Array',
};

/** Typed arrays use the host's byte order; the pack is little-endian. */
export const HOST_LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

export const alignUp = (x: number, m: number): number => Math.ceil(x / m) * m;

/** Why (dtype, layout, rank) cannot go together, or undefined when they can. */
export function layoutProblem(dtype: DType, layout: Layout, rank: number): string | undefined {
  if (layout === 'plain') return undefined;
  if (rank < 2) return `layout '${layout}' needs dims [N, ...K] (rank ≥ 2), got rank ${rank}`;
  if (layout === 'q8c2' && dtype !== 'i8') return `layout 'q8c2' holds i8 weights, got dtype ${dtype}`;
  if (layout === 'f32n8' && dtype !== 'f32') return `layout 'f32n8' holds f32 weights, got dtype ${dtype}`;
  return undefined;
}

/**
 * Exact byte length of a tensor. `dims` are logical ([N, ...] with K the product of the rest for
 * the packed layouts); the packed layouts pad N to 8 (and K to 2 for q8c2). Assumes layoutProblem
 * returned undefined. Products of u32 dims stay exact or overshoot anything a file can hold.
 */
export function byteLengthOf(dtype: DType, layout: Layout, dims: readonly number[]): number {
  let k = 1;
  for (let i = 1; i < dims.length; i++) k *= dims[i];
  if (layout === 'q8c2') return packedQ8Length(dims[0], k);
  if (layout === 'f32n8') return 4 * packedF32Length(dims[0], k);
  return (dims.length ? dims[0] : 1) * k * DTYPE_SIZES[dtype];
}
