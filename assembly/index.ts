// Entry of kernels-simd.wasm: every kernel, with its scalar __ref twin.
// The TypeScript side owns all memory: it places buffers from heapBase() upward.
export { qu8_im2col_4c2__ref } from './im2col/qu8-im2col-4c2-ref';
export { qu8_im2col_4c2__simd } from './im2col/qu8-im2col-4c2-simd';
export { qu8_qc8w_gemm_minmax__ref } from './gemm/qu8-qc8w-gemm-minmax-ref';
export { qu8_qc8w_gemm_minmax_4x8c2__simd } from './gemm/qu8-qc8w-gemm-minmax-4x8c2-simd';
export { qu8_qc8w_gemv_f32__ref } from './gemv/qu8-qc8w-gemv-f32-ref';
export { qu8_qc8w_gemv_f32_8c2__simd } from './gemv/qu8-qc8w-gemv-f32-8c2-simd';
export { qu8_vadd_minmax__ref } from './vadd/qu8-vadd-minmax-ref';
export { qu8_vadd_minmax__simd } from './vadd/qu8-vadd-minmax-simd';
export { u8_maxpool__ref } from './pool/u8-maxpool-ref';
export { u8_maxpool__simd } from './pool/u8-maxpool-simd';
export { qu8_gavgpool__ref } from './pool/qu8-gavgpool-ref';
export { qu8_gavgpool__simd } from './pool/qu8-gavgpool-simd';
export { x8_pad_shortcut, x32_pad_shortcut } from './shortcut/x8-pad-shortcut';
export { f32_qu8_quantize_nchw, f32_nchw_to_nhwc } from './quantize/f32-qu8-quantize-nchw';
export { qu8_winograd_input_f2x2_3x3__ref } from './winograd/qu8-winograd-input-ref';
export { qu8_winograd_input_f2x2_3x3__simd } from './winograd/qu8-winograd-input-simd';
export { qc8w_winograd_weights_f2x2_3x3__ref, qc8w_winograd_weights_f2x2_3x3__simd } from './winograd/qc8w-winograd-weights';
export { qu8_qc8w_winograd_conv_f2x2_3x3_minmax__ref } from './winograd/qu8-qc8w-winograd-conv-ref';
export { qu8_qc8w_winograd_conv_f2x2_3x3_minmax_4x8c2__simd } from './winograd/qu8-qc8w-winograd-conv-4x8c2-simd';
export { f32_im2col__ref, f32_im2col__simd } from './f32/f32-im2col';
export { f32_gemm_minmax__ref } from './f32/f32-gemm-minmax-ref';
export { f32_gemm_minmax_4x8__simd } from './f32/f32-gemm-minmax-4x8';
export {
  f32_vadd_minmax__ref, f32_vadd_minmax__simd,
  f32_maxpool__ref, f32_maxpool__simd,
  f32_gavgpool__ref, f32_gavgpool__simd,
} from './f32/f32-eltwise-pool';

/** First byte the TypeScript arena may use. */
export function heapBase(): usize {
  return (__heap_base + 63) & ~63;
}
