// Bias correction (Nagel et al., "Data-Free Quantization", 2019, §4.2, with the input's
// expectation measured on the calibration images rather than derived from BatchNorm):
// rounding a layer's weights to int8 shifts the mean of each output channel by
// Σ_k (ŵ[o,k] − w[o,k]) · E[x_k], where ŵ are the dequantized int8 weights and x_k the input
// value under tap k. Subtracting that shift from the float bias before the bias is quantized
// removes the rounding error's mean; its variance stays.
//
// E[x_k] for a conv tap (ky, kx, c) is the input channel's mean times the share of output
// positions where the tap lands inside the image (padding reads a real 0). That assumes the
// channel's mean does not depend on the position, which the border rows break a little.
import type { ConvNode, FcNode, Model } from '../../ts-sdk/model/graph.ts';

/** Share of the outputs along one axis whose input index o·stride − pad + k is inside [0, size). */
function insideShare(k: number, size: number, outSize: number, stride: number, pad: number): number {
  let inside = 0;
  for (let o = 0; o < outSize; o++) {
    const i = o * stride - pad + k;
    if (i >= 0 && i < size) inside++;
  }
  return inside / outSize;
}

/**
 * The float bias minus the mean output shift of the rounded weights. `qw` and `scales` are
 * quantizeRows' int8 weights and per-channel scales; `inputMeans` the layer input's channel means.
 */
export function correctedBias(
  model: Model,
  n: ConvNode | FcNode,
  qw: Int8Array,
  scales: Float32Array,
  inputMeans: Float64Array,
): Float64Array {
  const w = model.tensors.get(n.weight)!.data as Float32Array;
  const b = model.tensors.get(n.bias)!.data as Float32Array;
  const C = inputMeans.length;
  // E[x_k] for every tap k in the weights' (ky, kx, c) order.
  let expected: Float64Array;
  if (n.op === 'fc') expected = inputMeans;
  else {
    const [H, W] = model.graph.activations[n.input].shape;
    const [OH, OW] = model.graph.activations[n.output].shape;
    expected = new Float64Array(n.kernelH * n.kernelW * C);
    for (let ky = 0; ky < n.kernelH; ky++) {
      const fy = insideShare(ky, H, OH, n.stride, n.pad[0]);
      for (let kx = 0; kx < n.kernelW; kx++) {
        const share = fy * insideShare(kx, W, OW, n.stride, n.pad[1]);
        for (let c = 0; c < C; c++) expected[(ky * n.kernelW + kx) * C + c] = inputMeans[c] * share;
      }
    }
  }
  const K = expected.length;
  const out = new Float64Array(n.cout);
  for (let o = 0; o < n.cout; o++) {
    let shift = 0;
    for (let k = 0; k < K; k++) shift += (qw[o * K + k] * scales[o] - w[o * K + k]) * expected[k];
    out[o] = b[o] - shift;
  }
  return out;
}
