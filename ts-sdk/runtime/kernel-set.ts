// Which implementation of each kernel a plan calls: the SIMD variants (relaxed-SIMD ones where
// the build has them), or the scalar __ref twins (tests compare whole networks both ways).
import type { KernelExports } from '../kernels/abi.ts';

export type KernelVariant = 'fast' | 'ref';

export function kernelSet(k: KernelExports, variant: KernelVariant) {
  const fast = variant === 'fast';
  return {
    im2colQ8: fast ? k.qu8_im2col_4c2__simd : k.qu8_im2col_4c2__ref,
    gemmQ8: fast ? k.qu8_qc8w_gemm_minmax_4x8c2__simd : k.qu8_qc8w_gemm_minmax__ref,
    winogradInputQ8: fast ? k.qu8_winograd_input_f2x2_3x3__simd : k.qu8_winograd_input_f2x2_3x3__ref,
    winogradConvQ8: fast ? k.qu8_qc8w_winograd_conv_f2x2_3x3_minmax_4x8c2__simd : k.qu8_qc8w_winograd_conv_f2x2_3x3_minmax__ref,
    gemvQ8: fast ? k.qu8_qc8w_gemv_f32_8c2__simd : k.qu8_qc8w_gemv_f32__ref,
    vaddQ8: fast ? k.qu8_vadd_minmax__simd : k.qu8_vadd_minmax__ref,
    maxpoolU8: fast ? k.u8_maxpool__simd : k.u8_maxpool__ref,
    gapQ8: fast ? k.qu8_gavgpool__simd : k.qu8_gavgpool__ref,
    padShortcutU8: k.x8_pad_shortcut,
    quantizeInput: k.f32_qu8_quantize_nchw,
    im2colF32: fast ? k.f32_im2col__simd : k.f32_im2col__ref,
    gemmF32: fast ? (k.f32_gemm_minmax_4x8__relaxed ?? k.f32_gemm_minmax_4x8__simd) : k.f32_gemm_minmax__ref,
    vaddF32: fast ? k.f32_vadd_minmax__simd : k.f32_vadd_minmax__ref,
    maxpoolF32: fast ? k.f32_maxpool__simd : k.f32_maxpool__ref,
    gapF32: fast ? k.f32_gavgpool__simd : k.f32_gavgpool__ref,
    padShortcutF32: k.x32_pad_shortcut,
    nchwToNhwc: k.f32_nchw_to_nhwc,
  };
}

export type KernelSet = ReturnType<typeof kernelSet>;
