// WebAssembly feature detection, once per process: which kernel build this engine can run.

export type SimdLevel = 'simd' | 'relaxed';

// (module (func (result v128) (i8x16.splat (i32.const 0))))
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 8, 1, 6, 0, 65, 0, 253, 15, 11]);
// (module (func (result v128) (i8x16.relaxed_swizzle (i8x16.splat (i32.const 0)) (i8x16.splat (i32.const 0)))))
const RELAXED_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 15, 1, 13, 0, 65, 0, 253, 15, 65, 0, 253, 15, 253, 128, 2, 11,
]);

export interface WasmFeatures {
  webAssembly: boolean;
  simd: boolean;
  relaxedSimd: boolean;
}

let cached: WasmFeatures | undefined;

export function detectFeatures(): WasmFeatures {
  if (cached) return cached;
  const wa = typeof WebAssembly === 'object' && typeof WebAssembly.validate === 'function';
  const ok = (bytes: Uint8Array<ArrayBuffer>) => {
    try {
      return wa && WebAssembly.validate(bytes);
    } catch {
      return false;
    }
  };
  cached = { webAssembly: wa, simd: ok(SIMD_PROBE), relaxedSimd: ok(RELAXED_PROBE) };
  return cached;
}

/** Thrown when the runtime lacks what edge-resnet needs (WebAssembly SIMD, createImageBitmap for a Blob); names the missing feature. */
export class RuntimeFeatureError extends Error {
  override name = 'RuntimeFeatureError';
  constructor(
    readonly feature: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Picks the kernel build: the caller's choice if given (checked), else relaxed SIMD where the
 * engine has it, else baseline SIMD. int8 results are identical in both builds.
 */
export function chooseSimdLevel(forced?: SimdLevel): SimdLevel {
  const f = detectFeatures();
  if (!f.webAssembly) throw new RuntimeFeatureError('WebAssembly', 'edge-resnet needs WebAssembly, which this runtime does not provide.');
  if (!f.simd) {
    throw new RuntimeFeatureError(
      'wasm-simd',
      'edge-resnet needs WebAssembly SIMD (128-bit), which this runtime does not support (Chrome ≥ 91, Firefox ≥ 89, Safari ≥ 16.4, Node ≥ 16.4, Deno, Bun and workerd have it).',
    );
  }
  if (forced === 'relaxed' && !f.relaxedSimd) {
    throw new RuntimeFeatureError(
      'wasm-relaxed-simd',
      "options.simd is 'relaxed' but this runtime does not support WebAssembly relaxed SIMD (Node 20 needs --experimental-wasm-relaxed-simd); use simd: 'simd' or leave it unset.",
    );
  }
  if (forced) return forced;
  return f.relaxedSimd ? 'relaxed' : 'simd';
}
