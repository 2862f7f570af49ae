// The fp32 oracle: a direct, loop-by-loop forward pass over a float Model in the logical
// layouts (conv OHWI, fc [cout][cin]), NHWC activations. Slow on purpose — every line is the
// textbook definition — and the calibration runner until the wasm fp32 executor exists.
import type { Model, Node, Tensor } from '../../ts-sdk/model/graph.ts';
import { requireFloatModel } from './float-model.ts';

/** Anything that can run the float network and show each activation as it is produced. */
export interface Runner {
  /** input: NCHW f32 (batch 1). onActivation gets every activation, the input included, NHWC. Returns the logits. */
  run(input: Float32Array, onActivation?: (id: number, data: Float32Array) => void): Float32Array;
}

export class ReferenceRunner implements Runner {
  constructor(private readonly model: Model) {}
  run(input: Float32Array, onActivation?: (id: number, data: Float32Array) => void): Float32Array {
    return runReference(this.model, input, onActivation);
  }
}

export function runReference(model: Model, inputNCHW: Float32Array, onActivation?: (id: number, nhwc: Float32Array) => void): Float32Array {
  const g = model.graph;
  requireFloatModel(model, 'runReference');
  const [H, W, C] = g.activations[g.inputId].shape;
  if (inputNCHW.length !== H * W * C) throw new RangeError(`input has ${inputNCHW.length} values, expected ${C}×${H}×${W}`);
  const acts: Float32Array[] = [];
  acts[g.inputId] = nchwToNhwc(inputNCHW, C, H, W);
  onActivation?.(g.inputId, acts[g.inputId]);
  for (const n of g.nodes) {
    acts[n.output] = runNode(model, n, acts);
    onActivation?.(n.output, acts[n.output]);
  }
  return acts[g.outputId];
}

export function nchwToNhwc(x: Float32Array, C: number, H: number, W: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let c = 0; c < C; c++) for (let i = 0; i < H * W; i++) out[i * C + c] = x[c * H * W + i];
  return out;
}

function runNode(model: Model, n: Node, acts: Float32Array[]): Float32Array {
  const shape = (id: number) => model.graph.activations[id].shape;
  const [OH, OW, OC] = shape(n.output);
  const out = new Float32Array(OH * OW * OC);
  switch (n.op) {
    case 'conv': {
      // Per output pixel: gather the receptive field in (ky, kx, c) order — the OHWI weight
      // order — with zeros for padding, then one dot product per output channel.
      const x = acts[n.input];
      const [H, W, C] = shape(n.input);
      const K = n.kernelH * n.kernelW * C;
      const w = floats(model, n.weight, [n.cout, n.kernelH, n.kernelW, C]);
      const b = floats(model, n.bias, [n.cout]);
      const patch = new Float32Array(K);
      for (let oy = 0; oy < OH; oy++)
        for (let ox = 0; ox < OW; ox++) {
          patch.fill(0);
          for (let ky = 0; ky < n.kernelH; ky++) {
            const iy = oy * n.stride - n.pad[0] + ky;
            if (iy < 0 || iy >= H) continue;
            for (let kx = 0; kx < n.kernelW; kx++) {
              const ix = ox * n.stride - n.pad[1] + kx;
              if (ix >= 0 && ix < W) patch.set(x.subarray((iy * W + ix) * C, (iy * W + ix + 1) * C), (ky * n.kernelW + kx) * C);
            }
          }
          for (let o = 0; o < OC; o++) {
            const acc = b[o] + dot(w, o * K, patch, 0, K);
            out[(oy * OW + ox) * OC + o] = n.relu ? Math.max(acc, 0) : acc;
          }
        }
      return out;
    }
    case 'add': {
      const [a, b] = [acts[n.a], acts[n.b]];
      for (let i = 0; i < out.length; i++) out[i] = n.relu ? Math.max(a[i] + b[i], 0) : a[i] + b[i];
      return out;
    }
    case 'maxpool': {
      const x = acts[n.input];
      const [H, W, C] = shape(n.input);
      for (let oy = 0; oy < OH; oy++)
        for (let ox = 0; ox < OW; ox++)
          for (let c = 0; c < C; c++) {
            let m = -Infinity; // padding never wins: max over in-bounds elements only
            for (let ky = 0; ky < n.kernel; ky++)
              for (let kx = 0; kx < n.kernel; kx++) {
                const iy = oy * n.stride - n.pad + ky;
                const ix = ox * n.stride - n.pad + kx;
                if (iy >= 0 && iy < H && ix >= 0 && ix < W) m = Math.max(m, x[(iy * W + ix) * C + c]);
              }
            out[(oy * OW + ox) * OC + c] = m;
          }
      return out;
    }
    case 'gavgpool': {
      const x = acts[n.input];
      const [H, W, C] = shape(n.input);
      for (let c = 0; c < C; c++) {
        let s = 0;
        for (let i = 0; i < H * W; i++) s += x[i * C + c];
        out[c] = s / (H * W);
      }
      return out;
    }
    case 'fc': {
      const x = acts[n.input];
      const w = floats(model, n.weight, [n.cout, n.cin]);
      const b = floats(model, n.bias, [n.cout]);
      for (let o = 0; o < n.cout; o++) out[o] = b[o] + dot(w, o * n.cin, x, 0, n.cin);
      return out;
    }
    case 'pad_shortcut': {
      const x = acts[n.input];
      const [, W, C] = shape(n.input);
      const c0 = n.channelOffset ?? 0;
      for (let oy = 0; oy < OH; oy++)
        for (let ox = 0; ox < OW; ox++)
          for (let c = 0; c < C; c++) out[(oy * OW + ox) * OC + c0 + c] = x[(oy * n.stride * W + ox * n.stride) * C + c];
      return out; // the other channels stay 0
    }
  }
}

/** Σ a[ai+j]·b[bi+j] in f64, four partial sums (for speed only; any order is within f32 noise). */
export function dot(a: Float32Array, ai: number, b: Float32Array, bi: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < n; j += 4) {
    s0 += a[ai + j] * b[bi + j];
    s1 += a[ai + j + 1] * b[bi + j + 1];
    s2 += a[ai + j + 2] * b[bi + j + 2];
    s3 += a[ai + j + 3] * b[bi + j + 3];
  }
  for (; j < n; j++) s0 += a[ai + j] * b[bi + j];
  return s0 + s1 + s2 + s3;
}

// Checks dims, not just length: a packed fp32 weight can have the same length as the logical one.
function floats(model: Model, name: string, dims: number[]): Float32Array {
  const t: Tensor | undefined = model.tensors.get(name);
  if (t?.dtype !== 'f32' || t.dims.join() !== dims.join()) {
    throw new RangeError(`tensor '${name}': expected f32 [${dims}] in the logical layout, got ${t ? `${t.dtype} [${t.dims}]` : 'none'}`);
  }
  return t.data as Float32Array;
}
