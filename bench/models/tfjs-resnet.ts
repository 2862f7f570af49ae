// The TensorFlow.js peer: the same network built from tfjs-core ops over the converter's
// float model (BN folded, the weights every engine runs): NHWC fused conv2d (+ bias + ReLU),
// maxPool, add + relu, mean, fused matMul (+ bias). Padding is explicit and symmetric, as in
// torchvision (TF's 'same' would pad stride-2 layers asymmetrically).
import type * as TF from '@tensorflow/tfjs-core';
import { nodeInputs, type Model } from '../../ts-sdk/model/graph.ts';

export interface TfjsNet {
  /** Input: NHWC [1, H, W, 3] floats (a normalized image). */
  run(nhwc: Float32Array): Promise<Float32Array>;
  dispose(): void;
}

export function buildTfjsResnet(tf: typeof TF, float: Model): TfjsNet {
  const g = float.graph;
  const owned: TF.Tensor[] = [];
  const keep = <T extends TF.Tensor>(t: T): T => (owned.push(t), t);
  const f32 = (name: string) => float.tensors.get(name)!.data as Float32Array;

  // Each op returns its output; the runner frees every activation after its last reader, as
  // a tfjs GraphModel does, so the wasm backend reuses memory the same way.
  type Op = (acts: Map<number, TF.Tensor>) => TF.Tensor;
  const ops: Op[] = [];
  for (const n of g.nodes) {
    if (n.op === 'conv') {
      // logical OHWI → tfjs HWIO
      const { cout, cin, kernelH: kh, kernelW: kw } = n;
      const w = f32(n.weight);
      const hwio = new Float32Array(w.length);
      for (let o = 0; o < cout; o++)
        for (let y = 0; y < kh; y++)
          for (let x = 0; x < kw; x++)
            for (let c = 0; c < cin; c++) hwio[((y * kw + x) * cin + c) * cout + o] = w[((o * kh + y) * kw + x) * cin + c];
      const filter = keep(tf.tensor4d(hwio, [kh, kw, cin, cout]));
      const bias = keep(tf.tensor1d(f32(n.bias)));
      const [t, l, bt, r] = n.pad;
      const pad: number | [[number, number], [number, number], [number, number], [number, number]] =
        t === l && t === bt && t === r
          ? t
          : [
              [0, 0],
              [t, bt],
              [l, r],
              [0, 0],
            ];
      ops.push((a) =>
        tf.fused.conv2d({
          x: a.get(n.input) as TF.Tensor4D,
          filter,
          strides: n.stride,
          pad,
          bias,
          activation: n.relu ? 'relu' : 'linear',
        }),
      );
    } else if (n.op === 'add') {
      ops.push((a) => {
        const s = tf.add(a.get(n.a)!, a.get(n.b)!);
        return n.relu ? tf.relu(s) : s;
      });
    } else if (n.op === 'maxpool') {
      ops.push((a) => tf.maxPool(a.get(n.input) as TF.Tensor4D, n.kernel, n.stride, n.pad));
    } else if (n.op === 'gavgpool') {
      ops.push((a) => tf.mean(a.get(n.input)!, [1, 2]));
    } else if (n.op === 'fc') {
      // logical [cout][cin] → [cin, cout]
      const w = f32(n.weight);
      const t = new Float32Array(w.length);
      for (let o = 0; o < n.cout; o++) for (let c = 0; c < n.cin; c++) t[c * n.cout + o] = w[o * n.cin + c];
      const wt = keep(tf.tensor2d(t, [n.cin, n.cout]));
      const bias = keep(tf.tensor1d(f32(n.bias)));
      ops.push((a) => tf.fused.matMul({ a: tf.reshape(a.get(n.input)!, [1, n.cin]) as TF.Tensor2D, b: wt, bias }));
    } else if (n.op === 'pad_shortcut') {
      const C = g.activations[n.input].shape[2],
        c0 = n.channelOffset ?? 0;
      ops.push((a) =>
        tf.tidy(() => {
          // the subsampled intermediate is freed, only the padded output kept
          const x = a.get(n.input) as TF.Tensor4D; // NHWC
          const [, H, W] = x.shape;
          const sub = tf.stridedSlice(x, [0, 0, 0, 0], [1, H, W, C], [1, n.stride, n.stride, 1]) as TF.Tensor4D;
          return tf.pad(sub, [
            [0, 0],
            [0, 0],
            [0, 0],
            [c0, n.cout - C - c0],
          ]);
        }),
      );
    } else {
      throw new Error(`tfjs peer: op ${(n as { op: string }).op} is not built`);
    }
  }
  const lastUse = new Map<number, number>();
  g.nodes.forEach((n, i) => nodeInputs(n).forEach((id) => lastUse.set(id, i)));
  const { height: H, width: W, channels: C } = g.input;
  return {
    async run(nhwc) {
      const a = new Map<number, TF.Tensor>([[g.inputId, tf.tensor4d(nhwc, [1, H, W, C])]]);
      g.nodes.forEach((n, i) => {
        a.set(
          n.output,
          tf.tidy(() => ops[i](a)),
        );
        for (const [id, last] of lastUse) if (last === i) a.get(id)!.dispose();
      });
      const y = a.get(g.outputId)!;
      const out = (await y.data()) as Float32Array;
      y.dispose();
      return out;
    },
    dispose() {
      owned.forEach((t) => t.dispose());
    },
  };
}
