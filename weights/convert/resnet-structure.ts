// Reading ResNet structure back out of a ModelGraph: which conv ends each residual branch
// (for the Fig. 7 report) and which architecture the blocks add up to (for the pack's name).
import type { ConvNode, ModelGraph, Node } from '../../ts-sdk/model/graph.ts';

export interface ResidualBlock {
  add: Node & { op: 'add' };
  /** The branch's last conv (its folded BN output is the "residual function" output). */
  branch: ConvNode;
  /** The other add input: identity (no node), projection conv or option-A pad. */
  shortcut: 'identity' | 'projection' | 'pad';
  /** Convs on the residual branch: 2 for a basic block, 3 for a bottleneck. */
  depth: number;
  /** The branch's convs, first (reading the block input) to last. */
  convs: ConvNode[];
}

/**
 * For each add, one operand is the residual branch — a chain of convs that starts at the
 * block input — and the other the shortcut: the block input itself (identity), a
 * pad_shortcut of it, or a conv reading it (projection). The block input may itself be a
 * conv's output (a CIFAR stem), so a conv operand counts as a projection only when it reads
 * what the branch's first conv reads.
 */
export function residualBlocks(g: ModelGraph): ResidualBlock[] {
  const producer = new Map<number, Node>();
  for (const n of g.nodes) producer.set(n.output, n);
  const convOf = (id: number): ConvNode | undefined => {
    const p = producer.get(id);
    return p?.op === 'conv' ? p : undefined;
  };
  const analyze = (add: Node & { op: 'add' }, branchId: number, otherId: number): ResidualBlock | undefined => {
    const branch = convOf(branchId);
    if (!branch) return undefined;
    const other = producer.get(otherId);
    const chain: ConvNode[] = [];
    for (let c: ConvNode | undefined = branch; c && c !== other; c = convOf(c.input)) chain.push(c);
    let shortcut: ResidualBlock['shortcut'] = 'identity';
    let blockInput = otherId;
    if (other?.op === 'pad_shortcut') [shortcut, blockInput] = ['pad', other.input];
    else if (other?.op === 'conv' && chain.some((c) => c.input === other.input)) [shortcut, blockInput] = ['projection', other.input];
    const first = chain.findIndex((c) => c.input === blockInput);
    return first >= 1 ? { add, branch, shortcut, depth: first + 1, convs: chain.slice(0, first + 1).reverse() } : undefined;
  };
  const blocks: ResidualBlock[] = [];
  for (const n of g.nodes) {
    if (n.op !== 'add') continue;
    const b = analyze(n, n.a, n.b) ?? analyze(n, n.b, n.a);
    if (b) blocks.push(b);
  }
  return blocks;
}

/**
 * The network's name from its blocks, in the names torchvision and the paper use: depth = the
 * convs on the residual branches + the stem conv + the fc ('resnet18' … 'resnet152'); bottleneck
 * blocks wider than the output/4 of torchvision's ResNet are 'wide_resnet50_2' (width factor 2);
 * a bottleneck that strides in its first 1×1 conv instead of the 3×3 is the original 'resnet50-v1'
 * (torchvision's is v1.5). Three stages of basic blocks are the paper's CIFAR networks: 'resnet20-cifar' with
 * option-A (zero-padded identity) shortcuts, 'resnet20-cifar-b' with projections. Anything that does
 * not add up (mixed block kinds, no residual blocks) is 'resnet'.
 */
export function detectArch(g: ModelGraph): string {
  const blocks = residualBlocks(g);
  if (!blocks.length) return 'resnet';
  const kind = blocks.every((b) => b.depth === 2) ? 'basic' : blocks.every((b) => b.depth === 3) ? 'bottleneck' : 'mixed';
  if (kind === 'mixed') return 'resnet';
  const depth = 2 + blocks.reduce((a, b) => a + b.depth, 0);
  // A stage is a run of blocks with the same output width.
  const widths: number[] = [];
  for (const b of blocks) {
    const c = g.activations[b.add.output].shape[2];
    if (c !== widths[widths.length - 1]) widths.push(c);
  }
  if (kind === 'basic' && widths.length === 3) return `resnet${depth}-cifar${blocks.some((b) => b.shortcut === 'projection') ? '-b' : ''}`;
  if (kind === 'basic') return `resnet${depth}`;
  // Bottleneck: the 3×3's width against torchvision's (output / 4), and where the block strides.
  const factors = new Set(blocks.map((b) => (b.convs[1].cout * 4) / b.convs[2].cout));
  const factor = factors.size === 1 ? [...factors][0] : NaN;
  const v1 = blocks.some((b) => b.convs[0].stride > 1);
  if (!(Number.isInteger(factor) && factor >= 1)) return 'resnet'; // a width no published variant has
  const base = factor === 1 ? `resnet${depth}` : `wide_resnet${depth}_${factor}`;
  return v1 ? `${base}-v1` : base;
}
