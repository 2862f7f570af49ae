// int8 lowering: each node's weights (as the pack stores them, plus derived multipliers), its
// scratch, and its kernel calls over fixed arena pointers (docs/ARCHITECTURE.md, "Numerics").
import type { Activation, AddNode, ConvNode, FcNode, GlobalAvgPoolNode, MaxPoolNode, Node, PadShortcutNode, Quant } from '../model/graph.ts';
import { convMultipliers, fcScales, gapMultiplier, inputInverse, rescale } from '../model/requant.ts';
import { NR, roundUp } from '../kernels/packing.ts';
import { tensorData, type InputLowering, type Lowering, type PlanInput } from './lowering.ts';

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
  return n.kernelH === 3 && n.kernelW === 3 && n.stride === 1 && n.pad.every((p) => p === 1) && n.cin % 2 === 0
    && outH * outW >= minOutputs;
}

/** Winograd scratch: V, then U' of one channel block, then the accumulators. */
export function winogradScratch(base: number, H: number, W: number, Cp: number) {
  const T = Math.ceil(H / 2) * Math.ceil(W / 2);
  const v = base;
  const u = v + Math.ceil((16 * roundUp(T, 4) * Cp * 2) / 64) * 64 + 64;
  const acc = u + 16 * Cp * 16 + 64;
  return { v, u, acc, end: acc + 2048 + 64 };
}

function conv(p: PlanInput, n: ConvNode): Lowering {
  const xi = p.activation(n.input), yi = p.activation(n.output);
  const qx = quantOf(xi), qy = quantOf(yi);
  const [H, W, C] = xi.shape, [OH, OW] = yi.shape;
  const K = n.kernelH * n.kernelW * C, Kp = roundUp(K, 2), M = OH * OW, N = n.cout;
  const weights = [
    tensorData(p, n.weight),
    padded(tensorData(p, n.bias), N, (l) => new Int32Array(l)),
    padded(convMultipliers(qx.scale, tensorData(p, n.weightScale), qy.scale), N, (l) => new Float32Array(l)),
  ];
  const zx = qx.zeroPoint, zy = qy.zeroPoint, qmin = n.relu ? zy : 0;
  const [padT, padL] = n.pad;
  // A fused residual: its u8 values enter the epilogue as (r − zr) · mr, mr = sr / sy. The
  // kernels read pointer 0 as "none"; arena buffers start at heapBase() > 0.
  const qr = n.residual === undefined ? undefined : quantOf(p.activation(n.residual));
  const zr = qr?.zeroPoint ?? 0, mr = qr ? rescale(qr.scale, qy.scale) : 0;
  const resid = (act: (id: number) => number) => (n.residual === undefined ? 0 : act(n.residual));
  if (usesWinograd(n, OH, OW, p.winogradMinOutputs)) {
    const Cp = roundUp(C, 2);
    return {
      node: n, weights, scratchBytes: winogradScratch(0, H, W, Cp).end,
      bind: ({ ks, act, weights: [w, b, m], scratch }) => {
        const x = act(n.input), y = act(n.output), r = resid(act), { v, u, acc } = winogradScratch(scratch, H, W, Cp);
        return () => {
          ks.winogradInputQ8(x, H, W, C, zx, Cp, v);
          ks.winogradConvQ8(H, W, N, Cp, v, w, b, m, zy, qmin, 255, y, u, acc, r, zr, mr);
        };
      },
    };
  }
  return {
    node: n, weights, scratchBytes: roundUp(M, 4) * Kp * 2,
    bind: ({ ks, act, weights: [w, b, m], scratch: a }) => {
      const x = act(n.input), y = act(n.output), r = resid(act);
      return () => {
        ks.im2colQ8(x, H, W, C, zx, n.kernelH, n.kernelW, n.stride, padT, padL, OH, OW, Kp, a);
        ks.gemmQ8(M, N, Kp, a, w, b, m, zy, qmin, 255, y, N, r, zr, mr);
      };
    },
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
    node: n, weights, scratchBytes: 4 * Kp * 2 + roundUp(n.cout, 8) * 8,
    bind: ({ ks, act, weights: [w, b, s], scratch: a }) => {
      const x = act(n.input), y = act(n.output);
      return () => {
        // The head's input as the GEMM's A operand: a 1×1 "im2col" of the pooled vector.
        ks.im2colQ8(x, 1, 1, n.cin, qx.zeroPoint, 1, 1, 1, 0, 0, 1, 1, Kp, a);
        ks.gemvQ8(n.cout, Kp, a, w, b, s, y);
      };
    },
  };
}

function add(p: PlanInput, n: AddNode): Lowering {
  const qa = quantOf(p.activation(n.a)), qb = quantOf(p.activation(n.b));
  const yi = p.activation(n.output), qy = quantOf(yi);
  const len = yi.shape[0] * yi.shape[1] * yi.shape[2];
  const ma = rescale(qa.scale, qy.scale), mb = rescale(qb.scale, qy.scale), qmin = n.relu ? qy.zeroPoint : 0;
  return {
    node: n, weights: [], scratchBytes: 0,
    bind: ({ ks, act }) => {
      const pa = act(n.a), pb = act(n.b), py = act(n.output);
      return () => ks.vaddQ8(len, pa, qa.zeroPoint, ma, pb, qb.zeroPoint, mb, qy.zeroPoint, qmin, 255, py);
    },
  };
}

function maxpool(p: PlanInput, n: MaxPoolNode): Lowering {
  const [H, W, C] = p.activation(n.input).shape, [OH, OW] = p.activation(n.output).shape;
  return {
    node: n, weights: [], scratchBytes: 0,
    bind: ({ ks, act }) => {
      const x = act(n.input), y = act(n.output);
      return () => ks.maxpoolU8(x, H, W, C, n.kernel, n.stride, n.pad, OH, OW, y);
    },
  };
}

function gap(p: PlanInput, n: GlobalAvgPoolNode): Lowering {
  const xi = p.activation(n.input), qx = quantOf(xi), qy = quantOf(p.activation(n.output));
  const [H, W, C] = xi.shape;
  const m = gapMultiplier(qx.scale, H * W, qy.scale);
  return {
    node: n, weights: [], scratchBytes: 0,
    bind: ({ ks, act }) => {
      const x = act(n.input), y = act(n.output);
      return () => ks.gapQ8(x, H * W, C, qx.zeroPoint, m, qy.zeroPoint, y);
    },
  };
}

function padShortcut(p: PlanInput, n: PadShortcutNode): Lowering {
  const [H, W, C] = p.activation(n.input).shape;
  const yi = p.activation(n.output), [OH, OW] = yi.shape, fill = quantOf(yi).zeroPoint;
  return {
    node: n, weights: [], scratchBytes: 0,
    bind: ({ ks, act }) => {
      const x = act(n.input), y = act(n.output);
      return () => ks.padShortcutU8(x, H, W, C, n.stride, OH, OW, n.cout, n.channelOffset ?? 0, fill, y);
    },
  };
}

export function lowerInt8(p: PlanInput, n: Node): Lowering {
  switch (n.op) {
    case 'conv': return conv(p, n);
    case 'fc': return fc(p, n);
    case 'add': return add(p, n);
    case 'maxpool': return maxpool(p, n);
    case 'gap': return gap(p, n);
    case 'pad_shortcut': return padShortcut(p, n);
  }
}

export function lowerInt8Input(p: PlanInput): InputLowering {
  const g = p.graph;
  const qin = quantOf(p.activation(g.inputId));
  const inv = inputInverse(qin.scale), HW = g.input.height * g.input.width, C = g.input.channels;
  return { bind: ({ ks, input, act }) => { const x = act(g.inputId); return () => ks.quantizeInput(input, C, HW, inv, qin.zeroPoint, x); } };
}
