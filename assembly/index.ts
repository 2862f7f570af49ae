// Entry of kernels-simd.wasm: every kernel (assembly/NAMING.md), each SIMD one with its scalar
// __ref twin. ts-sdk/kernels/abi.ts lists the same exports with their params blocks; a test
// holds the two together. The TypeScript side owns all memory: it places buffers from
// heapBase() upward.
export { qu8_im2col_4c2__ref } from './im2col/qu8-im2col-4c2-ref';
export { qu8_im2col_4c2__simd } from './im2col/qu8-im2col-4c2-simd';
export { qu8_qc8w_gemm_minmax_4x8c2__ref } from './gemm/qu8-qc8w-gemm-minmax-4x8c2-ref';
export { qu8_qc8w_gemm_minmax_4x8c2__simd } from './gemm/qu8-qc8w-gemm-minmax-4x8c2-simd';
export { qu8_qc8w_gemv_f32_8c2__ref } from './gemv/qu8-qc8w-gemv-f32-8c2-ref';
export { qu8_qc8w_gemv_f32_8c2__simd } from './gemv/qu8-qc8w-gemv-f32-8c2-simd';
export { qu8_winograd_input_f2x2_3x3__ref } from './winograd/qu8-winograd-input-f2x2-3x3-ref';
export { qu8_winograd_input_f2x2_3x3__simd } from './winograd/qu8-winograd-input-f2x2-3x3-simd';
export { qc8w_winograd_weights_f2x2_3x3__ref } from './winograd/qc8w-winograd-weights-f2x2-3x3-ref';
export { qc8w_winograd_weights_f2x2_3x3__simd } from './winograd/qc8w-winograd-weights-f2x2-3x3-simd';
export { qu8_qc8w_winograd_conv_f2x2_3x3_minmax_4x8c2__ref } from './winograd/qu8-qc8w-winograd-conv-f2x2-3x3-minmax-4x8c2-ref';
export { qu8_qc8w_winograd_conv_f2x2_3x3_minmax_4x8c2__simd } from './winograd/qu8-qc8w-winograd-conv-f2x2-3x3-minmax-4x8c2-simd';
export { qu8_vadd_minmax__ref } from './vadd/qu8-vadd-minmax-ref';
export { qu8_vadd_minmax__simd } from './vadd/qu8-vadd-minmax-simd';
export { u8_maxpool__ref } from './pool/u8-maxpool-ref';
export { u8_maxpool__simd } from './pool/u8-maxpool-simd';
export { qu8_gavgpool__ref } from './pool/qu8-gavgpool-ref';
export { qu8_gavgpool__simd } from './pool/qu8-gavgpool-simd';
export { x8_pad_shortcut__scalar } from './shortcut/x8-pad-shortcut-scalar';
export { x32_pad_shortcut__scalar } from './shortcut/x32-pad-shortcut-scalar';
export { f32_qu8_quantize_nchw__scalar } from './input/f32-qu8-quantize-nchw-scalar';
export { x32_nchw_to_nhwc__scalar } from './input/x32-nchw-to-nhwc-scalar';
export { f32_im2col__ref } from './im2col/f32-im2col-ref';
export { f32_im2col__simd } from './im2col/f32-im2col-simd';
export { f32_gemm_minmax_4x8__ref } from './gemm/f32-gemm-minmax-4x8-ref';
export { f32_gemm_minmax_4x8__simd } from './gemm/f32-gemm-minmax-4x8-simd';
export { f32_vadd_minmax__ref } from './vadd/f32-vadd-minmax-ref';
export { f32_vadd_minmax__simd } from './vadd/f32-vadd-minmax-simd';
export { f32_maxpool__ref } from './pool/f32-maxpool-ref';
export { f32_maxpool__simd } from './pool/f32-maxpool-simd';
export { f32_gavgpool__ref } from './pool/f32-gavgpool-ref';
export { f32_gavgpool__simd } from './pool/f32-gavgpool-simd';

/** First byte the TypeScript arena may use. */
export function heapBase(): usize {
  return (__heap_base + 63) & ~63;
}
