// Entry of kernels-relaxed.wasm: everything in kernels-simd.wasm plus the relaxed-SIMD
// variants. int8 kernels are the same code in both builds: i32x4.relaxed_dot_i8x16_i7x16_add_s
// needs a 7-bit operand, which neither our u8 activations nor our [−127, 127] weights are, and
// on this machine's V8 it peaks at about the rate of i32x4.dot_i16x8_s anyway (1.03–1.07×;
// bench/RESULTS.md, "Kernel benchmark").
export * from './index';
export { f32_gemm_minmax_4x8__relaxed } from './gemm/f32-gemm-minmax-4x8-relaxed';
