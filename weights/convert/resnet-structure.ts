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
    return first >= 1 ? { add, branch, shortcut, depth: first + 1 } : undefined;
  };
  const blocks: ResidualBlock[] = [];
  for (const n of g.nodes) {
    if (n.op !== 'add') continue;
    const b = analyze(n, n.a, n.b) ?? analyze(n, n.b, n.a);
    if (b) blocks.push(b);
  }
  return blocks;
}

const KNOWN: Record<string, string> = {
  'basic:2,2,2,2': 'resnet18',
  'basic:3,4,6,3': 'resnet34',
  'bottleneck:3,4,6,3': 'resnet50',
  'bottleneck:3,4,23,3': 'resnet101',
  'bottleneck:3,8,36,3': 'resnet152',
};

/** 'resnet18', 'resnet34', 'resnet50', …, 'resnet20-cifar' (three equal stages of basic blocks), else 'resnet'. */
export function detectArch(g: ModelGraph): string {
  const blocks = residualBlocks(g);
  if (!blocks.length) return 'resnet';
  const kind = blocks.every((b) => b.depth === 2) ? 'basic' : blocks.every((b) => b.depth === 3) ? 'bottleneck' : 'mixed';
  // A stage is a run of blocks with the same output width.
  const stages: number[] = [];
  let last = -1;
  for (const b of blocks) {
    const c = g.activations[b.add.output].shape[2];
    if (c !== last) stages.push(0);
    stages[stages.length - 1]++;
    last = c;
  }
  const known = KNOWN[`${kind}:${stages.join()}`];
  if (known) return known;
  if (kind === 'basic' && stages.length === 3 && stages.every((s) => s === stages[0])) return `resnet${6 * stages[0] + 2}-cifar`;
  return 'resnet';
}
