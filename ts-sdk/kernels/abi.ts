// The kernels' ABI, as data: every export of the kernel builds, the params block each kernel
// reads, and how its work splits. One source for three consumers: the TypeScript side writes
// params blocks from it, scripts/gen-kernel-params.ts generates assembly/params.ts (the same
// blocks as AssemblyScript classes) from it, and tests/kernels/abi.test.ts checks it against
// every build's real exports and signatures. Names follow assembly/NAMING.md.
//
// Every kernel has one signature, `(params, begin, end, local) → void`: `params` points to its
// params block (32-bit fields, in the order listed below); the kernel does work units
// [begin, end) of `units(params)` (what a unit is: below, per block), writing outputs no other
// unit writes and never splitting a reduction, so any partition of the units — one thread or
// many — gives the same bits; `local` is thread-private scratch of `localBytes(params)` bytes
// (0 for most kernels).

declare const pointer: unique symbol;
/** A byte offset into the kernels' memory. Made only by code that places buffers (asPtr). */
export type Ptr = number & { readonly [pointer]: true };
declare const paramsOf: unique symbol;
/** A pointer to a written params block of kind K (writeParams). */
export type ParamsPtr<K extends ParamsKind = ParamsKind> = Ptr & { readonly [paramsOf]: K };

/** Marks a byte offset as a pointer: for the arena and test harnesses, which own the layout. */
export const asPtr = (offset: number): Ptr => offset as Ptr;

type FieldType = 'i32' | 'f32' | 'ptr';

const cdiv = (a: number, b: number): number => Math.ceil(a / b);

/**
 * The params blocks. Field order is the memory layout (4 bytes each, 4-byte aligned); sizes
 * are element counts, strides bytes. What one work unit is, and the thread-private scratch a
 * call needs, are in UNITS and LOCAL_BYTES below.
 */
export const PARAMS = {
  /** u8 NHWC → i16 4c2 GEMM operand. Unit: a group of 4 output rows (MR). */
  qu8_im2col: {
    x: 'ptr',
    H: 'i32',
    W: 'i32',
    C: 'i32',
    zx: 'i32',
    KH: 'i32',
    KW: 'i32',
    stride: 'i32',
    padT: 'i32',
    padL: 'i32',
    OH: 'i32',
    OW: 'i32',
    Kp: 'i32',
    a: 'ptr',
  },
  /** int8 GEMM, u8 out. Unit: one iteration of the outer loop — a block of 8 output channels (NR) when those outnumber the groups of 4 rows (MR), else a row group. */
  qu8_gemm: {
    M: 'i32',
    N: 'i32',
    Kp: 'i32',
    a: 'ptr',
    w: 'ptr',
    bias: 'ptr',
    mult: 'ptr',
    y: 'ptr',
    yStride: 'i32',
    zy: 'i32',
    qmin: 'i32',
    qmax: 'i32',
    residual: 'ptr',
    zr: 'i32',
    residualMult: 'f32',
  },
  /** int8 FC head, f32 out. Unit: a block of 8 outputs (NR). */
  qu8_gemv: { N: 'i32', Kp: 'i32', a: 'ptr', w: 'ptr', bias: 'ptr', scale: 'ptr', y: 'ptr' },
  /** Winograd F(2×2, 3×3) input transform. Unit: a group of 4 tiles. */
  qu8_winograd_input: { x: 'ptr', H: 'i32', W: 'i32', C: 'i32', zx: 'i32', Cp: 'i32', v: 'ptr' },
  /** Winograd weight transform of one block of 8 output channels. Unit: a pair of input channels. */
  qc8w_winograd_weights: { w: 'ptr', C: 'i32', u: 'ptr' },
  /** Winograd F(2×2, 3×3) convolution. Unit: a block of 8 output channels; local: U' of one block, then 16×4×8 i32 accumulators. */
  qu8_winograd_conv: {
    H: 'i32',
    W: 'i32',
    N: 'i32',
    Cp: 'i32',
    v: 'ptr',
    w: 'ptr',
    bias: 'ptr',
    mult: 'ptr',
    y: 'ptr',
    zy: 'i32',
    qmin: 'i32',
    qmax: 'i32',
    residual: 'ptr',
    zr: 'i32',
    residualMult: 'f32',
  },
  /** Residual add of two u8 tensors. Unit: 16 elements. */
  qu8_vadd: { n: 'i32', a: 'ptr', za: 'i32', ma: 'f32', b: 'ptr', zb: 'i32', mb: 'f32', y: 'ptr', zy: 'i32', qmin: 'i32', qmax: 'i32' },
  /** Max pool over NHWC (u8 or f32). Unit: an output row. */
  maxpool: { x: 'ptr', H: 'i32', W: 'i32', C: 'i32', K: 'i32', stride: 'i32', pad: 'i32', OH: 'i32', OW: 'i32', y: 'ptr' },
  /** Global average pool, u8. Unit: 16 channels. */
  qu8_gavgpool: { x: 'ptr', HW: 'i32', C: 'i32', zx: 'i32', mult: 'f32', zy: 'i32', y: 'ptr' },
  /** Option-A shortcut: subsample, the input's channels at c0…c0+C−1, the others `fill` (u8 code, or f32 bits). Unit: an output row. */
  pad_shortcut: {
    x: 'ptr',
    H: 'i32',
    W: 'i32',
    C: 'i32',
    stride: 'i32',
    OH: 'i32',
    OW: 'i32',
    Cout: 'i32',
    c0: 'i32',
    fill: 'i32',
    y: 'ptr',
  },
  /** Network input NCHW f32 → NHWC u8. Unit: a pixel. */
  f32_qu8_quantize: { x: 'ptr', C: 'i32', HW: 'i32', inv: 'f32', z: 'i32', y: 'ptr' },
  /** NCHW → NHWC of 32-bit elements. Unit: a pixel. */
  nchw_to_nhwc: { x: 'ptr', C: 'i32', HW: 'i32', y: 'ptr' },
  /** f32 NHWC → im2col rows. Unit: an output row of the GEMM (one output pixel). */
  f32_im2col: {
    x: 'ptr',
    H: 'i32',
    W: 'i32',
    C: 'i32',
    KH: 'i32',
    KW: 'i32',
    stride: 'i32',
    padT: 'i32',
    padL: 'i32',
    OH: 'i32',
    OW: 'i32',
    a: 'ptr',
  },
  /** f32 GEMM. Unit: a group of 4 rows (MR). */
  f32_gemm: {
    M: 'i32',
    N: 'i32',
    K: 'i32',
    a: 'ptr',
    aStride: 'i32',
    w: 'ptr',
    bias: 'ptr',
    y: 'ptr',
    yStride: 'i32',
    lo: 'f32',
    hi: 'f32',
  },
  /** f32 add with clamp. Unit: 16 elements. */
  f32_vadd: { n: 'i32', a: 'ptr', b: 'ptr', y: 'ptr', lo: 'f32', hi: 'f32' },
  /** f32 global average pool. Unit: 4 channels. */
  f32_gavgpool: { x: 'ptr', HW: 'i32', C: 'i32', inv: 'f32', y: 'ptr' },
} as const satisfies Record<string, Record<string, FieldType>>;

export type ParamsKind = keyof typeof PARAMS;
/** A params block's values by name: pointers as Ptr, the rest as numbers. */
export type Fields<K extends ParamsKind> = { readonly [F in keyof (typeof PARAMS)[K]]: (typeof PARAMS)[K][F] extends 'ptr' ? Ptr : number };
/** Any params block's values (what the layout code handles without knowing the kind statically). */
export type FieldValues = { readonly [name: string]: number };

/** How many work units a call has (each kernel's loops over [begin, end) of them). */
const UNITS: { readonly [K in ParamsKind]: (p: Fields<K>) => number } = {
  qu8_im2col: (p) => cdiv(p.OH * p.OW, 4),
  qu8_gemm: (p) => Math.max(cdiv(p.N, 8), cdiv(p.M, 4)),
  qu8_gemv: (p) => cdiv(p.N, 8),
  qu8_winograd_input: (p) => cdiv(cdiv(p.H, 2) * cdiv(p.W, 2), 4),
  qc8w_winograd_weights: (p) => p.C >> 1,
  qu8_winograd_conv: (p) => cdiv(p.N, 8),
  qu8_vadd: (p) => cdiv(p.n, 16),
  maxpool: (p) => p.OH,
  qu8_gavgpool: (p) => cdiv(p.C, 16),
  pad_shortcut: (p) => p.OH,
  f32_qu8_quantize: (p) => p.HW,
  nchw_to_nhwc: (p) => p.HW,
  f32_im2col: (p) => p.OH * p.OW,
  f32_gemm: (p) => cdiv(p.M, 4),
  f32_vadd: (p) => cdiv(p.n, 16),
  f32_gavgpool: (p) => cdiv(p.C, 4),
};

/** Thread-private scratch bytes, for the kernels that need any. */
const LOCAL_BYTES: { readonly [K in ParamsKind]?: (p: Fields<K>) => number } = {
  qu8_winograd_conv: (p) => winogradLocalBytes(p.Cp),
};

/** Thread-private scratch of the Winograd convolution: U' (16·Cp·16 bytes), then the 2 KiB of accumulators, 64-byte aligned. */
export function winogradLocalBytes(Cp: number): number {
  return Math.ceil((16 * Cp * 16) / 64) * 64 + 2048;
}

const ALL = ['simd', 'relaxed'] as const;
const RELAXED = ['relaxed'] as const;

/** Every kernel export: its params block and the builds that have it. */
export const KERNELS = {
  qu8_im2col_4c2__ref: { params: 'qu8_im2col', builds: ALL },
  qu8_im2col_4c2__simd: { params: 'qu8_im2col', builds: ALL },
  qu8_qc8w_gemm_minmax_4x8c2__ref: { params: 'qu8_gemm', builds: ALL },
  qu8_qc8w_gemm_minmax_4x8c2__simd: { params: 'qu8_gemm', builds: ALL },
  qu8_qc8w_gemv_f32_8c2__ref: { params: 'qu8_gemv', builds: ALL },
  qu8_qc8w_gemv_f32_8c2__simd: { params: 'qu8_gemv', builds: ALL },
  qu8_winograd_input_f2x2_3x3__ref: { params: 'qu8_winograd_input', builds: ALL },
  qu8_winograd_input_f2x2_3x3__simd: { params: 'qu8_winograd_input', builds: ALL },
  qc8w_winograd_weights_f2x2_3x3__ref: { params: 'qc8w_winograd_weights', builds: ALL },
  qc8w_winograd_weights_f2x2_3x3__simd: { params: 'qc8w_winograd_weights', builds: ALL },
  qu8_qc8w_winograd_conv_f2x2_3x3_minmax_4x8c2__ref: { params: 'qu8_winograd_conv', builds: ALL },
  qu8_qc8w_winograd_conv_f2x2_3x3_minmax_4x8c2__simd: { params: 'qu8_winograd_conv', builds: ALL },
  qu8_vadd_minmax__ref: { params: 'qu8_vadd', builds: ALL },
  qu8_vadd_minmax__simd: { params: 'qu8_vadd', builds: ALL },
  u8_maxpool__ref: { params: 'maxpool', builds: ALL },
  u8_maxpool__simd: { params: 'maxpool', builds: ALL },
  qu8_gavgpool__ref: { params: 'qu8_gavgpool', builds: ALL },
  qu8_gavgpool__simd: { params: 'qu8_gavgpool', builds: ALL },
  x8_pad_shortcut__scalar: { params: 'pad_shortcut', builds: ALL },
  x32_pad_shortcut__scalar: { params: 'pad_shortcut', builds: ALL },
  f32_qu8_quantize_nchw__scalar: { params: 'f32_qu8_quantize', builds: ALL },
  x32_nchw_to_nhwc__scalar: { params: 'nchw_to_nhwc', builds: ALL },
  f32_im2col__ref: { params: 'f32_im2col', builds: ALL },
  f32_im2col__simd: { params: 'f32_im2col', builds: ALL },
  f32_gemm_minmax_4x8__ref: { params: 'f32_gemm', builds: ALL },
  f32_gemm_minmax_4x8__simd: { params: 'f32_gemm', builds: ALL },
  f32_gemm_minmax_4x8__relaxed: { params: 'f32_gemm', builds: RELAXED },
  f32_vadd_minmax__ref: { params: 'f32_vadd', builds: ALL },
  f32_vadd_minmax__simd: { params: 'f32_vadd', builds: ALL },
  f32_maxpool__ref: { params: 'maxpool', builds: ALL },
  f32_maxpool__simd: { params: 'maxpool', builds: ALL },
  f32_gavgpool__ref: { params: 'f32_gavgpool', builds: ALL },
  f32_gavgpool__simd: { params: 'f32_gavgpool', builds: ALL },
} as const satisfies Record<string, { params: ParamsKind; builds: readonly ('simd' | 'relaxed')[] }>;

export type KernelName = keyof typeof KERNELS;
export type ParamsOfKernel<N extends KernelName> = (typeof KERNELS)[N]['params'];
/** The one kernel signature: do units [begin, end) of the block at `params`, with `local` as private scratch. */
export type KernelFn<K extends ParamsKind = ParamsKind> = (params: ParamsPtr<K>, begin: number, end: number, local: Ptr) => void;
export type Build = 'simd' | 'relaxed';

/** Exports of the kernel builds besides the kernels. */
export const OTHER_EXPORTS = { heapBase: 'first byte the arena may use (64-aligned end of the static data)' } as const;

/** Kernels only some builds have (today the relaxed-SIMD fp32 GEMM). */
type BuildSpecific = { [N in KernelName]: (typeof KERNELS)[N]['builds'] extends typeof ALL ? never : N }[KernelName];
export type KernelExports = { readonly [N in Exclude<KernelName, BuildSpecific>]: KernelFn<ParamsOfKernel<N>> } & {
  readonly [N in BuildSpecific]?: KernelFn<ParamsOfKernel<N>>;
} & { heapBase(): Ptr };

export function kernelsOf(build: Build): KernelName[] {
  return (Object.keys(KERNELS) as KernelName[]).filter((n) => (KERNELS[n].builds as readonly Build[]).includes(build));
}

/** Bytes of a params block of this kind. */
export function paramsBytes(kind: ParamsKind): number {
  return 4 * Object.keys(PARAMS[kind]).length;
}

/** Writes a params block at `at` (paramsBytes(kind) bytes) and returns its typed pointer. */
export function writeParams<K extends ParamsKind>(
  memory: ArrayBuffer | SharedArrayBuffer,
  at: Ptr,
  kind: K,
  values: FieldValues,
): ParamsPtr<K> {
  const spec: Readonly<Record<string, FieldType>> = PARAMS[kind];
  const names = Object.keys(spec);
  const i32 = new Int32Array(memory, at, names.length),
    f32 = new Float32Array(memory, at, names.length);
  names.forEach((name, i) => {
    const x = values[name];
    if (typeof x !== 'number' || (spec[name] !== 'f32' && !Number.isInteger(x)))
      throw new TypeError(`${kind}.${name}: expected ${spec[name] === 'f32' ? 'a number' : 'an integer'}, got ${String(x)}`);
    if (spec[name] === 'f32') f32[i] = x;
    else i32[i] = x;
  });
  return at as ParamsPtr<K>;
}

// The per-kind functions of UNITS and LOCAL_BYTES read only their kind's fields (PARAMS), which
// `values` holds for a block of that kind: the casts below widen their parameter, nothing more.

/** Work units of a call (see UNITS). */
export function unitsOf(kind: ParamsKind, values: FieldValues): number {
  return (UNITS[kind] as (p: FieldValues) => number)(values);
}

/** Thread-private scratch bytes a call needs. */
export function localBytesOf(kind: ParamsKind, values: FieldValues): number {
  const local = LOCAL_BYTES[kind] as ((p: FieldValues) => number) | undefined;
  return local ? local(values) : 0;
}

/** Bytes a kernel may read or write past a buffer's end (im2col spill, 8-byte tail loads). */
export const SLACK = 128;

/**
 * Instantiates a compiled kernel build over the caller's memory (plain, or shared for
 * threads), checking that it exports every kernel its build should as a function.
 */
export async function instantiateKernels(module: WebAssembly.Module, memory: WebAssembly.Memory): Promise<KernelExports> {
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  return kernelExports(instance.exports);
}

/** The typed view of an instance's exports; throws naming any kernel that is missing. */
export function kernelExports(exports: WebAssembly.Exports): KernelExports {
  const fn = (name: string) => {
    const f = exports[name];
    if (typeof f !== 'function')
      throw new TypeError(`edge-resnet: the kernel module has no function export '${name}'; it is not a build of this version's kernels`);
    return f;
  };
  const out: Record<string, unknown> = { heapBase: fn('heapBase') };
  const build: Build = typeof exports.f32_gemm_minmax_4x8__relaxed === 'function' ? 'relaxed' : 'simd';
  for (const name of kernelsOf(build)) out[name] = fn(name);
  return out as KernelExports;
}
