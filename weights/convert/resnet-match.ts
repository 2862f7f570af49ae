// Recognise a ResNet in a plain ONNX graph and rebuild it as a float `Model`: BN folded
// into the conv before it, ReLU fused into the conv/add before it, weights in the logical
// layouts (conv OHWI, fc [cout][cin]), activations NHWC. The walk is a small abstract
// interpretation: every ONNX value is an activation, a constant or a pending subsample, and
// each op is accepted only where our node set can express it. Nodes that only compute
// constants (shape arithmetic, the pads of an option-A shortcut) are folded (const-eval.ts).
import type { Activation, ConvNode, FcNode, Model, Node, PadShortcutNode } from '../../ts-sdk/model/graph.ts';
import { ConstFolder, FOLDABLE } from './const-eval.ts';
import { ConvertError } from './errors.ts';
import { attrFloat, attrInt, attrInts, attrString, bad, constantValue, show, window2d } from './onnx-attrs.ts';
import type { OnnxGraph, OnnxNode, OnnxTensor } from './onnx-load.ts';
import { type InputOptions, makeInputSpec } from './input-spec.ts';
import { type FloatParams, finishModel } from './model-finish.ts';

export interface MatchOptions {
  input?: InputOptions;
  labels?: string[];
  /** Overrides the detected architecture name ('resnet18', 'resnet34', …). */
  arch?: string;
}

type Val =
  | { k: 'act'; id: number } // NHWC activation
  | { k: 'flat'; id: number } // a [1,1,C] activation seen as [1, C] after Flatten/Reshape/Squeeze
  | { k: 'sub'; id: number; sh: number; sw: number } // Slice-subsampled activation awaiting the channel Pad of an option-A shortcut
  | { k: 'const'; t: OnnxTensor };

const MIN_OPSET = 9; // first opset with today's BatchNormalization signature
const MAX_OPSET = 21;
const PASS_THROUGH = new Set(['Identity', 'Dropout']);
const SUPPORTED =
  'Conv, BatchNormalization, Relu, MaxPool, Add, GlobalAveragePool, ReduceMean, AveragePool (global), Flatten, Reshape, Squeeze, Gemm, MatMul, Softmax, Slice+Pad (option-A shortcut), Identity, Dropout, Constant and constant shape arithmetic';

export function matchResnet(g: OnnxGraph, opts: MatchOptions = {}): Model {
  return new Matcher(g, opts).run();
}

class Matcher {
  private readonly values = new Map<string, Val>();
  private readonly uses = new Map<string, number>();
  private readonly acts: Activation[] = [];
  private readonly nodes: Node[] = [];
  private readonly producer = new Map<number, Node>();
  private readonly params = new Map<Node, FloatParams>();
  private readonly names = new Set<string>();
  private softmaxDropped = false;
  private readonly folder: ConstFolder;

  constructor(
    private readonly g: OnnxGraph,
    private readonly opts: MatchOptions,
  ) {
    this.folder = new ConstFolder(g.opset);
  }

  run(): Model {
    const g = this.g;
    if (g.opset < MIN_OPSET || g.opset > MAX_OPSET)
      throw new ConvertError('UNSUPPORTED_OPSET', `ONNX opset ${g.opset || '(none)'} is outside the supported ${MIN_OPSET}–${MAX_OPSET}`);
    const nodes = this.resolveAliases(g.nodes);
    for (const [name, t] of g.initializers) this.values.set(name, { k: 'const', t });
    if (g.inputs.length !== 1)
      throw new ConvertError(
        'BAD_INPUT',
        `expected one image input, the graph has ${g.inputs.length}: ${g.inputs.map((i) => i.name).join(', ')}`,
      );
    const inp = g.inputs[0];
    if (inp.shape && inp.shape.length !== 4)
      throw new ConvertError('BAD_INPUT', `input '${inp.name}' has rank ${inp.shape.length}; expected NCHW`);
    if (typeof inp.shape?.[0] === 'number' && inp.shape[0] !== 1)
      throw new ConvertError('BAD_INPUT', `input '${inp.name}' has a fixed batch of ${inp.shape[0]}; edge-resnet runs batch 1`);
    const spec = makeInputSpec(this.opts.input ?? {}, inp.shape);
    const inputId = this.newAct([spec.height, spec.width, spec.channels]);
    this.values.set(inp.name, { k: 'act', id: inputId });

    for (const n of nodes) this.visit(n);

    if (g.outputs.length !== 1)
      throw new ConvertError('UNSUPPORTED_PATTERN', `expected one output (the logits), the graph has ${g.outputs.length}`);
    const out = this.values.get(this.alias(g.outputs[0].name));
    const outNode = out && (out.k === 'act' || out.k === 'flat') ? this.producer.get(out.id) : undefined;
    if (!out || outNode?.op !== 'fc') {
      throw new ConvertError(
        'UNSUPPORTED_PATTERN',
        `graph output '${g.outputs[0].name}' is not produced by a classifier head (Gemm or MatMul after global pooling)`,
      );
    }
    return finishModel({
      spec,
      labels: this.opts.labels ?? [],
      arch: this.opts.arch,
      acts: this.acts,
      nodes: this.nodes,
      params: this.params,
      inputId,
      outputId: outNode.output,
      extra: { producer: g.producer, opset: g.opset, irVersion: g.irVersion, ...(this.softmaxDropped ? { droppedSoftmax: true } : {}) },
    });
  }

  // Identity and inference-mode Dropout are renames: resolve them first so that use counts
  // (which decide whether BN can fold and ReLU can fuse) see the real consumers.
  private readonly aliases = new Map<string, string>();
  private alias(name: string): string {
    return this.aliases.get(name) ?? name;
  }
  private resolveAliases(nodes: OnnxNode[]): OnnxNode[] {
    const kept: OnnxNode[] = [];
    for (const n of nodes) {
      const inputs = n.inputs.map((i) => this.alias(i));
      if (PASS_THROUGH.has(n.opType) && (n.domain === '' || n.domain === 'ai.onnx')) {
        this.aliases.set(n.outputs[0], inputs[0]); // Dropout's mask output, if any, must stay unused (checked below)
        continue;
      }
      kept.push({ ...n, inputs });
    }
    for (const n of kept) for (const i of n.inputs) if (i) this.uses.set(i, (this.uses.get(i) ?? 0) + 1);
    for (const o of this.g.outputs) this.uses.set(this.alias(o.name), (this.uses.get(this.alias(o.name)) ?? 0) + 1);
    for (const n of nodes)
      if (n.opType === 'Dropout' && n.outputs[1] && this.uses.get(n.outputs[1]))
        throw bad(n, 'the dropout mask output is used; only inference-mode Dropout (a no-op) is supported');
    return kept;
  }

  private visit(n: OnnxNode): void {
    if (n.domain !== '' && n.domain !== 'ai.onnx')
      throw new ConvertError(
        'UNSUPPORTED_OP',
        `custom-domain op '${n.domain}' is not supported (expected standard ONNX ops: ${SUPPORTED})`,
        n,
      );
    const vals = n.inputs.map((i) => (i ? this.values.get(i) : undefined));
    const hasData = vals.some((v) => v && (v.k === 'act' || v.k === 'flat' || v.k === 'sub'));
    if (n.opType === 'Constant') return this.set(n, { k: 'const', t: constantValue(n) });
    if (n.opType === 'Shape' || (!hasData && FOLDABLE.has(n.opType))) return this.fold(n, vals);
    if (vals.some((v) => v?.k === 'sub') && n.opType !== 'Slice' && n.opType !== 'Pad') {
      throw bad(
        n,
        'reads a Slice-subsampled tensor; spatial subsampling is supported only as the option-A shortcut (Slice, then Pad on channels)',
      );
    }
    switch (n.opType) {
      case 'Conv':
        return this.conv(n);
      case 'BatchNormalization':
        return this.batchNorm(n);
      case 'Relu':
        return this.relu(n);
      case 'Add':
        return this.add(n);
      case 'MaxPool':
        return this.maxPool(n);
      case 'GlobalAveragePool':
        return this.gap(n, this.act(n, 0), true);
      case 'AveragePool':
        return this.avgPool(n);
      case 'ReduceMean':
        return this.reduceMean(n);
      case 'Flatten':
        return this.flatten(n);
      case 'Reshape':
        return this.reshape(n);
      case 'Squeeze':
        return this.squeeze(n);
      case 'Gemm':
        return this.gemm(n);
      case 'MatMul':
        return this.matmul(n);
      case 'Softmax':
        return this.softmax(n);
      case 'Slice':
        return this.slice(n);
      case 'Pad':
        return this.pad(n);
      default:
        throw new ConvertError(
          'UNSUPPORTED_OP',
          `op ${n.opType} is not part of a ResNet as edge-resnet runs it (supported: ${SUPPORTED})`,
          n,
        );
    }
  }

  // ---- ops -------------------------------------------------------------------------------

  // Every input a constant (or, for Shape, an activation whose NCHW shape we know at batch 1).
  private fold(n: OnnxNode, vals: (Val | undefined)[]): void {
    const consts = vals.map((v, i) => {
      if (!n.inputs[i]) return undefined;
      if (v?.k === 'const') return v.t;
      if (n.opType === 'Shape' && i === 0 && v) return undefined;
      throw bad(n, `input ${i} ('${n.inputs[i]}') is ${describe(v)}; only constants can be folded here`);
    });
    const v = vals[0];
    const shapeOf = n.opType !== 'Shape' || !v || v.k === 'const' ? undefined : this.nchw(v);
    this.set(n, { k: 'const', t: this.folder.fold(n, consts, shapeOf) });
  }

  /** The ONNX (NCHW, batch 1) shape of an activation value. */
  private nchw(v: Val & { id: number }): number[] {
    const [H, W, C] = this.shape(v.id);
    if (v.k === 'flat') return [1, C];
    if (v.k === 'sub') return [1, C, Math.ceil(H / v.sh), Math.ceil(W / v.sw)];
    return [1, C, H, W];
  }

  private conv(n: OnnxNode): void {
    const x = this.act(n, 0);
    const [H, W, C] = this.shape(x);
    const wt = this.constF(n, 1);
    if (attrInt(n, 'group', 1) !== 1) throw bad(n, `group=${attrInt(n, 'group', 1)}: grouped/depthwise convolutions are not supported`);
    if (wt.dims.length !== 4) throw bad(n, `weight '${wt.name}' has dims [${wt.dims}]; expected a 2-D conv [cout, cin, kh, kw]`);
    const [cout, cin, kh, kw] = wt.dims;
    if (cin !== C) throw bad(n, `weight expects ${cin} input channels, the input has ${C}`);
    const ks = attrInts(n, 'kernel_shape');
    if (ks && (ks[0] !== kh || ks[1] !== kw)) throw bad(n, `kernel_shape ${show(ks)} disagrees with weight dims [${wt.dims}]`);
    const win = window2d(n, H, W, [kh, kw]);
    const b = new Float64Array(cout);
    if (n.inputs[2]) {
      const bt = this.constF(n, 2);
      if (bt.data.length !== cout) throw bad(n, `bias has ${bt.data.length} values for ${cout} output channels`);
      b.set(bt.data);
    }
    const name = this.nameFor(n, n.inputs[1]);
    const node: ConvNode = {
      op: 'conv',
      input: x,
      output: this.newAct([win.outH, win.outW, cout]),
      kernelH: kh,
      kernelW: kw,
      stride: win.stride,
      pad: win.pad,
      cin,
      cout,
      relu: false,
      weight: `${name}.weight`,
      bias: `${name}.bias`,
    };
    this.emit(n, node, { w: wt.data.slice(), b });
  }

  // BN after a conv folds into it: w' = w·f, b' = β − μ·f + b·f with f = γ/√(σ²+ε), in f64.
  private batchNorm(n: OnnxNode): void {
    const x = this.act(n, 0);
    const conv = this.producer.get(x);
    if (conv?.op !== 'conv' || conv.relu || this.uses.get(n.inputs[0]) !== 1) {
      throw bad(
        n,
        'expected to follow a Conv whose output nothing else reads (BN folds into that conv; a standalone BatchNormalization has no node in the model graph, ' +
          'so pre-activation blocks (BN → ReLU → Conv, ResNet v2) are not supported: edge-resnet runs the original ResNet, Conv → BN → ReLU)',
      );
    }
    if (attrInt(n, 'training_mode', 0) === 1 || n.outputs.slice(1).some((o) => o && this.uses.get(o))) {
      throw bad(
        n,
        'training-mode BatchNormalization (batch statistics, running-stat outputs) cannot be folded; export the model in eval mode',
      );
    }
    const [gamma, beta, mean, variance] = [1, 2, 3, 4].map((i) => this.constF(n, i).data);
    const eps = attrFloat(n, 'epsilon', 1e-5);
    const p = this.params.get(conv)!;
    const K = p.w.length / conv.cout;
    for (const [what, v] of [
      ['scale', gamma],
      ['B', beta],
      ['mean', mean],
      ['var', variance],
    ] as const) {
      if (v.length !== conv.cout) throw bad(n, `${what} has ${v.length} values for ${conv.cout} channels`);
    }
    if (!Number.isFinite(eps) || eps < 0) throw bad(n, `epsilon ${eps}: expected a finite value ≥ 0`);
    for (let o = 0; o < conv.cout; o++) {
      if (!(variance[o] + eps > 0))
        throw bad(n, `channel ${o}: running variance ${variance[o]} + epsilon ${eps} is not > 0, so 1/√(var + ε) is not a number`);
      const f = gamma[o] / Math.sqrt(variance[o] + eps);
      for (let k = 0; k < K; k++) p.w[o * K + k] = p.w[o * K + k] * f;
      p.b[o] = beta[o] - mean[o] * f + p.b[o] * f;
    }
    this.set(n, { k: 'act', id: x });
  }

  private relu(n: OnnxNode): void {
    const x = this.act(n, 0);
    const prev = this.producer.get(x);
    if ((prev?.op !== 'conv' && prev?.op !== 'add') || prev.relu || this.uses.get(n.inputs[0]) !== 1) {
      throw bad(
        n,
        'expected to follow a Conv (+BatchNormalization) or an Add whose output nothing else reads: ReLU is fused into that node, there is no standalone ReLU node',
      );
    }
    prev.relu = true;
    this.set(n, { k: 'act', id: x });
  }

  private add(n: OnnxNode): void {
    const [a, b] = n.inputs.map((i) => this.values.get(i));
    if (a?.k === 'act' && b?.k === 'act') {
      const [sa, sb] = [this.shape(a.id), this.shape(b.id)];
      if (sa.join() !== sb.join()) throw bad(n, `residual add of shapes [${sa}] and [${sb}] (HWC); both sides must match`);
      return this.emit(n, { op: 'add', a: a.id, b: b.id, output: this.newAct(sa), relu: false });
    }
    // activation + constant: a bias the exporter kept separate (MatMul + Add, or a bias-less Conv + Add)
    const [dataIdx, constIdx] = a?.k === 'const' ? [1, 0] : [0, 1];
    const d = this.values.get(n.inputs[dataIdx]);
    const c = this.values.get(n.inputs[constIdx]);
    const prev = d && (d.k === 'act' || d.k === 'flat') ? this.producer.get(d.id) : undefined;
    if (
      !d ||
      c?.k !== 'const' ||
      (prev?.op !== 'fc' && prev?.op !== 'conv') ||
      (prev.op === 'conv' && prev.relu) ||
      this.uses.get(n.inputs[dataIdx]) !== 1
    ) {
      throw bad(n, 'expected either a residual add of two activations or a bias add right after Gemm/MatMul/Conv');
    }
    const bias = this.floatOf(c.t);
    const p = this.params.get(prev)!;
    if (bias.length !== p.b.length && bias.length !== 1) throw bad(n, `bias has ${bias.length} values for ${p.b.length} channels`);
    for (let o = 0; o < p.b.length; o++) p.b[o] += bias.length === 1 ? bias[0] : bias[o];
    this.set(n, d);
  }

  private maxPool(n: OnnxNode): void {
    const x = this.act(n, 0);
    if (n.outputs[1] && this.uses.get(n.outputs[1])) throw bad(n, 'the Indices output is used; only the pooled values are supported');
    const ks = attrInts(n, 'kernel_shape') ?? [];
    if (ks.length !== 2 || ks[0] !== ks[1]) throw bad(n, `kernel_shape ${show(ks)}: only square 2-D windows are supported`);
    const [H, W, C] = this.shape(x);
    const win = window2d(n, H, W, [ks[0], ks[1]]);
    if (new Set(win.pad).size !== 1) throw bad(n, `pads [${win.pad}]: only equal padding on all sides is supported`);
    this.emit(n, {
      op: 'maxpool',
      input: x,
      output: this.newAct([win.outH, win.outW, C]),
      kernel: ks[0],
      stride: win.stride,
      pad: win.pad[0],
    });
  }

  private gap(n: OnnxNode, x: number, keepDims: boolean): void {
    const C = this.shape(x)[2];
    const node: Node = { op: 'gavgpool', input: x, output: this.newAct([1, 1, C]) };
    this.producer.set(node.output, node);
    this.nodes.push(node);
    this.set(n, { k: keepDims ? 'act' : 'flat', id: node.output });
  }

  // Old exports (AvgPool2d(7) in torchvision < 0.4) average with a window covering the whole map.
  private avgPool(n: OnnxNode): void {
    const x = this.act(n, 0);
    const [H, W] = this.shape(x);
    const ks = attrInts(n, 'kernel_shape') ?? [];
    const pads = attrInts(n, 'pads') ?? [0, 0, 0, 0];
    if (ks[0] !== H || ks[1] !== W || pads.some((p) => p !== 0) || attrString(n, 'auto_pad', 'NOTSET') !== 'NOTSET') {
      throw bad(n, `kernel_shape ${show(ks)} on a ${H}×${W} map: only a global average (window = whole map, no padding) is supported`);
    }
    this.gap(n, x, true);
  }

  private reduceMean(n: OnnxNode): void {
    const x = this.act(n, 0);
    // opset ≤ 17: axes attribute; opset 18: optional axes input
    const axesVal = n.inputs[1] ? this.values.get(n.inputs[1]) : undefined;
    const axes = axesVal?.k === 'const' ? this.intsOf(n, axesVal.t) : attrInts(n, 'axes');
    const norm = (axes ?? []).map((a) => (a < 0 ? a + 4 : a)).sort();
    if (norm.join() !== '2,3') throw bad(n, `axes ${show(axes ?? [])}: only the spatial mean (axes 2, 3) is supported`);
    this.gap(n, x, attrInt(n, 'keepdims', 1) === 1);
  }

  private flatten(n: OnnxNode): void {
    if (attrInt(n, 'axis', 1) !== 1) throw bad(n, `axis=${attrInt(n, 'axis', 1)}: only Flatten(axis=1) before the classifier is supported`);
    this.set(n, { k: 'flat', id: this.pooled(n) });
  }

  // Reshape to [N, C]: its target is a constant ([1, -1], [-1, C], [0, -1] …) or computed
  // from Shape (x.view(x.size(0), -1)), which folding has turned into one.
  private reshape(n: OnnxNode): void {
    const id = this.pooled(n);
    const target = this.values.get(n.inputs[1]);
    if (target?.k !== 'const') throw bad(n, `the target shape is ${describe(target)}; expected a constant (or constant shape arithmetic)`);
    const t = this.intsOf(n, target.t);
    const C = this.shape(id)[2];
    const ok = t.length === 2 && [1, -1, 0].includes(t[0]) && [C, -1].includes(t[1]) && !(t[0] === -1 && t[1] === -1);
    if (!ok) throw bad(n, `target shape ${show(t)}: only a flatten to [1, ${C}] before the classifier is supported`);
    this.set(n, { k: 'flat', id });
  }

  private squeeze(n: OnnxNode): void {
    const axesVal = n.inputs[1] ? this.values.get(n.inputs[1]) : undefined;
    const axes = axesVal?.k === 'const' ? this.intsOf(n, axesVal.t) : attrInts(n, 'axes');
    const norm = (axes ?? [2, 3]).map((a) => (a < 0 ? a + 4 : a)).sort();
    if (norm.join() !== '2,3') throw bad(n, `axes ${show(axes ?? [])}: only squeezing the pooled 1×1 spatial axes is supported`);
    this.set(n, { k: 'flat', id: this.pooled(n) });
  }

  private gemm(n: OnnxNode): void {
    const x = this.flat(n, 0);
    if (attrInt(n, 'transA', 0) !== 0) throw bad(n, 'transA=1 is not supported (the activation must be the left operand as is)');
    const transB = attrInt(n, 'transB', 0) === 1;
    const alpha = attrFloat(n, 'alpha', 1);
    const beta = attrFloat(n, 'beta', 1);
    const B = this.constF(n, 1);
    const cin = this.shape(x)[2];
    if (B.dims.length !== 2 || B.dims[transB ? 1 : 0] !== cin)
      throw bad(n, `B dims [${B.dims}] with transB=${+transB} do not take ${cin} inputs`);
    const cout = B.dims[transB ? 0 : 1];
    const w = transB ? B.data.slice() : transpose(B.data, cin, cout);
    if (alpha !== 1) for (let i = 0; i < w.length; i++) w[i] *= alpha;
    const b = new Float64Array(cout);
    if (n.inputs[2]) {
      const C = this.constF(n, 2).data;
      if (C.length !== cout && C.length !== 1) throw bad(n, `C has ${C.length} values for ${cout} outputs`);
      for (let o = 0; o < cout; o++) b[o] = beta * (C.length === 1 ? C[0] : C[o]);
    }
    this.fc(n, x, w, b, cin, cout, n.inputs[1]);
  }

  private matmul(n: OnnxNode): void {
    const x = this.flat(n, 0);
    const B = this.constF(n, 1);
    const cin = this.shape(x)[2];
    if (B.dims.length !== 2 || B.dims[0] !== cin) throw bad(n, `B dims [${B.dims}]: expected [${cin}, classes] (activation × weight)`);
    this.fc(n, x, transpose(B.data, cin, B.dims[1]), new Float64Array(B.dims[1]), cin, B.dims[1], n.inputs[1]);
  }

  private fc(n: OnnxNode, x: number, w: Float32Array, b: Float64Array, cin: number, cout: number, weightName: string): void {
    const name = this.nameFor(n, weightName);
    const node: FcNode = {
      op: 'fc',
      input: x,
      output: this.newAct([1, 1, cout]),
      cin,
      cout,
      weight: `${name}.weight`,
      bias: `${name}.bias`,
    };
    this.producer.set(node.output, node);
    this.params.set(node, { w, b });
    this.nodes.push(node);
    this.set(n, { k: 'flat', id: node.output });
  }

  // A trailing Softmax: the SDK applies softmax to the logits itself, so the pack ends at the fc.
  private softmax(n: OnnxNode): void {
    const x = this.values.get(n.inputs[0]);
    const prev = x && x.k === 'flat' ? this.producer.get(x.id) : undefined;
    if (prev?.op !== 'fc' || attrInt(n, 'axis', this.g.opset >= 13 ? -1 : 1) === 0)
      throw bad(n, 'only a Softmax over the classes right after the classifier is supported');
    this.softmaxDropped = true;
    this.set(n, x!);
  }

  // x[:, :, ::s, ::s] as torch exports it (one Slice over axes 2,3 or one per axis).
  private slice(n: OnnxNode): void {
    const v = this.values.get(n.inputs[0]);
    if (!v || (v.k !== 'act' && v.k !== 'sub')) throw bad(n, 'expected to slice an activation');
    const arg = (i: number, attr: string): number[] | undefined => {
      const c = n.inputs[i] ? this.values.get(n.inputs[i]) : undefined;
      if (n.inputs[i] && c?.k !== 'const') throw bad(n, `input ${i} must be a constant`);
      return c?.k === 'const' ? this.intsOf(n, c.t) : attrInts(n, attr);
    };
    const starts = arg(1, 'starts') ?? [];
    const ends = arg(2, 'ends') ?? [];
    const axes = (arg(3, 'axes') ?? starts.map((_, i) => i)).map((a) => (a < 0 ? a + 4 : a));
    const steps = arg(4, 'steps') ?? starts.map(() => 1);
    const [H, W, C] = this.shape(v.id);
    const dim = [1, C, H, W];
    let sh = v.k === 'sub' ? v.sh : 1;
    let sw = v.k === 'sub' ? v.sw : 1;
    axes.forEach((axis, i) => {
      const full = starts[i] === 0 && ends[i] >= dim[axis];
      if (!full || steps[i] < 1 || (axis < 2 && steps[i] !== 1))
        throw bad(
          n,
          `slice on axis ${axis} (start ${starts[i]}, end ${ends[i]}, step ${steps[i]}): only x[:, :, ::s, ::s] subsampling is supported`,
        );
      if (axis === 2) sh *= steps[i];
      if (axis === 3) sw *= steps[i];
    });
    this.set(n, { k: 'sub', id: v.id, sh, sw });
  }

  // F.pad(x[:, :, ::s, ::s], (0,0, 0,0, p0,p1)): the option-A shortcut, zero channels before
  // (p0, the node's channelOffset) and after the input's.
  private pad(n: OnnxNode): void {
    const v = this.values.get(n.inputs[0]);
    if (!v || (v.k !== 'act' && v.k !== 'sub')) throw bad(n, 'expected to pad an activation');
    if (attrString(n, 'mode', 'constant') !== 'constant')
      throw bad(n, `mode '${attrString(n, 'mode', 'constant')}': only zero padding is supported`);
    const input = (i: number, what: string) => {
      const c = n.inputs[i] ? this.values.get(n.inputs[i]) : undefined;
      if (n.inputs[i] && c?.k !== 'const')
        throw bad(n, `${what} (input ${i}) is ${describe(c)}; expected a constant (or constant shape arithmetic)`);
      return c?.k === 'const' ? c.t : undefined;
    };
    const pt = input(1, 'pads');
    const given = pt ? this.intsOf(n, pt) : attrInts(n, 'pads');
    const ct = input(2, 'constant_value');
    const fill = ct ? (this.floatOf(ct)[0] ?? 0) : attrFloat(n, 'value', 0);
    const at = input(3, 'axes'); // opset 18: pads for these axes only
    const axes = at ? this.intsOf(n, at).map((a) => (a < 0 ? a + 4 : a)) : [0, 1, 2, 3];
    if (!given || given.length !== 2 * axes.length || fill !== 0)
      throw bad(n, 'expected constant zero padding, a begin and an end value per axis (NCHW)');
    const pads = [0, 0, 0, 0, 0, 0, 0, 0];
    axes.forEach((a, i) => {
      if (!(a >= 0 && a < 4)) throw bad(n, `axis ${a} is not an axis of an NCHW tensor`);
      [pads[a], pads[a + 4]] = [given[i], given[i + axes.length]];
    });
    const [n0, c0, h0, w0, n1, c1, h1, w1] = pads;
    if (n0 || h0 || w0 || n1 || h1 || w1 || c0 < 0 || c1 < 0)
      throw bad(n, `pads ${show(pads)}: only zero channels before and after the input's are supported (the option-A shortcut)`);
    const s = v.k === 'sub' ? v.sh : 1;
    if (v.k === 'sub' && v.sh !== v.sw) throw bad(n, `subsampled by ${v.sh}×${v.sw}: only equal strides are supported`);
    const [H, W, C] = this.shape(v.id);
    const node: PadShortcutNode = {
      op: 'pad_shortcut',
      input: v.id,
      output: this.newAct([Math.ceil(H / s), Math.ceil(W / s), c0 + C + c1]),
      stride: s,
      cout: c0 + C + c1,
    };
    if (c0) node.channelOffset = c0;
    this.emit(n, node);
  }

  // ---- helpers ---------------------------------------------------------------------------

  private emit(n: OnnxNode, node: Node, params?: FloatParams): void {
    this.nodes.push(node);
    const out = (node as { output: number }).output;
    this.producer.set(out, node);
    if (params) this.params.set(node, params);
    this.set(n, { k: 'act', id: out });
  }

  private set(n: OnnxNode, v: Val): void {
    this.values.set(n.outputs[0], v);
  }

  private newAct(shape: [number, number, number]): number {
    const id = this.acts.length;
    this.acts.push({ id, shape });
    return id;
  }

  private shape(id: number): [number, number, number] {
    return this.acts[id].shape;
  }

  private act(n: OnnxNode, i: number): number {
    const v = this.values.get(n.inputs[i]);
    if (v?.k !== 'act') throw bad(n, `input ${i} ('${n.inputs[i]}') should be an NCHW activation, got ${describe(v)}`);
    return v.id;
  }

  private flat(n: OnnxNode, i: number): number {
    const v = this.values.get(n.inputs[i]);
    if (v?.k !== 'flat') throw bad(n, `input ${i} ('${n.inputs[i]}') should be the flattened pooled features [1, C], got ${describe(v)}`);
    return v.id;
  }

  /** The input of Flatten/Reshape/Squeeze must be globally pooled (1×1 spatial). */
  private pooled(n: OnnxNode): number {
    const v = this.values.get(n.inputs[0]);
    if (v?.k === 'flat') return v.id;
    if (v?.k !== 'act') throw bad(n, `expected the pooled features, got ${describe(v)}`);
    const [H, W] = this.shape(v.id);
    if (H !== 1 || W !== 1)
      throw bad(n, `flattens a ${H}×${W} map: the classifier must follow a global average pool (our fc takes [1, 1, C])`);
    return v.id;
  }

  private constF(n: OnnxNode, i: number): OnnxTensor & { kind: 'float' } {
    const v = this.values.get(n.inputs[i]);
    if (v?.k !== 'const' || v.t.kind !== 'float')
      throw bad(n, `input ${i} ('${n.inputs[i]}') should be a float initializer or Constant, got ${describe(v)}`);
    return v.t;
  }

  private floatOf(t: OnnxTensor): Float32Array {
    return t.kind === 'float' ? t.data : Float32Array.from(t.data);
  }

  private intsOf(n: OnnxNode, t: OnnxTensor): number[] {
    if (t.kind !== 'int') throw bad(n, `constant '${t.name}' should hold integers`);
    return t.data;
  }

  /** Tensor-name prefix: the torch parameter path when the weight has one ('layer1.0.conv1'), else the node's scope. */
  private nameFor(n: OnnxNode, weightName: string): string {
    const m = /^([\w.]+)\.weight$/.exec(weightName);
    const base = m ? m[1] : scopeName(n.name) || `${n.opType.toLowerCase()}${this.nodes.length}`;
    let name = base;
    for (let k = 2; this.names.has(name); k++) name = `${base}_${k}`;
    this.names.add(name);
    return name;
  }
}

/**
 * torch ≥ 1.13 scopes node names by module: '/layer1/layer1.0/conv1/Conv' → 'layer1.0.conv1'
 * (a segment repeated as the prefix of the next one is dropped, the op type too). Legacy
 * names ('Conv_12') pass through.
 */
export function scopeName(nodeName: string): string {
  if (!nodeName.startsWith('/')) return nodeName.replace(/[^\w.-]/g, '_');
  const segs = nodeName.split('/').filter(Boolean).slice(0, -1);
  return segs.filter((s, i) => !segs[i + 1]?.startsWith(`${s}.`)).join('.');
}

function transpose(a: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c];
  return out;
}

function describe(v: Val | undefined): string {
  if (!v) return 'an unknown value (a graph input other than the image, or a value no earlier node produced)';
  return { act: 'an activation', flat: 'flattened features', sub: 'a subsampled activation', const: 'a constant' }[v.k];
}
