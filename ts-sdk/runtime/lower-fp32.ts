// fp32 lowering: the same graph through the f32x4 kernels (reference path and precision option).
import type { AddNode, ConvNode, FcNode, GlobalAvgPoolNode, MaxPoolNode, Node, PadShortcutNode } from '../model/graph.ts';
import { NR, roundUp } from '../kernels/packing.ts';
import { call, tensorData, type InputLowering, type Lowering, type PlanInput } from './lowering.ts';

/** Bias padded to the GEMM's block of NR output channels. */
function paddedBias(src: ArrayLike<number>, n: number): Float32Array {
  const out = new Float32Array(roundUp(n, NR));
  for (let i = 0; i < n; i++) out[i] = src[i];
  return out;
}

function conv(p: PlanInput, n: ConvNode): Lowering {
  const [H, W, C] = p.activation(n.input).shape,
    [OH, OW] = p.activation(n.output).shape;
  const K = n.kernelH * n.kernelW * C,
    M = OH * OW,
    N = n.cout;
  const weights = [tensorData(p, n.weight), paddedBias(tensorData(p, n.bias), N)];
  const lo = n.relu ? 0 : -Infinity;
  const [padT, padL] = n.pad;
  // A 1×1 stride-1 convolution is already a GEMM over the NHWC input: no im2col.
  if (n.kernelH === 1 && n.kernelW === 1 && n.stride === 1 && n.pad.every((q) => q === 0)) {
    return {
      node: n,
      weights,
      scratchBytes: 0,
      calls: ({ ks, act, weights: [w, bias] }) => [
        call(ks.gemmF32, { M, N, K, a: act(n.input), aStride: K * 4, w, bias, y: act(n.output), yStride: N * 4, lo, hi: Infinity }),
      ],
    };
  }
  return {
    node: n,
    weights,
    scratchBytes: M * K * 4,
    calls: ({ ks, act, weights: [w, bias], scratch: a }) => [
      call(ks.im2colF32, { x: act(n.input), H, W, C, KH: n.kernelH, KW: n.kernelW, stride: n.stride, padT, padL, OH, OW, a }),
      call(ks.gemmF32, { M, N, K, a, aStride: K * 4, w, bias, y: act(n.output), yStride: N * 4, lo, hi: Infinity }),
    ],
  };
}

function fc(p: PlanInput, n: FcNode): Lowering {
  return {
    node: n,
    weights: [tensorData(p, n.weight), paddedBias(tensorData(p, n.bias), n.cout)],
    scratchBytes: 0,
    calls: ({ ks, act, weights: [w, bias] }) => [
      call(ks.gemmF32, {
        M: 1,
        N: n.cout,
        K: n.cin,
        a: act(n.input),
        aStride: n.cin * 4,
        w,
        bias,
        y: act(n.output),
        yStride: n.cout * 4,
        lo: -Infinity,
        hi: Infinity,
      }),
    ],
  };
}

function add(p: PlanInput, n: AddNode): Lowering {
  const [h, w, c] = p.activation(n.output).shape;
  const lo = n.relu ? 0 : -Infinity;
  return {
    node: n,
    weights: [],
    scratchBytes: 0,
    calls: ({ ks, act }) => [call(ks.vaddF32, { n: h * w * c, a: act(n.a), b: act(n.b), y: act(n.output), lo, hi: Infinity })],
  };
}

function maxpool(p: PlanInput, n: MaxPoolNode): Lowering {
  const [H, W, C] = p.activation(n.input).shape,
    [OH, OW] = p.activation(n.output).shape;
  return {
    node: n,
    weights: [],
    scratchBytes: 0,
    calls: ({ ks, act }) => [
      call(ks.maxpoolF32, { x: act(n.input), H, W, C, K: n.kernel, stride: n.stride, pad: n.pad, OH, OW, y: act(n.output) }),
    ],
  };
}

function gavgpool(p: PlanInput, n: GlobalAvgPoolNode): Lowering {
  const [H, W, C] = p.activation(n.input).shape;
  const inv = Math.fround(1 / (H * W));
  return {
    node: n,
    weights: [],
    scratchBytes: 0,
    calls: ({ ks, act }) => [call(ks.gavgpoolF32, { x: act(n.input), HW: H * W, C, inv, y: act(n.output) })],
  };
}

function padShortcut(p: PlanInput, n: PadShortcutNode): Lowering {
  const [H, W, C] = p.activation(n.input).shape,
    [OH, OW] = p.activation(n.output).shape;
  return {
    node: n,
    weights: [],
    scratchBytes: 0,
    calls: ({ ks, act }) => [
      call(ks.padShortcutF32, {
        x: act(n.input),
        H,
        W,
        C,
        stride: n.stride,
        OH,
        OW,
        Cout: n.cout,
        c0: n.channelOffset ?? 0,
        fill: 0,
        y: act(n.output),
      }),
    ],
  };
}

export function lowerFp32(p: PlanInput, n: Node): Lowering {
  switch (n.op) {
    case 'conv':
      return conv(p, n);
    case 'fc':
      return fc(p, n);
    case 'add':
      return add(p, n);
    case 'maxpool':
      return maxpool(p, n);
    case 'gavgpool':
      return gavgpool(p, n);
    case 'pad_shortcut':
      return padShortcut(p, n);
  }
}

export function lowerFp32Input(p: PlanInput): InputLowering {
  const g = p.graph;
  const HW = g.input.height * g.input.width,
    C = g.input.channels;
  return { calls: ({ ks, input, act }) => [call(ks.nchwToNhwc, { x: input, C, HW, y: act(g.inputId) })] };
}
