// What a network costs to run: multiply-accumulates per image, by node and in all.
import type { ModelGraph, Node } from './graph.ts';

/** A conv's or fc's multiply-accumulates per image (direct convolution); 0 for the other ops. */
export function nodeMacs(n: Node, g: ModelGraph): number {
  if (n.op === 'fc') return n.cin * n.cout;
  if (n.op !== 'conv') return 0;
  const [OH, OW] = g.activations[n.output].shape;
  return OH * OW * n.cout * n.kernelH * n.kernelW * n.cin;
}

export function networkMacs(g: ModelGraph): number {
  return g.nodes.reduce((sum, n) => sum + nodeMacs(n, g), 0);
}
