// fp32 lowering: the same graph through the f32x4 kernels (reference path and precision option).
import type { AddNode, ConvNode, FcNode, GlobalAvgPoolNode, MaxPoolNode, Node, PadShortcutNode } from '../model/graph.ts';
import { NR, roundUp } from '../kernels/packing.ts';
import { tensorData, type InputLowering, type Lowering, type PlanInput } from './lowering.ts';

/** Bias padded to the GEMM's block of NR output channels. */
function paddedBias(src: ArrayLike<number>, n: number): Float32Array {
  const out = new Float32Array(roundUp(n, NR));
  for (let i = 0; i < n; i++) out[i] = src[i];
  return out;
}

function conv(p: PlanInput, n: ConvNode): Lowering {
  const [H, W, C] = p.activation(n.input).shape, [OH, OW] = p.activation(n.output).shape;
  const K = n.kernelH * n.kernelW * C, M = OH * OW, N = n.cout;
  const weights = [tensorData(p, n.weight), paddedBias(tensorData(p, n.bias), N)];
  const lo = n.relu ? 0 : -Infinity;
  const [padT, padL] = n.pad;
  // A 1×1 stride-1 convolution is already a GEMM over the NHWC input: no im2col.
  if (n.kernelH === 1 && n.kernelW === 1 && n.stride === 1 && n.pad.every((q) => q === 0)) {
    return {
      node: n, weights, scratchBytes: 0,
      bind: ({ ks, act, weights: [w, b] }) => {
        const x = act(n.input), y = act(n.output);
        return () => ks.gemmF32(M, N, K, x, K * 4, w, b, lo, Infinity, y, N * 4);
      },
    };
  }
  return {
    node: n, weights, scratchBytes: M * K * 4,
    bind: ({ ks, act, weights: [w, b], scratch: a }) => {
      const x = act(n.input), y = act(n.output);
      return () => {
        ks.im2colF32(x, H, W, C, n.kernelH, n.kernelW, n.stride, padT, padL, OH, OW, a);
        ks.gemmF32(M, N, K, a, K * 4, w, b, lo, Infinity, y, N * 4);
      };
    },
  };
}

function fc(p: PlanInput, n: FcNode): Lowering {
  return {
    node: n, weights: [tensorData(p, n.weight), paddedBias(tensorData(p, n.bias), n.cout)], scratchBytes: 0,
    bind: ({ ks, act, weights: [w, b] }) => {
      const x = act(n.input), y = act(n.output);
      return () => ks.gemmF32(1, n.cout, n.cin, x, n.cin * 4, w, b, -Infinity, Infinity, y, n.cout * 4);
    },
  };
}

function add(p: PlanInput, n: AddNode): Lowering {
  const [h, w, c] = p.activation(n.output).shape;
  const lo = n.relu ? 0 : -Infinity;
  return {
    node: n, weights: [], scratchBytes: 0,
    bind: ({ ks, act }) => {
      const pa = act(n.a), pb = act(n.b), py = act(n.output);
      return () => ks.vaddF32(h * w * c, pa, pb, lo, Infinity, py);
    },
  };
}

function maxpool(p: PlanInput, n: MaxPoolNode): Lowering {
  const [H, W, C] = p.activation(n.input).shape, [OH, OW] = p.activation(n.output).shape;
  return {
    node: n, weights: [], scratchBytes: 0,
    bind: ({ ks, act }) => {
      const x = act(n.input), y = act(n.output);
      return () => ks.maxpoolF32(x, H, W, C, n.kernel, n.stride, n.pad, OH, OW, y);
    },
  };
}

function gap(p: PlanInput, n: GlobalAvgPoolNode): Lowering {
  const [H, W, C] = p.activation(n.input).shape;
  const inv = Math.fround(1 / (H * W));
  return {
    node: n, weights: [], scratchBytes: 0,
    bind: ({ ks, act }) => {
      const x = act(n.input), y = act(n.output);
      return () => ks.gapF32(x, H * W, C, inv, y);
    },
  };
}

function padShortcut(p: PlanInput, n: PadShortcutNode): Lowering {
  const [H, W, C] = p.activation(n.input).shape, [OH, OW] = p.activation(n.output).shape;
  return {
    node: n, weights: [], scratchBytes: 0,
    bind: ({ ks, act }) => {
      const x = act(n.input), y = act(n.output);
      return () => ks.padShortcutF32(x, H, W, C, n.stride, OH, OW, n.cout, n.channelOffset ?? 0, y);
    },
  };
}

export function lowerFp32(p: PlanInput, n: Node): Lowering {
  switch (n.op) {
    case 'conv': return conv(p, n);
    case 'fc': return fc(p, n);
    case 'add': return add(p, n);
    case 'maxpool': return maxpool(p, n);
    case 'gap': return gap(p, n);
    case 'pad_shortcut': return padShortcut(p, n);
  }
}

export function lowerFp32Input(p: PlanInput): InputLowering {
  const g = p.graph;
  const HW = g.input.height * g.input.width, C = g.input.channels;
  return { bind: ({ ks, input, act }) => { const x = act(g.inputId); return () => ks.nchwToNhwc(input, C, HW, x); } };
}
