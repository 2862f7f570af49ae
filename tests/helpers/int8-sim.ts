// A scalar TypeScript model of the int8 numerics in docs/ARCHITECTURE.md, run over a packed
// int8 Model (weights in the "8c2" layout, i32 biases, f32 weight scales). It is written from
// the document, not from the kernels, so it can serve as their oracle: every f32 step is a
// Math.fround at the place the document puts it, `nearest` is ties-to-even.
//
// Input quantization (not in the document; as the runtime's f32_qu8_quantize_nchw does it):
// q = clamp(nearest(fround(x · fround(1/s))) + z, 0, 255).
import type { Model, Node, Quant } from '../../ts-sdk/model/graph.ts';
import { NR, roundUp } from '../../ts-sdk/kernels/packing.ts';

const f32 = Math.fround;

/** Round half to even, as f32x4.nearest. */
export function nearest(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const clampU8 = (v: number, lo = 0): number => Math.min(255, Math.max(lo, v));

export interface Int8Trace {
  /** Every u8 activation by id (the input included). */
  acts: Uint8Array[];
  logits: Float32Array;
}

export function quantizeInput(x: Float32Array, q: Quant): Uint8Array {
  const out = new Uint8Array(x.length);
  const inv = f32(1 / q.scale);
  for (let i = 0; i < x.length; i++) out[i] = clampU8(nearest(f32(x[i] * inv)) + q.zeroPoint);
  return out;
}

/** Run the int8 model on one NCHW f32 input. */
export function runInt8(model: Model, inputNCHW: Float32Array): Int8Trace {
  const g = model.graph;
  if (g.precision !== 'int8') throw new TypeError(`runInt8 needs an int8 model, got ${g.precision}`);
  const [H, W, C] = g.activations[g.inputId].shape;
  const nhwc = new Float32Array(inputNCHW.length);
  for (let c = 0; c < C; c++) for (let i = 0; i < H * W; i++) nhwc[i * C + c] = inputNCHW[c * H * W + i];
  const acts: Uint8Array[] = [];
  acts[g.inputId] = quantizeInput(nhwc, g.activations[g.inputId].quant!);
  let logits: Float32Array = new Float32Array(0);
  for (const n of g.nodes) {
    if (n.op === 'fc') logits = fc(model, n, acts);
    else acts[n.output] = step(model, n, acts);
  }
  return { acts, logits };
}

const quantOf = (m: Model, id: number): Quant => m.graph.activations[id].quant!;
const shapeOf = (m: Model, id: number) => m.graph.activations[id].shape;

/** Unpack "8c2" ([ceil(N/8)][ceil(K/2)][8][2]) to row-major [N][K]. */
export function unpackQ8(p: Int8Array, N: number, K: number): Int8Array {
  const Kp = roundUp(K, 2);
  const w = new Int8Array(N * K);
  for (let n = 0; n < N; n++)
    for (let k = 0; k < K; k++) w[n * K + k] = p[Math.floor(n / NR) * Kp * NR + Math.floor(k / 2) * NR * 2 + (n % NR) * 2 + (k % 2)];
  return w;
}

// Unpacked weights per packed array, so repeated runs do not unpack again.
const unpacked = new WeakMap<Int8Array, Int8Array>();

function layer(m: Model, n: Node & { weight: string; bias: string; weightScale?: string; cout: number }, K: number) {
  const packed = m.tensors.get(n.weight)!.data as Int8Array;
  let w = unpacked.get(packed);
  if (!w) unpacked.set(packed, (w = unpackQ8(packed, n.cout, K)));
  return { w, bias: m.tensors.get(n.bias)!.data as Int32Array, sw: m.tensors.get(n.weightScale!)!.data as Float32Array };
}

function step(m: Model, n: Exclude<Node, { op: 'fc' }>, acts: Uint8Array[]): Uint8Array {
  const [OH, OW, OC] = shapeOf(m, n.output);
  const out = new Uint8Array(OH * OW * OC);
  const qy = quantOf(m, n.output);
  switch (n.op) {
    case 'conv': {
      const x = acts[n.input];
      const [H, W, C] = shapeOf(m, n.input);
      const qx = quantOf(m, n.input);
      const K = n.kernelH * n.kernelW * C;
      const { w, bias, sw } = layer(m, n, K);
      const mult = Float32Array.from(sw, (s) => f32((qx.scale * s) / qy.scale)); // f64 product/quotient of f32 values, rounded once
      const patch = new Int32Array(K); // x − zx; padding is x = zx, i.e. 0
      const qmin = n.relu ? qy.zeroPoint : 0;
      // A fused residual adds fround((r − zr) · fround(sr / sy)) to the scaled accumulator.
      const res = n.residual === undefined ? undefined : acts[n.residual];
      const qr = n.residual === undefined ? undefined : quantOf(m, n.residual);
      const residualMult = qr ? f32(qr.scale / qy.scale) : 0;
      for (let oy = 0; oy < OH; oy++)
        for (let ox = 0; ox < OW; ox++) {
          patch.fill(0);
          for (let ky = 0; ky < n.kernelH; ky++)
            for (let kx = 0; kx < n.kernelW; kx++) {
              const iy = oy * n.stride - n.pad[0] + ky;
              const ix = ox * n.stride - n.pad[1] + kx;
              if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
              for (let c = 0; c < C; c++) patch[(ky * n.kernelW + kx) * C + c] = x[(iy * W + ix) * C + c] - qx.zeroPoint;
            }
          for (let o = 0; o < OC; o++) {
            let acc = 0;
            for (let k = 0, wi = o * K; k < K; k++) acc += patch[k] * w[wi + k];
            const i = (oy * OW + ox) * OC + o;
            let v = f32(f32((acc + bias[o]) | 0) * mult[o]);
            if (res) v = f32(v + f32((res[i] - qr!.zeroPoint) * residualMult));
            out[i] = clampU8(nearest(v) + qy.zeroPoint, qmin);
          }
        }
      return out;
    }
    case 'add': {
      const [a, b] = [acts[n.a], acts[n.b]];
      const [qa, qb] = [quantOf(m, n.a), quantOf(m, n.b)];
      const ma = f32(qa.scale / qy.scale);
      const mb = f32(qb.scale / qy.scale);
      const qmin = n.relu ? qy.zeroPoint : 0;
      for (let i = 0; i < out.length; i++) {
        const v = f32(f32((a[i] - qa.zeroPoint) * ma) + f32((b[i] - qb.zeroPoint) * mb));
        out[i] = clampU8(nearest(v) + qy.zeroPoint, qmin);
      }
      return out;
    }
    case 'maxpool': {
      const x = acts[n.input];
      const [H, W, C] = shapeOf(m, n.input);
      for (let oy = 0; oy < OH; oy++)
        for (let ox = 0; ox < OW; ox++)
          for (let c = 0; c < C; c++) {
            let best = 0;
            for (let ky = 0; ky < n.kernel; ky++)
              for (let kx = 0; kx < n.kernel; kx++) {
                const iy = oy * n.stride - n.pad + ky;
                const ix = ox * n.stride - n.pad + kx;
                if (iy >= 0 && iy < H && ix >= 0 && ix < W) best = Math.max(best, x[(iy * W + ix) * C + c]);
              }
            out[(oy * OW + ox) * OC + c] = best;
          }
      return out;
    }
    case 'gavgpool': {
      const x = acts[n.input];
      const [H, W, C] = shapeOf(m, n.input);
      const qx = quantOf(m, n.input);
      const mult = f32(qx.scale / (H * W * qy.scale));
      for (let c = 0; c < C; c++) {
        let s = 0;
        for (let i = 0; i < H * W; i++) s += x[i * C + c] - qx.zeroPoint;
        out[c] = clampU8(nearest(f32(f32(s) * mult)) + qy.zeroPoint);
      }
      return out;
    }
    case 'pad_shortcut': {
      const x = acts[n.input];
      const [, W, C] = shapeOf(m, n.input);
      const c0 = n.channelOffset ?? 0;
      out.fill(qy.zeroPoint); // the added channels are real zero
      for (let oy = 0; oy < OH; oy++)
        for (let ox = 0; ox < OW; ox++)
          for (let c = 0; c < C; c++) out[(oy * OW + ox) * OC + c0 + c] = x[(oy * n.stride * W + ox * n.stride) * C + c];
      return out;
    }
  }
}

function fc(m: Model, n: Node & { op: 'fc' }, acts: Uint8Array[]): Float32Array {
  const x = acts[n.input];
  const qx = quantOf(m, n.input);
  const { w, bias, sw } = layer(m, n, n.cin);
  const out = new Float32Array(n.cout);
  for (let o = 0; o < n.cout; o++) {
    let acc = 0;
    for (let k = 0; k < n.cin; k++) acc += (x[k] - qx.zeroPoint) * w[o * n.cin + k];
    out[o] = f32(f32((acc + bias[o]) | 0) * f32(qx.scale * sw[o]));
  }
  return out;
}
