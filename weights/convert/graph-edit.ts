// Graph rewrites of the converter: renaming activation ids, renumbering them densely after
// nodes are removed, and fusing each residual block's last conv with its add (int8).
import { nodeInputs, type ModelGraph, type Node } from '../../ts-sdk/model/graph.ts';
import { residualBlocks } from './resnet-structure.ts';

/** The node with every activation id it names passed through `id`. */
export function mapIds(n: Node, id: (old: number) => number): Node {
  switch (n.op) {
    case 'add':
      return { ...n, a: id(n.a), b: id(n.b), output: id(n.output) };
    case 'conv':
      return { ...n, input: id(n.input), output: id(n.output), ...(n.residual === undefined ? {} : { residual: id(n.residual) }) };
    default:
      return { ...n, input: id(n.input), output: id(n.output) };
  }
}

/** Ids renumbered in execution order (the input 0, then each node's output); activations no node writes are dropped. */
export function compactActivations(g: ModelGraph): ModelGraph {
  const renum = new Map<number, number>([[g.inputId, 0]]);
  for (const n of g.nodes) renum.set(n.output, renum.size);
  const id = (old: number) => renum.get(old)!;
  return {
    ...g,
    inputId: 0,
    outputId: id(g.outputId),
    activations: [...renum].map(([old, nu]) => ({
      ...g.activations[old],
      id: nu,
      shape: [...g.activations[old].shape] as [number, number, number],
    })),
    nodes: g.nodes.map((n) => mapIds(n, id)),
  };
}

/**
 * Each residual block's branch-ending conv (no ReLU, read only by the add) and the add become
 * one conv with `residual` set to the add's other operand, at the add's place in the order
 * (a projection shortcut may come after the branch). The branch output is then never rounded
 * to u8: the block's sum is rounded once, at the add's scale (docs/ARCHITECTURE.md, "Numerics").
 */
export function fuseResidualAdds(g: ModelGraph): { graph: ModelGraph; fused: number } {
  const uses = new Map<number, number>();
  for (const n of g.nodes) for (const id of nodeInputs(n)) uses.set(id, (uses.get(id) ?? 0) + 1);
  const replace = new Map<Node, Node>();
  const drop = new Set<Node>();
  for (const { add, branch } of residualBlocks(g)) {
    if (branch.relu || branch.residual !== undefined || uses.get(branch.output) !== 1) continue;
    const shortcut = add.a === branch.output ? add.b : add.a;
    replace.set(add, { ...branch, output: add.output, relu: add.relu, residual: shortcut });
    drop.add(branch);
  }
  const nodes = g.nodes.filter((n) => !drop.has(n)).map((n) => replace.get(n) ?? n);
  return { graph: compactActivations({ ...g, nodes }), fused: replace.size };
}
