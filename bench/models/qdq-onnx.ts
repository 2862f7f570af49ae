// The int8 peer model: a QDQ ONNX graph carrying *our* quantization — the same per-output-
// channel int8 weights and i32 biases (quantizeLayer on the same float model and input
// scales), and every activation's u8 scale and zero point from our calibration — so
// onnxruntime-web runs the same integer network we do, with its own kernels.
//
// Shape of the graph (what onnxruntime's QDQ fusions turn into QLinearConv, QLinearAdd,
// QLinearGlobalAveragePool, u8 MaxPool and QGemm):
//   input ─Q─DQ─▶ Conv(DQ(w int8, axis 0), DQ(b int32, axis 0)) ─Q─DQ─▶ …
//   Add(DQ a, DQ b) ─Q─DQ─▶, MaxPool ─Q─DQ─▶ (same scale as its input), GlobalAveragePool ─Q─DQ─▶
//   Flatten ─▶ Gemm(transB, DQ(w), DQ(b)) ─▶ float logits.
// A fused ReLU is no node: Q's clamp at zero point 0 (u8) is the ReLU, exactly as in our
// kernels (qmin = zy) — and as onnxruntime's own quantizer drops Relu before Q.
import type { ConvNode, FcNode, Model, Quant } from '../../ts-sdk/model/graph.ts';
import { packQ8Weights } from '../../ts-sdk/kernels/packing.ts';
import { quantizeLayer } from '../../weights/convert/quantize.ts';
import { DT } from '../../weights/convert/onnx-schema.ts';
import { OnnxBuilder } from '../../tests/fixtures/onnx-builder.ts';

class QdqBuilder extends OnnxBuilder {
  /** An initializer of any element type from its little-endian bytes. */
  rawInit(name: string, dims: number[], dataType: number, data: ArrayBufferView): string {
    const raw = new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
    (this as unknown as { inits: object[] }).inits.push({ name, dims, data_type: dataType, raw_data: raw });
    return name;
  }
}

export interface QdqOptions {
  /** Name of the float input and output. @defaultValue 'input', 'output' */
  inputName?: string;
  outputName?: string;
}

/**
 * `float`: the converter's float model (BN folded, logical layouts); `int8`: the same model
 * quantized (its activations carry the calibrated quantization). Checks that the int8
 * weights recomputed here equal the ones in `int8` bit for bit.
 */
export function writeQdqOnnx(float: Model, int8: Model, o: QdqOptions = {}): Uint8Array {
  const g = int8.graph;
  const b = new QdqBuilder();
  const quantOf = (id: number): Quant => {
    const q = g.activations[id].quant;
    if (!q) throw new Error(`activation ${id} has no quantization: pass the int8 model`);
    return q;
  };
  // One scale/zero-point pair of initializers per activation, shared by its Q and DQ nodes.
  const qparams = new Map<number, [string, string]>();
  const params = (id: number): [string, string] => {
    let p = qparams.get(id);
    if (!p) {
      const q = quantOf(id);
      p = [
        b.floatInit(`a${id}.scale`, [], Float32Array.of(q.scale)),
        b.rawInit(`a${id}.zero_point`, [], DT.UINT8, Uint8Array.of(q.zeroPoint)),
      ];
      qparams.set(id, p);
    }
    return p;
  };
  // Quantize a float tensor as activation `id` and dequantize it again: the name of the result.
  const qdq = (x: string, id: number): string => {
    const [s, z] = params(id);
    b.node('QuantizeLinear', [x, s, z], [`a${id}.q`], {}, `a${id}/Q`);
    b.node('DequantizeLinear', [`a${id}.q`, s, z], [`a${id}`], {}, `a${id}/DQ`);
    return `a${id}`;
  };

  const inputName = o.inputName ?? 'input';
  const outputName = o.outputName ?? 'output';
  qdq(inputName, g.inputId);

  const weights = (n: ConvNode | FcNode, dims: number[], w: Int8Array, scales: Float32Array, bias: Int32Array, sx: number) => {
    const base = n.weight.replace(/\.weight$/, '');
    const N = n.cout;
    const wq = b.rawInit(`${base}.weight_q`, dims, DT.INT8, w);
    const ws = b.floatInit(`${base}.weight_scale`, [N], scales);
    const wz = b.rawInit(`${base}.weight_zero_point`, [N], DT.INT8, new Int8Array(N));
    b.node('DequantizeLinear', [wq, ws, wz], [`${base}.weight`], { axis: { i: 0 } }, `${base}/weight/DQ`);
    const bq = b.rawInit(`${base}.bias_q`, [N], DT.INT32, bias);
    const bs = b.floatInit(
      `${base}.bias_scale`,
      [N],
      scales.map((sw) => Math.fround(sx * sw)),
    );
    const bz = b.rawInit(`${base}.bias_zero_point`, [N], DT.INT32, new Int32Array(N));
    b.node('DequantizeLinear', [bq, bs, bz], [`${base}.bias`], { axis: { i: 0 } }, `${base}/bias/DQ`);
    return [`${base}.weight`, `${base}.bias`];
  };
  const quantized = (n: ConvNode | FcNode) => {
    const sx = quantOf(n.input).scale;
    const q = quantizeLayer(float, n, sx);
    const packed = int8.tensors.get(n.weight)!.data;
    const mine = packQ8Weights(q.w, n.cout, q.K);
    if (mine.length !== packed.length || mine.some((v, i) => v !== packed[i])) {
      throw new Error(`${n.weight}: int8 weights recomputed for the QDQ model differ from the pack's`);
    }
    return { ...q, sx };
  };

  let last = '';
  for (const n of g.nodes) {
    if (n.op === 'conv') {
      const q = quantized(n);
      // logical OHWI → ONNX OIHW
      const { cout, cin, kernelH: kh, kernelW: kw } = n;
      const oihw = new Int8Array(q.w.length);
      for (let oc = 0; oc < cout; oc++)
        for (let y = 0; y < kh; y++)
          for (let x = 0; x < kw; x++)
            for (let c = 0; c < cin; c++) oihw[((oc * cin + c) * kh + y) * kw + x] = q.w[((oc * kh + y) * kw + x) * cin + c];
      const [w, bias] = weights(n, [cout, cin, kh, kw], oihw, q.scales, q.bias, q.sx);
      const [t, l, bt, r] = n.pad;
      // A fused residual (conv2 + add): the float conv output is added to the dequantized
      // shortcut and only the sum is quantized, as our kernel does.
      const convOut = n.residual === undefined ? `c${n.output}` : `c${n.output}.conv`;
      b.node(
        'Conv',
        [`a${n.input}`, w, bias],
        [convOut],
        {
          kernel_shape: { ints: [kh, kw] },
          strides: { ints: [n.stride, n.stride] },
          pads: { ints: [t, l, bt, r] },
          dilations: { ints: [1, 1] },
          group: { i: 1 },
        },
        `${n.weight.replace(/\.weight$/, '')}/Conv`,
      );
      if (n.residual !== undefined) b.node('Add', [convOut, `a${n.residual}`], [`c${n.output}`], {}, `add${n.output}`);
      last = qdq(`c${n.output}`, n.output);
    } else if (n.op === 'add') {
      b.node('Add', [`a${n.a}`, `a${n.b}`], [`c${n.output}`], {}, `add${n.output}`);
      last = qdq(`c${n.output}`, n.output);
    } else if (n.op === 'maxpool') {
      b.node(
        'MaxPool',
        [`a${n.input}`],
        [`c${n.output}`],
        {
          kernel_shape: { ints: [n.kernel, n.kernel] },
          strides: { ints: [n.stride, n.stride] },
          pads: { ints: [n.pad, n.pad, n.pad, n.pad] },
          ceil_mode: { i: 0 },
        },
        `maxpool${n.output}`,
      );
      last = qdq(`c${n.output}`, n.output);
    } else if (n.op === 'gavgpool') {
      b.node('GlobalAveragePool', [`a${n.input}`], [`c${n.output}`], {}, `gap${n.output}`);
      last = qdq(`c${n.output}`, n.output);
    } else if (n.op === 'fc') {
      const q = quantized(n);
      const [w, bias] = weights(n, [n.cout, n.cin], q.w, q.scales, q.bias, q.sx);
      b.node('Flatten', [`a${n.input}`], ['flat'], { axis: { i: 1 } }, 'flatten');
      b.node('Gemm', ['flat', w, bias], [outputName], { alpha: { f: 1 }, beta: { f: 1 }, transB: { i: 1 } }, 'fc/Gemm');
      last = outputName;
    } else if (n.op === 'pad_shortcut') {
      // Option A on the dequantized tensor: subsample, zero channels around; same quantization as its input.
      const [, , C] = g.activations[n.input].shape;
      const c0 = n.channelOffset ?? 0;
      const ints = (name: string, v: number[]) =>
        b.rawInit(`ps${n.output}.${name}`, [v.length], DT.INT64, BigInt64Array.from(v.map(BigInt)));
      b.node(
        'Slice',
        [
          `a${n.input}`,
          ints('starts', [0, 0]),
          ints('ends', [2 ** 31 - 1, 2 ** 31 - 1]),
          ints('axes', [2, 3]),
          ints('steps', [n.stride, n.stride]),
        ],
        [`s${n.output}`],
        {},
        `slice${n.output}`,
      );
      b.node(
        'Pad',
        [`s${n.output}`, ints('pads', [0, c0, 0, 0, 0, n.cout - C - c0, 0, 0])],
        [`c${n.output}`],
        { mode: { s: 'constant' } },
        `pad${n.output}`,
      );
      last = qdq(`c${n.output}`, n.output);
    } else {
      throw new Error(`QDQ export: op ${(n as { op: string }).op} is not written`);
    }
  }
  if (last !== outputName) throw new Error('QDQ export: the network does not end with the fc head');
  const { height: H, width: W, channels: C } = g.input;
  return b.encode({
    opset: 13,
    input: inputName,
    inputShape: [1, C, H, W],
    output: outputName,
    outputShape: [1, g.activations[g.outputId].shape[2]],
  });
}
