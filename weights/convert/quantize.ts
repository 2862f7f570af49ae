// Float model (logical layouts) → pack-ready model: int8 per docs/ARCHITECTURE.md, or fp32
// packed for the f32 kernels. Rounding: ties to even everywhere (weights, biases, zero
// points), the same rule as the kernels' f32x4.nearest. Every scale is rounded to f32 here,
// before anything is derived from it, so a pack storing f32 scales reproduces the exact
// numbers this quantizer used.
import type { Activation, ConvNode, FcNode, Model, ModelGraph, Node, Quant, Tensor } from '../../ts-sdk/model/graph.ts';
import { packF32Weights, packQ8Weights } from '../../ts-sdk/kernels/packing.ts';
import { quantizeBiases, quantizeRows, roundHalfEven } from '../../ts-sdk/model/quantize-weights.ts';
import { correctedBias } from './bias-correction.ts';
import { type Calibration, channelMeans } from './calibrate.ts';
import { requireFloatModel } from './float-model.ts';
import { fuseResidualAdds } from './graph-edit.ts';
import { inputRange } from './input-spec.ts';
import { chooseRange, type Range, type RangeOptions, type RangeRule } from './range-rules.ts';

export interface QuantizeOptions extends RangeOptions {
  /** @defaultValue 'percentile' */
  range?: RangeRule;
  /**
   * Fuse each residual block's last conv with its add (graph-edit.ts): the block's sum is
   * rounded once. Off gives the unfused graph (a separate u8 tensor before every add).
   * @defaultValue true
   */
  fuseResidual?: boolean;
  /**
   * Remove the mean output shift that rounding the weights causes, per output channel, using
   * the calibration's channel means (bias-correction.ts). Measured on the family: bench/RESULTS.md.
   * @defaultValue false
   */
  biasCorrection?: boolean;
}

export { roundHalfEven };

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Structural sign knowledge: ReLU outputs, and pools/shortcuts of them, are ≥ 0. */
export function nonNegativeActivations(model: Model): boolean[] {
  const nn: boolean[] = model.graph.activations.map(() => false);
  for (const n of model.graph.nodes) {
    if (n.op === 'conv' || n.op === 'add') nn[n.output] = n.relu;
    else if (n.op !== 'fc') nn[n.output] = nn[n.input];
  }
  return nn;
}

/** u8 affine parameters covering [lo, hi] (which contains 0). */
export function quantFromRange(r: Range, nonNegative: boolean): Quant {
  const span = nonNegative ? r.hi : r.hi - r.lo;
  const scale = Math.fround(span > 1e-12 ? span / 255 : 1 / 255);
  const zeroPoint = nonNegative ? 0 : clamp(roundHalfEven(-r.lo / scale), 0, 255);
  return { scale, zeroPoint };
}

export function quantizeModel(model: Model, calib: Calibration, opts: QuantizeOptions = {}): Model {
  requireFloatModel(model, 'quantizeModel');
  const g = model.graph;
  const rule = opts.range ?? 'percentile';
  const nn = nonNegativeActivations(model);
  const quant: (Quant | undefined)[] = [];
  // The input's range is known exactly from Normalize: never clip it.
  quant[g.inputId] = quantFromRange(inputRange(g.input), false);
  for (const n of g.nodes) {
    if (n.op === 'fc') continue; // logits stay f32
    // max pool and the option-A shortcut move u8 values without arithmetic: same quantization as their input
    if (n.op === 'maxpool' || n.op === 'pad_shortcut') quant[n.output] = quant[n.input];
    else quant[n.output] = quantFromRange(chooseRange(calib.stats[n.output], rule, nn[n.output], opts), nn[n.output]);
  }

  const tensors = new Map<string, Tensor>();
  let saturatedBiases = 0;
  const nodes: Node[] = g.nodes.map((n) => {
    if (n.op !== 'conv' && n.op !== 'fc') return { ...n };
    const sx = quant[n.input]!.scale;
    let q = quantizeLayer(model, n, sx);
    if (opts.biasCorrection) {
      // The weights and their scales stay; only the biases are quantized again, from corrected values.
      const bias = correctedBias(model, n, q.w, q.scales, channelMeans(calib.stats[n.input]));
      q = { ...q, ...quantizeBiases(bias, q.scales, sx) };
    }
    saturatedBiases += q.saturated;
    const wscale = n.weight.replace(/\.weight$/, '') + '.wscale';
    // dims stay logical (conv OHWI, fc [cout, cin]) in every layout
    tensors.set(n.weight, {
      name: n.weight,
      dtype: 'i8',
      layout: 'q8c2',
      dims: [...model.tensors.get(n.weight)!.dims],
      data: packQ8Weights(q.w, n.cout, q.K),
    });
    tensors.set(n.bias, { name: n.bias, dtype: 'i32', layout: 'plain', dims: [n.cout], data: q.bias });
    tensors.set(wscale, { name: wscale, dtype: 'f32', layout: 'plain', dims: [n.cout], data: q.scales });
    return { ...n, weightScale: wscale };
  });
  const activations: Activation[] = g.activations.map((a) => (a.id === g.outputId ? { ...a } : { ...a, quant: quant[a.id] }));
  let graph: ModelGraph = { ...g, precision: 'int8', activations, nodes };
  let fusedResidualAdds = 0;
  if (opts.fuseResidual ?? true) ({ graph, fused: fusedResidualAdds } = fuseResidualAdds(graph));
  return {
    graph,
    tensors,
    extra: {
      ...model.extra,
      calibration: {
        images: calib.images,
        range: rule,
        ...(rule === 'percentile' ? { percentile: opts.percentile ?? 99.99 } : {}),
        ...(opts.biasCorrection ? { biasCorrection: true } : {}),
        saturatedBiases,
      },
      fusedResidualAdds,
    },
  };
}

/** Per-output-channel symmetric int8 weights and i32 biases of one conv/fc, given its input scale. */
export function quantizeLayer(model: Model, n: ConvNode | FcNode, sx: number) {
  return quantizeRows(model.tensors.get(n.weight)!.data as Float32Array, model.tensors.get(n.bias)!.data as Float32Array, n.cout, sx);
}

/** The fp32 precision option: same graph, weights packed for the f32 GEMM ("8" layout). */
export function lowerFp32(model: Model): Model {
  requireFloatModel(model, 'lowerFp32');
  const tensors = new Map<string, Tensor>();
  for (const n of model.graph.nodes) {
    if (n.op !== 'conv' && n.op !== 'fc') continue;
    const w = model.tensors.get(n.weight)!.data as Float32Array;
    const K = w.length / n.cout;
    tensors.set(n.weight, {
      name: n.weight,
      dtype: 'f32',
      layout: 'f32n8',
      dims: [...model.tensors.get(n.weight)!.dims],
      data: packF32Weights(w, n.cout, K),
    });
    tensors.set(n.bias, { ...model.tensors.get(n.bias)! });
  }
  return {
    graph: { ...model.graph, nodes: model.graph.nodes.map((n) => ({ ...n })) },
    tensors,
    ...(model.extra ? { extra: { ...model.extra } } : {}),
  };
}
