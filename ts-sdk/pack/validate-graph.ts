// Is a ModelGraph a network the runtime can execute exactly as written? Checks architecture,
// input spec, activation ids and execution order, every node's shape arithmetic, and the int8
// quantization contract (docs/ARCHITECTURE.md, "Numerics"). Runs on every read and every write.
import { nodeInputs, type ModelGraph, type Node } from '../model/graph.ts';
import { validateSpec } from '../preprocess/validate-spec.ts';
import { PackFormatError, check } from './errors.ts';
import { packOpName } from './metadata.ts';

/** Largest activation (elements) a pack may declare: 2^28 u8 = 256 MiB, far above any ResNet we run and what a wasm32 arena can hold. */
export const MAX_ACTIVATION_ELEMENTS = 2 ** 28;
/** Bound on every size-like integer (side, channels, kernel, stride, pad): keeps every product exact. */
export const MAX_DIM = 2 ** 16;

const ARCH = /^(resnet\d+(-cifar|-cifar-b|-v1)?|wide_resnet\d+_\d+(-v1)?)$/;
/** 'resnet' (unnamed) and the converter's names: resnet<depth>, resnet<depth>-cifar[-b], resnet<depth>-v1, wide_resnet<depth>_<k>[-v1]. */
export const isKnownArch = (arch: unknown): boolean => arch === 'resnet' || (typeof arch === 'string' && ARCH.test(arch));

export const isInt = (v: unknown, lo: number, hi: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;

const fmt = (v: unknown): string => (Array.isArray(v) ? `[${v.join(', ')}]` : typeof v === 'string' ? JSON.stringify(v) : String(v));

export function validateGraph(g: ModelGraph): void {
  check(
    isKnownArch(g.arch),
    'UNKNOWN_ARCHITECTURE',
    () =>
      `architecture ${fmt(g.arch)} is not one this SDK runs: expected 'resnet', resnet<depth>, resnet<depth>-cifar[-b], resnet<depth>-v1 or wide_resnet<depth>_<k>[-v1]`,
  );
  check(
    g.precision === 'int8' || g.precision === 'fp32',
    'BAD_METADATA',
    () => `graph.precision must be 'int8' or 'fp32', found ${fmt(g.precision)}`,
  );
  try {
    validateSpec(g.input, 'metadata graph.input');
  } catch (e) {
    throw new PackFormatError('BAD_METADATA', (e as Error).message);
  }
  checkNormalization(g);
  const acts = g.activations;
  const n = acts.length;
  check(
    isInt(g.inputId, 0, n - 1) && isInt(g.outputId, 0, n - 1) && g.inputId !== g.outputId,
    'BAD_GRAPH',
    () => `inputId ${fmt(g.inputId)} and outputId ${fmt(g.outputId)} must be two different activation ids in [0, ${n - 1}]`,
  );

  acts.forEach((a, i) => {
    check(a.id === i, 'BAD_GRAPH', () => `activations[${i}] has id ${fmt(a.id)}; ids must equal their index`);
    const s = a.shape;
    check(
      s.length === 3 && s.every((d) => isInt(d, 1, MAX_DIM)),
      'INCONSISTENT_SHAPES',
      () => `activation ${i}: shape must be [height, width, channels] of integers in [1, ${MAX_DIM}], found ${fmt(s)}`,
    );
    check(
      s[0] * s[1] * s[2] <= MAX_ACTIVATION_ELEMENTS,
      'INCONSISTENT_SHAPES',
      () => `activation ${i}: ${s.join('×')} elements exceed the limit of ${MAX_ACTIVATION_ELEMENTS}`,
    );
    checkQuant(g, i);
  });
  const inShape = [g.input.height, g.input.width, g.input.channels];
  expectShape(g, g.inputId, inShape, `the input spec (${inShape.join('×')})`);

  const produced = new Uint8Array(n);
  produced[g.inputId] = 1;
  let fcs = 0;
  g.nodes.forEach((node, i) => {
    const where = `node ${i} (${packOpName(node.op)})`;
    for (const id of nodeInputs(node)) {
      check(isInt(id, 0, n - 1), 'BAD_GRAPH', () => `${where} reads activation ${fmt(id)}, which does not exist (ids 0..${n - 1})`);
      check(
        produced[id] === 1,
        'BAD_GRAPH',
        () => `${where} reads activation ${id} before any node produces it; nodes must be in execution order`,
      );
      check(id !== g.outputId, 'BAD_GRAPH', () => `${where} reads the f32 logits (activation ${id}); no op takes them as input`);
    }
    check(
      isInt(node.output, 0, n - 1),
      'BAD_GRAPH',
      () => `${where} writes activation ${fmt(node.output)}, which does not exist (ids 0..${n - 1})`,
    );
    check(
      produced[node.output] === 0,
      'BAD_GRAPH',
      () => `${where} writes activation ${node.output}, which is already the input or another node's output`,
    );
    produced[node.output] = 1;
    checkNode(g, node, where);
    if (node.op === 'fc') {
      fcs++;
      check(
        node.output === g.outputId,
        'BAD_GRAPH',
        () => `${where} writes activation ${node.output}, but outputId is ${g.outputId}: the fc head must produce the logits`,
      );
    }
  });
  check(fcs === 1, 'BAD_GRAPH', () => `expected exactly one fc node (the head producing outputId), found ${fcs}`);
  const unused = produced.indexOf(0);
  check(unused < 0, 'BAD_GRAPH', () => `activation ${unused} is neither the input nor produced by any node`);
  const classes = acts[g.outputId].shape[2];
  check(
    g.labels.length === classes,
    'INCONSISTENT_SHAPES',
    () => `graph.labels has ${g.labels.length} entries, but the fc head has ${classes} outputs`,
  );
}

/**
 * Normalized pixels (v − mean) / std, v ∈ [0, 1], must be finite f32, both as the resize path
 * computes them (f64, then stored as f32) and as the PIL-exact path does (f32 mean and std):
 * a finite mean of 1e308 or std of 1e-300 passes validateSpec but would feed ±∞ to the network
 * (fp32: NaN logits), while a preprocessed tensor holding them is refused.
 */
function checkNormalization(g: ModelGraph): void {
  const f = Math.fround;
  g.input.mean.forEach((m, c) => {
    const s = g.input.std[c];
    for (const v of [0, 1]) {
      const ok = Number.isFinite(f((v - m) / s)) && Number.isFinite(f((v - f(m)) / f(s)));
      check(
        ok,
        'BAD_METADATA',
        () => `metadata graph.input: channel ${c}: (${v} − mean ${m}) / std ${s} is not a finite f32, so normalized pixels would be ±∞`,
      );
    }
  });
}

/** int8: u8 quantization on every activation except the f32 logits; fp32: none anywhere. */
function checkQuant(g: ModelGraph, id: number): void {
  const q = g.activations[id].quant;
  if (g.precision === 'fp32' || id === g.outputId) {
    check(
      q === undefined,
      'BAD_METADATA',
      () =>
        `activation ${id} has quant, but ${g.precision === 'fp32' ? 'an fp32 graph has no quantized activations' : 'the logits are f32'}`,
    );
    return;
  }
  check(
    q !== undefined,
    'BAD_METADATA',
    () => `activation ${id} has no quant; an int8 graph needs { scale, zeroPoint } on every activation but the logits`,
  );
  check(
    Number.isFinite(q.scale) && q.scale > 0,
    'BAD_METADATA',
    () => `activation ${id}: quant.scale must be finite and > 0, found ${fmt(q.scale)}`,
  );
  check(
    isInt(q.zeroPoint, 0, 255),
    'BAD_METADATA',
    () => `activation ${id}: quant.zeroPoint must be an integer in [0, 255], found ${fmt(q.zeroPoint)}`,
  );
}

function expectShape(g: ModelGraph, id: number, want: number[], why: string): void {
  const got = g.activations[id].shape;
  check(
    got[0] === want[0] && got[1] === want[1] && got[2] === want[2],
    'INCONSISTENT_SHAPES',
    () => `activation ${id} has shape ${fmt(got)}; ${why} requires ${fmt(want)}`,
  );
}

function params(where: string, fields: Record<string, [unknown, number, number]>): void {
  for (const [k, [v, lo, hi]] of Object.entries(fields)) {
    check(isInt(v, lo, hi), 'BAD_METADATA', () => `${where}: ${k} must be an integer in [${lo}, ${hi}], found ${fmt(v)}`);
  }
}

/** Ops that move u8 values without requantizing must keep their input's quantization. */
function sameQuant(g: ModelGraph, from: number, to: number, where: string): void {
  const [a, b] = [g.activations[from].quant, g.activations[to].quant];
  if (g.precision !== 'int8' || !a || !b) return;
  check(
    a.scale === b.scale && a.zeroPoint === b.zeroPoint,
    'BAD_METADATA',
    () =>
      `${where} copies u8 values, so activation ${to} must keep activation ${from}'s quant ${fmt([a.scale, a.zeroPoint])}, found ${fmt([b.scale, b.zeroPoint])}`,
  );
}

function checkNode(g: ModelGraph, n: Node, where: string): void {
  const [h, w, c] = g.activations[nodeInputs(n)[0]].shape;
  switch (n.op) {
    case 'conv': {
      check(
        Array.isArray(n.pad) && n.pad.length === 4,
        'BAD_METADATA',
        () => `${where}: pad must be [top, left, bottom, right], found ${fmt(n.pad)}`,
      );
      const [pt, pl, pb, pr] = n.pad;
      params(where, {
        kernelH: [n.kernelH, 1, MAX_DIM],
        kernelW: [n.kernelW, 1, MAX_DIM],
        stride: [n.stride, 1, MAX_DIM],
        cin: [n.cin, 1, MAX_DIM],
        cout: [n.cout, 1, MAX_DIM],
        'pad[0]': [pt, 0, MAX_DIM],
        'pad[1]': [pl, 0, MAX_DIM],
        'pad[2]': [pb, 0, MAX_DIM],
        'pad[3]': [pr, 0, MAX_DIM],
      });
      check(c === n.cin, 'INCONSISTENT_SHAPES', () => `${where}: cin is ${n.cin}, but its input activation ${n.input} has ${c} channels`);
      const oh = Math.floor((h + pt + pb - n.kernelH) / n.stride) + 1;
      const ow = Math.floor((w + pl + pr - n.kernelW) / n.stride) + 1;
      expectShape(
        g,
        n.output,
        [oh, ow, n.cout],
        `${where} (${n.kernelH}×${n.kernelW} stride ${n.stride} pad ${fmt(n.pad)} on ${h}×${w}, cout ${n.cout})`,
      );
      if (n.residual !== undefined) {
        check(
          g.precision === 'int8',
          'BAD_METADATA',
          () => `${where}: residual is an int8-only field (the fp32 graph keeps its add nodes)`,
        );
        expectShape(g, n.residual, [oh, ow, n.cout], `${where} (its residual is added to its output)`);
      }
      return;
    }
    case 'maxpool': {
      // pad < kernel keeps every window overlapping the input, so no max is over an empty set.
      params(where, { kernel: [n.kernel, 1, MAX_DIM], stride: [n.stride, 1, MAX_DIM], pad: [n.pad, 0, Math.max(0, n.kernel - 1)] });
      const o = (x: number) => Math.floor((x + 2 * n.pad - n.kernel) / n.stride) + 1;
      expectShape(g, n.output, [o(h), o(w), c], `${where} (${n.kernel}×${n.kernel} stride ${n.stride} pad ${n.pad} on ${h}×${w})`);
      sameQuant(g, n.input, n.output, where);
      return;
    }
    case 'add':
      expectShape(g, n.b, [h, w, c], `${where} (to match its operand ${n.a})`);
      expectShape(g, n.output, [h, w, c], `${where} (same shape as its operands)`);
      return;
    case 'gavgpool':
      expectShape(g, n.output, [1, 1, c], `${where} (global average pool of ${h}×${w}×${c})`);
      return;
    case 'fc':
      params(where, { cin: [n.cin, 1, MAX_DIM], cout: [n.cout, 1, MAX_DIM] });
      expectShape(g, n.input, [1, 1, n.cin], `${where} (input [1, 1, cin = ${n.cin}])`);
      expectShape(g, n.output, [1, 1, n.cout], `${where} (cout ${n.cout})`);
      return;
    case 'pad_shortcut':
      params(where, { stride: [n.stride, 1, MAX_DIM], cout: [n.cout, c, MAX_DIM] });
      if (n.channelOffset !== undefined) params(where, { channelOffset: [n.channelOffset, 0, n.cout - c] });
      expectShape(
        g,
        n.output,
        [Math.ceil(h / n.stride), Math.ceil(w / n.stride), n.cout],
        `${where} (subsample ${h}×${w} by ${n.stride}, pad ${c} → ${n.cout} channels)`,
      );
      sameQuant(g, n.input, n.output, where);
      return;
    default:
      throw new PackFormatError('BAD_METADATA', `${where}: unknown op ${fmt((n as { op: unknown }).op)}`);
  }
}
