// int8 lowering: each node's weights (as the pack stores them, plus derived multipliers), its
// scratch, and its kernel calls over fixed arena pointers (docs/ARCHITECTURE.md, "Numerics").
import type {
  Activation,
  AddNode,
  ConvNode,
  FcNode,
  GlobalAvgPoolNode,
  MaxPoolNode,
  Node,
  PadShortcutNode,
  Quant,
} from '../model/graph.ts';
import { convMultipliers, fcScales, gapMultiplier, inputInverse, rescale } from '../model/requant.ts';
import { NR, roundUp } from '../kernels/packing.ts';
import { asPtr, type Ptr } from '../kernels/abi.ts';
import { call, tensorData, type InputLowering, type Lowering, type PlanInput } from './lowering.ts';

function quantOf(a: Activation): Quant {
  if (!a.quant) throw new Error(`edge-resnet: int8 activation ${a.id} has no quantization parameters`);
  return a.quant;
}

/** Bias and multipliers padded to the GEMM's block of NR output channels. */
function padded<T extends Int32Array | Float32Array>(src: ArrayLike<number>, n: number, make: (len: number) => T): T {
  const out = make(roundUp(n, NR));
  for (let i = 0; i < n; i++) out[i] = src[i];
  return out;
}

/**
 * 3×3 stride-1 pad-1 convolutions over an even channel count run as exact Winograd F(2×2, 3×3)
 * when the map has at least 8×8 outputs. Below that the per-block weight transform dominates:
 * measured on ResNet-18 (Node 20, this machine, same run): 56², 28², 14² maps 2.0×, 1.9×, 1.35×
 * faster than im2col + GEMM; 7×7 1.0–0.9×; 4×4 and 2×2 1× and 0.27×.
 */
export const WINOGRAD_MIN_OUTPUTS = 64;

export function usesWinograd(n: ConvNode, outH: number, outW: number, minOutputs = WINOGRAD_MIN_OUTPUTS): boolean {
  return (
    n.kernelH === 3 && n.kernelW === 3 && n.stride === 1 && n.pad.every((p) => p === 1) && n.cin % 2 === 0 && outH * outW >= minOutputs
  );
}

/** Bytes of the Winograd input transform V (the shared scratch; U' and the accumulators are each thread's local scratch). */
export function winogradInputBytes(H: number, W: number, Cp: number): number {
  return 16 * roundUp(Math.ceil(H / 2) * Math.ceil(W / 2), 4) * Cp * 2;
}

function conv(p: PlanInput, n: ConvNode): Lowering {
  const xi = p.activation(n.input),
    yi = p.activation(n.output);
  const qx = quantOf(xi),
    qy = quantOf(yi);
  const [H, W, C] = xi.shape,
    [OH, OW] = yi.shape;
  const K = n.kernelH * n.kernelW * C,
    Kp = roundUp(K, 2),
    M = OH * OW,
    N = n.cout;
  const weights = [
    tensorData(p, n.weight),
    padded(tensorData(p, n.bias), N, (l) => new Int32Array(l)),
    padded(convMultipliers(qx.scale, tensorData(p, n.weightScale), qy.scale), N, (l) => new Float32Array(l)),
  ];
  const zx = qx.zeroPoint,
    zy = qy.zeroPoint,
    qmin = n.relu ? zy : 0;
  const [padT, padL] = n.pad;
  // A fused residual: its u8 values enter the epilogue as (r − zr) · residualMult, the
  // multiplier sr / sy. The kernels read pointer 0 as "none"; arena buffers start at heapBase() > 0.
  const qr = n.residual === undefined ? undefined : quantOf(p.activation(n.residual));
  const zr = qr?.zeroPoint ?? 0,
    residualMult = qr ? rescale(qr.scale, qy.scale) : 0;
  const resid = (act: (id: number) => Ptr) => (n.residual === undefined ? asPtr(0) : act(n.residual));
  if (usesWinograd(n, OH, OW, p.winogradMinOutputs)) {
    const Cp = roundUp(C, 2);
    return {
      node: n,
      weights,
      scratchBytes: winogradInputBytes(H, W, Cp),
      calls: ({ ks, act, weights: [w, bias, mult], scratch: v }) => [
        call(ks.winogradInputQ8, { x: act(n.input), H, W, C, zx, Cp, v }),
        call(ks.winogradConvQ8, {
          H,
          W,
          N,
          Cp,
          v,
          w,
          bias,
          mult,
          y: act(n.output),
          zy,
          qmin,
          qmax: 255,
          residual: resid(act),
          zr,
          residualMult,
        }),
      ],
    };
  }
  return {
    node: n,
    weights,
    scratchBytes: roundUp(M, 4) * Kp * 2,
    calls: ({ ks, act, weights: [w, bias, mult], scratch: a }) => [
      call(ks.im2colQ8, { x: act(n.input), H, W, C, zx, KH: n.kernelH, KW: n.kernelW, stride: n.stride, padT, padL, OH, OW, Kp, a }),
      call(ks.gemmQ8, {
        M,
        N,
        Kp,
        a,
        w,
        bias,
        mult,
        y: act(n.output),
        yStride: N,
        zy,
        qmin,
        qmax: 255,
        residual: resid(act),
        zr,
        residualMult,
      }),
    ],
  };
}

function fc(p: PlanInput, n: FcNode): Lowering {
  const qx = quantOf(p.activation(n.input));
  const Kp = roundUp(n.cin, 2);
  const weights = [
    tensorData(p, n.weight),
    padded(tensorData(p, n.bias), n.cout, (l) => new Int32Array(l)),
    padded(fcScales(qx.scale, tensorData(p, n.weightScale)), n.cout, (l) => new Float32Array(l)),
  ];
  return {
    node: n,
    weights,
    scratchBytes: 4 * Kp * 2,
    calls: ({ ks, act, weights: [w, bias, scale], scratch: a }) => [
      // The head's input as the GEMM's A operand: a 1×1 "im2col" of the pooled vector.
      call(ks.im2colQ8, {
        x: act(n.input),
        H: 1,
        W: 1,
        C: n.cin,
        zx: qx.zeroPoint,
        KH: 1,
        KW: 1,
        stride: 1,
        padT: 0,
        padL: 0,
        OH: 1,
        OW: 1,
        Kp,
        a,
      }),
      call(ks.gemvQ8, { N: n.cout, Kp, a, w, bias, scale, y: act(n.output) }),
    ],
  };
}

function add(p: PlanInput, n: AddNode): Lowering {
  const qa = quantOf(p.activation(n.a)),
    qb = quantOf(p.activation(n.b));
  const yi = p.activation(n.output),
    qy = quantOf(yi);
  const len = yi.shape[0] * yi.shape[1] * yi.shape[2];
  const ma = rescale(qa.scale, qy.scale),
    mb = rescale(qb.scale, qy.scale),
    qmin = n.relu ? qy.zeroPoint : 0;
  return {
    node: n,
    weights: [],
    scratchBytes: 0,
    calls: ({ ks, act }) => [
      call(ks.vaddQ8, {
        n: len,
        a: act(n.a),
        za: qa.zeroPoint,
        ma,
        b: act(n.b),
        zb: qb.zeroPoint,
        mb,
        y: act(n.output),
        zy: qy.zeroPoint,
        qmin,
        qmax: 255,
      }),
    ],
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
      call(ks.maxpoolU8, { x: act(n.input), H, W, C, K: n.kernel, stride: n.stride, pad: n.pad, OH, OW, y: act(n.output) }),
    ],
  };
}

function gavgpool(p: PlanInput, n: GlobalAvgPoolNode): Lowering {
  const xi = p.activation(n.input),
    qx = quantOf(xi),
    qy = quantOf(p.activation(n.output));
  const [H, W, C] = xi.shape;
  const mult = gapMultiplier(qx.scale, H * W, qy.scale);
  return {
    node: n,
    weights: [],
    scratchBytes: 0,
    calls: ({ ks, act }) => [
      call(ks.gavgpoolQ8, { x: act(n.input), HW: H * W, C, zx: qx.zeroPoint, mult, zy: qy.zeroPoint, y: act(n.output) }),
    ],
  };
}

function padShortcut(p: PlanInput, n: PadShortcutNode): Lowering {
  const [H, W, C] = p.activation(n.input).shape;
  const yi = p.activation(n.output),
    [OH, OW] = yi.shape,
    fill = quantOf(yi).zeroPoint;
  return {
    node: n,
    weights: [],
    scratchBytes: 0,
    calls: ({ ks, act }) => [
      call(ks.padShortcutU8, {
        x: act(n.input),
        H,
        W,
        C,
        stride: n.stride,
        OH,
        OW,
        Cout: n.cout,
        c0: n.channelOffset ?? 0,
        fill,
        y: act(n.output),
      }),
    ],
  };
}

export function lowerInt8(p: PlanInput, n: Node): Lowering {
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

export function lowerInt8Input(p: PlanInput): InputLowering {
  const g = p.graph;
  const qin = quantOf(p.activation(g.inputId));
  const inv = inputInverse(qin.scale),
    HW = g.input.height * g.input.width,
    C = g.input.channels;
  return { calls: ({ ks, input, act }) => [call(ks.quantizeInput, { x: input, C, HW, inv, z: qin.zeroPoint, y: act(g.inputId) })] };
}
