// fp32 plan: the same graph through the f32x4 kernels (reference path and precision option).
import type { ConvNode, FcNode } from '../model/graph.ts';
import { NR, roundUp } from '../kernels/packing.ts';
import type { PlanContext, Step } from './executor.ts';

function tensor(ctx: PlanContext, name: string) {
  const t = ctx.model.tensors.get(name);
  if (!t) throw new Error(`edge-resnet: tensor ${name} is missing from the model`);
  return t.data;
}

function paddedBias(src: ArrayLike<number>, n: number): Float32Array {
  const out = new Float32Array(roundUp(n, NR));
  for (let i = 0; i < n; i++) out[i] = src[i];
  return out;
}

function convStep(ctx: PlanContext, n: ConvNode): () => void {
  const { ks } = ctx;
  const [H, W, C] = ctx.actInfo.get(n.input)!.shape, [OH, OW] = ctx.actInfo.get(n.output)!.shape;
  const K = n.kernelH * n.kernelW * C, M = OH * OW, N = n.cout;
  const w = ctx.place(tensor(ctx, n.weight)), b = ctx.place(paddedBias(tensor(ctx, n.bias), N));
  const x = ctx.act.get(n.input)!, y = ctx.act.get(n.output)!, a = ctx.scratch;
  const lo = n.relu ? 0 : -Infinity;
  const [padT, padL] = n.pad;
  // A 1×1 stride-1 convolution is already a GEMM over the NHWC input: no im2col.
  if (n.kernelH === 1 && n.kernelW === 1 && n.stride === 1 && n.pad.every((p) => p === 0)) {
    return () => ks.gemmF32(M, N, K, x, K * 4, w, b, lo, Infinity, y, N * 4);
  }
  return () => {
    ks.im2colF32(x, H, W, C, n.kernelH, n.kernelW, n.stride, padT, padL, OH, OW, a);
    ks.gemmF32(M, N, K, a, K * 4, w, b, lo, Infinity, y, N * 4);
  };
}

function fcStep(ctx: PlanContext, n: FcNode): () => void {
  const w = ctx.place(tensor(ctx, n.weight)), b = ctx.place(paddedBias(tensor(ctx, n.bias), n.cout));
  const x = ctx.act.get(n.input)!, y = ctx.logits;
  return () => ctx.ks.gemmF32(1, n.cout, n.cin, x, n.cin * 4, w, b, -Infinity, Infinity, y, n.cout * 4);
}

export function buildFp32Steps(ctx: PlanContext): { steps: Step[]; input: () => void } {
  const g = ctx.model.graph;
  const { ks } = ctx;
  const steps: Step[] = g.nodes.map((n) => {
    switch (n.op) {
      case 'conv':
        return { node: n, run: convStep(ctx, n) };
      case 'fc':
        return { node: n, run: fcStep(ctx, n) };
      case 'add': {
        const [h, w, c] = ctx.actInfo.get(n.output)!.shape;
        const pa = ctx.act.get(n.a)!, pb = ctx.act.get(n.b)!, py = ctx.act.get(n.output)!;
        const lo = n.relu ? 0 : -Infinity;
        return { node: n, run: () => ks.vaddF32(h * w * c, pa, pb, lo, Infinity, py) };
      }
      case 'maxpool': {
        const [H, W, C] = ctx.actInfo.get(n.input)!.shape, [OH, OW] = ctx.actInfo.get(n.output)!.shape;
        const x = ctx.act.get(n.input)!, y = ctx.act.get(n.output)!;
        return { node: n, run: () => ks.maxpoolF32(x, H, W, C, n.kernel, n.stride, n.pad, OH, OW, y) };
      }
      case 'gap': {
        const [H, W, C] = ctx.actInfo.get(n.input)!.shape;
        const x = ctx.act.get(n.input)!, y = ctx.act.get(n.output)!, inv = Math.fround(1 / (H * W));
        return { node: n, run: () => ks.gapF32(x, H * W, C, inv, y) };
      }
      case 'pad_shortcut': {
        const [H, W, C] = ctx.actInfo.get(n.input)!.shape, [OH, OW] = ctx.actInfo.get(n.output)!.shape;
        const x = ctx.act.get(n.input)!, y = ctx.act.get(n.output)!;
        return { node: n, run: () => ks.padShortcutF32(x, H, W, C, n.stride, OH, OW, n.cout, y) };
      }
    }
  });
  const HW = g.input.height * g.input.width, C = g.input.channels, xin = ctx.act.get(g.inputId)!;
  return { steps, input: () => ks.nchwToNhwc(ctx.input, C, HW, xin) };
}
