// int8 plan: one closure per node over fixed arena pointers (docs/ARCHITECTURE.md, "Numerics").
import type { Activation, ConvNode, FcNode, Quant } from '../model/graph.ts';
import { NR, roundUp } from '../kernels/packing.ts';
import type { PlanContext, Step } from './executor.ts';

const f = Math.fround;

function quantOf(a: Activation): Quant {
  if (!a.quant) throw new Error(`edge-resnet: int8 activation ${a.id} has no quantization parameters`);
  return a.quant;
}

function padded<T extends Int32Array | Float32Array>(src: ArrayLike<number>, n: number, make: (len: number) => T): T {
  const out = make(roundUp(n, NR));
  for (let i = 0; i < n; i++) out[i] = src[i];
  return out;
}

function tensor(ctx: PlanContext, name: string | undefined) {
  const t = name === undefined ? undefined : ctx.model.tensors.get(name);
  if (!t) throw new Error(`edge-resnet: tensor ${name} is missing from the model`);
  return t.data;
}

function convStep(ctx: PlanContext, n: ConvNode): () => void {
  const { ks } = ctx;
  const xi = ctx.actInfo.get(n.input)!, yi = ctx.actInfo.get(n.output)!;
  const qx = quantOf(xi), qy = quantOf(yi);
  const [H, W, C] = xi.shape, [OH, OW] = yi.shape;
  const K = n.kernelH * n.kernelW * C, Kp = roundUp(K, 2), M = OH * OW, N = n.cout;
  const sw = tensor(ctx, n.weightScale);
  const w = ctx.place(tensor(ctx, n.weight));
  const b = ctx.place(padded(tensor(ctx, n.bias), N, (l) => new Int32Array(l)));
  const m = ctx.place(padded(Array.from(sw, (s) => f((qx.scale * s) / qy.scale)), N, (l) => new Float32Array(l)));
  const x = ctx.act.get(n.input)!, y = ctx.act.get(n.output)!, a = ctx.scratch;
  const zx = qx.zeroPoint, zy = qy.zeroPoint, qmin = n.relu ? zy : 0;
  const [padT, padL] = n.pad;
  // A fused residual: its u8 values enter the epilogue as (r − zr) · mr, mr = sr / sy. The
  // kernels read pointer 0 as "none"; arena buffers start at heapBase() > 0.
  const qr = n.residual === undefined ? undefined : quantOf(ctx.actInfo.get(n.residual)!);
  const r = n.residual === undefined ? 0 : ctx.act.get(n.residual)!;
  const zr = qr?.zeroPoint ?? 0, mr = qr ? f(qr.scale / qy.scale) : 0;
  if (ctx.winograd && usesWinograd(n, OH, OW, ctx.winogradMinOutputs)) {
    const Cp = roundUp(C, 2), { v, u, acc } = winogradScratch(ctx.scratch, H, W, Cp);
    return () => {
      ks.winogradInputQ8(x, H, W, C, zx, Cp, v);
      ks.winogradConvQ8(H, W, N, Cp, v, w, b, m, zy, qmin, 255, y, u, acc, r, zr, mr);
    };
  }
  return () => {
    ks.im2colQ8(x, H, W, C, zx, n.kernelH, n.kernelW, n.stride, padT, padL, OH, OW, Kp, a);
    ks.gemmQ8(M, N, Kp, a, w, b, m, zy, qmin, 255, y, N, r, zr, mr);
  };
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

/** Winograd scratch inside the conv scratch: V, then U' of one channel block, then the accumulators. */
export function winogradScratch(base: number, H: number, W: number, Cp: number) {
  const T = Math.ceil(H / 2) * Math.ceil(W / 2);
  const v = base;
  const u = v + Math.ceil((16 * roundUp(T, 4) * Cp * 2) / 64) * 64 + 64;
  const acc = u + 16 * Cp * 16 + 64;
  return { v, u, acc, end: acc + 2048 + 64 };
}

function fcStep(ctx: PlanContext, n: FcNode): () => void {
  const { ks } = ctx;
  const qx = quantOf(ctx.actInfo.get(n.input)!);
  const Kp = roundUp(n.cin, 2);
  const sw = tensor(ctx, n.weightScale);
  const w = ctx.place(tensor(ctx, n.weight));
  const b = ctx.place(padded(tensor(ctx, n.bias), n.cout, (l) => new Int32Array(l)));
  const s = ctx.place(padded(Array.from(sw, (v) => f(qx.scale * v)), n.cout, (l) => new Float32Array(l)));
  const x = ctx.act.get(n.input)!, a = ctx.scratch, y = ctx.logits;
  return () => {
    // The head's input as the GEMM's A operand: a 1×1 "im2col" of the pooled vector.
    ks.im2colQ8(x, 1, 1, n.cin, qx.zeroPoint, 1, 1, 1, 0, 0, 1, 1, Kp, a);
    ks.gemvQ8(n.cout, Kp, a, w, b, s, y);
  };
}

export function buildInt8Steps(ctx: PlanContext): { steps: Step[]; input: () => void } {
  const g = ctx.model.graph;
  const { ks } = ctx;
  const steps: Step[] = g.nodes.map((n) => {
    switch (n.op) {
      case 'conv':
        return { node: n, run: convStep(ctx, n) };
      case 'fc':
        return { node: n, run: fcStep(ctx, n) };
      case 'add': {
        const qa = quantOf(ctx.actInfo.get(n.a)!), qb = quantOf(ctx.actInfo.get(n.b)!);
        const yi = ctx.actInfo.get(n.output)!, qy = quantOf(yi);
        const len = yi.shape[0] * yi.shape[1] * yi.shape[2];
        const pa = ctx.act.get(n.a)!, pb = ctx.act.get(n.b)!, py = ctx.act.get(n.output)!;
        const ma = f(qa.scale / qy.scale), mb = f(qb.scale / qy.scale), qmin = n.relu ? qy.zeroPoint : 0;
        return { node: n, run: () => ks.vaddQ8(len, pa, qa.zeroPoint, ma, pb, qb.zeroPoint, mb, qy.zeroPoint, qmin, 255, py) };
      }
      case 'maxpool': {
        const [H, W, C] = ctx.actInfo.get(n.input)!.shape, [OH, OW] = ctx.actInfo.get(n.output)!.shape;
        const x = ctx.act.get(n.input)!, y = ctx.act.get(n.output)!;
        return { node: n, run: () => ks.maxpoolU8(x, H, W, C, n.kernel, n.stride, n.pad, OH, OW, y) };
      }
      case 'gap': {
        const xi = ctx.actInfo.get(n.input)!, qx = quantOf(xi), qy = quantOf(ctx.actInfo.get(n.output)!);
        const [H, W, C] = xi.shape;
        const m = f(qx.scale / (H * W * qy.scale));
        const x = ctx.act.get(n.input)!, y = ctx.act.get(n.output)!;
        return { node: n, run: () => ks.gapQ8(x, H * W, C, qx.zeroPoint, m, qy.zeroPoint, y) };
      }
      case 'pad_shortcut': {
        const [H, W, C] = ctx.actInfo.get(n.input)!.shape;
        const yi = ctx.actInfo.get(n.output)!, [OH, OW] = yi.shape;
        const x = ctx.act.get(n.input)!, y = ctx.act.get(n.output)!, fill = quantOf(yi).zeroPoint;
        return { node: n, run: () => ks.padShortcutU8(x, H, W, C, n.stride, OH, OW, n.cout, fill, y) };
      }
    }
  });
  const qin = quantOf(ctx.actInfo.get(g.inputId)!);
  const inv = f(1 / qin.scale), HW = g.input.height * g.input.width, C = g.input.channels;
  const xin = ctx.act.get(g.inputId)!;
  return { steps, input: () => ks.quantizeInput(ctx.input, C, HW, inv, qin.zeroPoint, xin) };
}
