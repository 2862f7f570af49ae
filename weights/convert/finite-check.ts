// Weights can be finite and still make the network overflow (an fc of 3e38s gives ±∞ logits,
// then NaN scores). The converter runs the float network anyway — on every calibration image
// for int8, on probe inputs for fp32 — so it checks every activation there and refuses the
// model, naming the first layer whose output is not finite, instead of writing a pack that
// answers nonsense.
import type { Model, Node } from '../../ts-sdk/model/graph.ts';
import { ConvertError } from './errors.ts';
import type { Runner } from './reference.ts';

/** An onActivation observer that throws NON_FINITE at the first NaN or ±∞ value. */
export function finiteGuard(model: Model, what: string): (id: number, data: Float32Array) => void {
  const producer = new Map<number, Node>(model.graph.nodes.map((n) => [n.output, n]));
  return (id, data) => {
    for (let i = 0; i < data.length; i++) {
      if (Number.isFinite(data[i])) continue;
      const n = producer.get(id);
      const layer = n ? `${n.op}${'weight' in n ? ` '${n.weight.replace(/\.weight$/, '')}'` : ''}` : 'the input';
      throw new ConvertError(
        'NON_FINITE',
        `the float network's ${id === model.graph.outputId ? 'logits' : 'activations'} overflow on ${what}: ${layer} (activation ${id}) gives ${data[i]} at element ${i}; the weights are too large for float32 arithmetic`,
      );
    }
  };
}

/**
 * Probe inputs for a network with no calibration images: the dataset-mean image (all zeros
 * after Normalize) and a ±2σ checkerboard, NCHW.
 */
export function probeInputs(model: Model): Float32Array[] {
  const [H, W, C] = model.graph.activations[model.graph.inputId].shape;
  const checker = new Float32Array(C * H * W);
  for (let c = 0; c < C; c++)
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) checker[(c * H + y) * W + x] = (x + y + c) % 2 ? 2 : -2;
  return [new Float32Array(C * H * W), checker];
}

/** Runs the probes through `runner`, refusing a network that overflows on any of them. */
export function checkFinite(model: Model, runner: Runner): void {
  probeInputs(model).forEach((x, i) =>
    runner.run(x, finiteGuard(model, `probe input ${i + 1} (${i ? 'a ±2σ checkerboard' : 'the mean image'})`)),
  );
}
