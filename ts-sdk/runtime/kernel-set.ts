// Which implementation of each kernel a plan calls: the SIMD variants (the relaxed-SIMD ones
// where the build has them), or the scalar __ref twins (tests compare whole networks both ways).
// Kernels with one implementation (__scalar) are the same in both.
import type { KernelExports } from '../kernels/abi.ts';

export type KernelVariant = 'simd' | 'ref';

export function kernelSet(k: KernelExports, variant: KernelVariant) {
  const simd = variant === 'simd';
  return {
    im2colQ8: simd ? 'qu8_im2col_4c2__simd' : 'qu8_im2col_4c2__ref',
    gemmQ8: simd ? 'qu8_qc8w_gemm_minmax_4x8c2__simd' : 'qu8_qc8w_gemm_minmax_4x8c2__ref',
    winogradInputQ8: simd ? 'qu8_winograd_input_f2x2_3x3__simd' : 'qu8_winograd_input_f2x2_3x3__ref',
    winogradConvQ8: simd ? 'qu8_qc8w_winograd_conv_f2x2_3x3_minmax_4x8c2__simd' : 'qu8_qc8w_winograd_conv_f2x2_3x3_minmax_4x8c2__ref',
    gemvQ8: simd ? 'qu8_qc8w_gemv_f32_8c2__simd' : 'qu8_qc8w_gemv_f32_8c2__ref',
    vaddQ8: simd ? 'qu8_vadd_minmax__simd' : 'qu8_vadd_minmax__ref',
    maxpoolU8: simd ? 'u8_maxpool__simd' : 'u8_maxpool__ref',
    gavgpoolQ8: simd ? 'qu8_gavgpool__simd' : 'qu8_gavgpool__ref',
    padShortcutU8: 'x8_pad_shortcut__scalar',
    quantizeInput: 'f32_qu8_quantize_nchw__scalar',
    im2colF32: simd ? 'f32_im2col__simd' : 'f32_im2col__ref',
    gemmF32: simd
      ? k.f32_gemm_minmax_4x8__relaxed
        ? 'f32_gemm_minmax_4x8__relaxed'
        : 'f32_gemm_minmax_4x8__simd'
      : 'f32_gemm_minmax_4x8__ref',
    vaddF32: simd ? 'f32_vadd_minmax__simd' : 'f32_vadd_minmax__ref',
    maxpoolF32: simd ? 'f32_maxpool__simd' : 'f32_maxpool__ref',
    gavgpoolF32: simd ? 'f32_gavgpool__simd' : 'f32_gavgpool__ref',
    padShortcutF32: 'x32_pad_shortcut__scalar',
    nchwToNhwc: 'x32_nchw_to_nhwc__scalar',
  } as const;
}

export type KernelSet = ReturnType<typeof kernelSet>;
