// Entry of kernels-relaxed.wasm: everything in kernels-simd.wasm plus the relaxed-SIMD
// variants. int8 kernels are the same code in both builds (bench/RESULTS.md: on this
// machine's V8, i32x4.relaxed_dot_i8x16_i7x16_add_s is slower than i32x4.dot_i16x8_s, and it
// needs 7-bit operands our u8 activations and int8 weights don't fit).
export * from './index';
export { f32_gemm_minmax_4x8__relaxed } from './f32/f32-gemm-minmax-4x8';
