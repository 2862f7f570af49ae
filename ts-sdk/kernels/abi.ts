// The kernels' pointer ABI as TypeScript sees it (assembly/index.ts, assembly/index-relaxed.ts).
// Pointers and sizes are byte offsets into the one imported memory; see each kernel's
// memory contract in assembly/.

type Ptr = number;

export interface KernelExports {
  heapBase(): Ptr;

  qu8_im2col_4c2__ref(x: Ptr, H: number, W: number, C: number, zx: number, KH: number, KW: number,
    stride: number, padT: number, padL: number, OH: number, OW: number, Kp: number, a: Ptr): void;
  qu8_im2col_4c2__simd: KernelExports['qu8_im2col_4c2__ref'];

  qu8_qc8w_gemm_minmax__ref(M: number, N: number, Kp: number, a: Ptr, w: Ptr,
    bias: Ptr, mult: Ptr, zy: number, qmin: number, qmax: number, y: Ptr, yStride: number,
    resid: Ptr, zr: number, mr: number): void;
  qu8_qc8w_gemm_minmax_4x8c2__simd: KernelExports['qu8_qc8w_gemm_minmax__ref'];

  qu8_winograd_input_f2x2_3x3__ref(x: Ptr, H: number, W: number, C: number, zx: number, Cp: number, v: Ptr): void;
  qu8_winograd_input_f2x2_3x3__simd: KernelExports['qu8_winograd_input_f2x2_3x3__ref'];
  qc8w_winograd_weights_f2x2_3x3__ref(w: Ptr, C: number, u: Ptr): void;
  qc8w_winograd_weights_f2x2_3x3__simd: KernelExports['qc8w_winograd_weights_f2x2_3x3__ref'];
  qu8_qc8w_winograd_conv_f2x2_3x3_minmax__ref(H: number, W: number, N: number, Cp: number, v: Ptr, w: Ptr,
    bias: Ptr, mult: Ptr, zy: number, qmin: number, qmax: number, y: Ptr, u: Ptr, acc: Ptr,
    resid: Ptr, zr: number, mr: number): void;
  qu8_qc8w_winograd_conv_f2x2_3x3_minmax_4x8c2__simd: KernelExports['qu8_qc8w_winograd_conv_f2x2_3x3_minmax__ref'];

  qu8_qc8w_gemv_f32__ref(N: number, Kp: number, a: Ptr, w: Ptr, bias: Ptr, scale: Ptr, y: Ptr): void;
  qu8_qc8w_gemv_f32_8c2__simd: KernelExports['qu8_qc8w_gemv_f32__ref'];

  qu8_vadd_minmax__ref(n: number, a: Ptr, za: number, ma: number, b: Ptr, zb: number, mb: number,
    zy: number, qmin: number, qmax: number, y: Ptr): void;
  qu8_vadd_minmax__simd: KernelExports['qu8_vadd_minmax__ref'];

  u8_maxpool__ref(x: Ptr, H: number, W: number, C: number, K: number, stride: number, pad: number,
    OH: number, OW: number, y: Ptr): void;
  u8_maxpool__simd: KernelExports['u8_maxpool__ref'];

  qu8_gavgpool__ref(x: Ptr, HW: number, C: number, zx: number, m: number, zy: number, y: Ptr): void;
  qu8_gavgpool__simd: KernelExports['qu8_gavgpool__ref'];

  x8_pad_shortcut(x: Ptr, H: number, W: number, C: number, stride: number, OH: number, OW: number,
    Cout: number, c0: number, fill: number, y: Ptr): void;
  x32_pad_shortcut(x: Ptr, H: number, W: number, C: number, stride: number, OH: number, OW: number,
    Cout: number, c0: number, y: Ptr): void;

  f32_qu8_quantize_nchw(x: Ptr, C: number, HW: number, inv: number, z: number, y: Ptr): void;
  f32_nchw_to_nhwc(x: Ptr, C: number, HW: number, y: Ptr): void;

  f32_im2col__ref(x: Ptr, H: number, W: number, C: number, KH: number, KW: number, stride: number,
    padT: number, padL: number, OH: number, OW: number, a: Ptr): void;
  f32_im2col__simd: KernelExports['f32_im2col__ref'];

  f32_gemm_minmax__ref(M: number, N: number, K: number, a: Ptr, aStride: number, w: Ptr, bias: Ptr,
    lo: number, hi: number, y: Ptr, yStride: number): void;
  f32_gemm_minmax_4x8__simd: KernelExports['f32_gemm_minmax__ref'];
  /** Only in kernels-relaxed.wasm. */
  f32_gemm_minmax_4x8__relaxed?: KernelExports['f32_gemm_minmax__ref'];

  f32_vadd_minmax__ref(n: number, a: Ptr, b: Ptr, lo: number, hi: number, y: Ptr): void;
  f32_vadd_minmax__simd: KernelExports['f32_vadd_minmax__ref'];
  f32_maxpool__ref: KernelExports['u8_maxpool__ref'];
  f32_maxpool__simd: KernelExports['u8_maxpool__ref'];
  f32_gavgpool__ref(x: Ptr, HW: number, C: number, inv: number, y: Ptr): void;
  f32_gavgpool__simd: KernelExports['f32_gavgpool__ref'];
}

/** Bytes a kernel may read or write past a buffer's end (im2col spill, 8-byte tail loads). */
export const SLACK = 128;

/** Instantiates a compiled kernel module over the caller's memory. */
export async function instantiateKernels(module: WebAssembly.Module, memory: WebAssembly.Memory): Promise<KernelExports> {
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  return instance.exports as unknown as KernelExports;
}
