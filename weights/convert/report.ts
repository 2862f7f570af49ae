// `--report`: the standard deviation of each residual function's output, block by block —
// He et al. 2016 (Deep Residual Learning), Fig. 7: "the outputs of each 3×3 layer, after BN
// and before other nonlinearity (ReLU/addition)", here the branch's last conv with its BN
// folded, i.e. the input of the add. Small, shrinking responses are the paper's evidence that
// residual functions stay close to zero; a block far above its neighbours is worth a look
// (and is where int8 ranges get wide).
import type { Model } from '../../ts-sdk/model/graph.ts';
import { type Calibration, stdOf } from './calibrate.ts';
import { residualBlocks } from './resnet-structure.ts';

export interface ResidualStdRow {
  block: number;
  stage: number;
  /** Tensor-name prefix of the branch's last conv ('layer2.1.conv2'). */
  layer: string;
  shape: [number, number, number];
  shortcut: 'identity' | 'projection' | 'pad';
  std: number;
}

export function residualStd(model: Model, calib: Calibration): ResidualStdRow[] {
  const g = model.graph;
  let stage = 0;
  let lastC = -1;
  return residualBlocks(g).map((b, i) => {
    const shape = g.activations[b.branch.output].shape;
    if (shape[2] !== lastC) stage++;
    lastC = shape[2];
    return {
      block: i + 1,
      stage,
      layer: b.branch.weight.replace(/\.weight$/, ''),
      shape,
      shortcut: b.shortcut,
      std: stdOf(calib.stats[b.branch.output]),
    };
  });
}

export function formatResidualStd(rows: ResidualStdRow[], images: number): string {
  const head = ['block', 'stage', 'layer', 'output H×W×C', 'shortcut', 'std'];
  const body = rows.map((r) => [String(r.block), String(r.stage), r.layer, r.shape.join('×'), r.shortcut, r.std.toFixed(4)]);
  const width = head.map((h, j) => Math.max(h.length, ...body.map((row) => row[j].length)));
  const line = (cells: string[]) => cells.map((c, j) => (j === 2 || j === 4 ? c.padEnd(width[j]) : c.padStart(width[j]))).join('  ');
  return [
    `Residual function responses: std of each block's last conv+BN output, before the add (He et al. 2016, Fig. 7), over ${images} image${images === 1 ? '' : 's'}`,
    line(head),
    line(width.map((w) => '-'.repeat(w))),
    ...body.map(line),
  ].join('\n');
}
