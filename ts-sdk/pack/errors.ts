// The one error type for bad pack files (and for models the writer refuses to write).
// `code` is for programs, the message for people: it says what was expected, what was
// found and, where it helps, what to do. Codes are documented in weights/FORMAT.md.

export type PackErrorCode =
  | 'BAD_MAGIC' // not a pack file at all
  | 'UNSUPPORTED_VERSION' // a pack format this reader does not know
  | 'TRUNCATED' // fewer bytes than the header promises
  | 'BAD_HEADER' // header sizes/offsets that do not describe a valid layout
  | 'CHECKSUM_MISMATCH' // bytes changed after writing
  | 'BAD_TENSOR_TABLE' // tensor records: codes, names, offsets, overlaps
  | 'BAD_METADATA' // JSON section: encoding, syntax, field types and values
  | 'BAD_GRAPH' // activation ids, execution order, producers
  | 'MISSING_TENSOR' // a node names a tensor the pack does not hold
  | 'INCONSISTENT_SHAPES' // shapes, dtypes or byte lengths that do not fit together
  | 'BAD_TENSOR_DATA' // values a kernel cannot use (e.g. a NaN weight scale)
  | 'UNKNOWN_ARCHITECTURE';

export class PackFormatError extends Error {
  override name = 'PackFormatError';
  readonly code: PackErrorCode;

  constructor(code: PackErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** Throws a PackFormatError unless `ok`; keeps the many checks one line each. */
export function check(ok: boolean, code: PackErrorCode, message: () => string): asserts ok {
  if (!ok) throw new PackFormatError(code, message());
}
