// Constant folding of the small integer/float subgraphs exporters emit to compute shapes and
// pads (torch's option-A `F.pad` exports its pads as Constant → ConstantOfShape → Concat →
// Reshape → Slice → Transpose → Reshape → Cast; `x.view(x.size(0), -1)` as Shape → Gather →
// Unsqueeze → Concat). The matcher evaluates any node whose inputs are all constants (or the
// Shape of an activation, whose shape it knows) with these ONNX semantics, so the ops that
// consume the result (Pad, Reshape, Slice…) see plain constants, whatever computed them.
// Work is bounded: every output's element count is checked before it is allocated, against a
// per-tensor cap and a budget for the whole graph.
import { ConvertError } from './errors.ts';
import type { OnnxNode, OnnxTensor } from './onnx-load.ts';
import { DT } from './onnx-schema.ts';

/** Elements one folded tensor may have (a large fc weight transposed by the exporter fits). */
export const MAX_FOLD_ELEMENTS = 1 << 22;
/** Elements all folded tensors of one graph may have together. */
export const FOLD_BUDGET = 1 << 24;

export const FOLDABLE = new Set([
  'Shape',
  'Size',
  'Gather',
  'Unsqueeze',
  'Squeeze',
  'Concat',
  'Reshape',
  'Flatten',
  'Slice',
  'Transpose',
  'Cast',
  'ConstantOfShape',
  'Range',
  'Expand',
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Mod',
  'Neg',
  'Abs',
  'Floor',
  'Ceil',
  'Min',
  'Max',
  'Equal',
  'Less',
  'Greater',
  'Not',
  'Where',
  'Tile',
]);

/** A constant during folding: row-major values, ints as exact numbers (int64 exact below 2^53). */
interface T {
  dims: number[];
  kind: 'float' | 'int';
  /** ONNX data type of the result (INT64 for shapes, BOOL for comparisons, the input's otherwise). */
  dataType: number;
  data: ArrayLike<number>;
}

const FLOAT_TYPES = new Set<number>([DT.FLOAT, DT.DOUBLE, DT.FLOAT16, 16]);
const size = (dims: number[]) => dims.reduce((a, b) => a * b, 1);

export class ConstFolder {
  private spent = 0;

  constructor(private readonly opset: number) {}

  /**
   * Evaluate `n`. `inputs[i]` is the constant at input i (undefined for an omitted optional
   * input); for Shape, `shapeOf` gives the NCHW shape of an activation input instead.
   */
  fold(n: OnnxNode, inputs: (OnnxTensor | undefined)[], shapeOf?: number[]): OnnxTensor {
    const ins = inputs.map((t) => t && ({ dims: t.dims, kind: t.kind, dataType: t.dataType, data: t.data } as T));
    const out = this.op(n, ins, shapeOf);
    const name = n.outputs[0];
    return out.kind === 'float'
      ? { name, dims: out.dims, dataType: out.dataType, kind: 'float', data: Float32Array.from(out.data) }
      : { name, dims: out.dims, dataType: out.dataType, kind: 'int', data: Array.from(out.data) };
  }

  /** Checked before any output is allocated: exporters' shape graphs are tiny, a hostile file's need not be. */
  private alloc(n: OnnxNode, dims: number[]): number {
    if (!dims.every((d) => Number.isSafeInteger(d) && d >= 0)) throw bad(n, `would produce dims [${dims}]; expected non-negative integers`);
    const count = size(dims);
    if (count > MAX_FOLD_ELEMENTS)
      throw bad(n, `would produce a constant of ${count} elements (dims [${dims}]); constant folding is capped at ${MAX_FOLD_ELEMENTS}`);
    this.spent += count;
    if (this.spent > FOLD_BUDGET)
      throw bad(
        n,
        `constant folding of this graph exceeds ${FOLD_BUDGET} elements in all; shape subgraphs of ResNet exports need a few hundred`,
      );
    return count;
  }

  private make(n: OnnxNode, like: Pick<T, 'kind' | 'dataType'>, dims: number[], at: (i: number) => number): T {
    const count = this.alloc(n, dims);
    const data = new Array<number>(count);
    for (let i = 0; i < count; i++) data[i] = at(i);
    return { dims, kind: like.kind, dataType: like.dataType, data };
  }

  private op(n: OnnxNode, x: (T | undefined)[], shapeOf?: number[]): T {
    const need = (i: number): T => {
      const t = x[i];
      if (!t) throw bad(n, `input ${i} is missing`);
      return t;
    };
    const ints = (i: number): number[] => {
      const t = need(i);
      if (t.kind !== 'int') throw bad(n, `input ${i} should hold integers`);
      return Array.from(t.data);
    };
    const optInts = (i: number, attr: string): number[] | undefined => (x[i] ? ints(i) : intsAttr(n, attr));
    const I64 = { kind: 'int' as const, dataType: DT.INT64 };
    switch (n.opType) {
      case 'Shape': {
        const full = shapeOf ?? need(0).dims;
        const r = full.length;
        const start = clampAxis(intAttr(n, 'start', 0), r);
        const end = clampAxis(intAttr(n, 'end', r), r);
        const s = full.slice(start, Math.max(start, end));
        return this.make(n, I64, [s.length], (i) => s[i]);
      }
      case 'Size':
        return this.make(n, I64, [], () => size(need(0).dims));
      case 'Gather': {
        const d = need(0);
        const idx = ints(1);
        const axis = normAxis(n, intAttr(n, 'axis', 0), d.dims.length);
        const inner = size(d.dims.slice(axis + 1));
        const len = d.dims[axis];
        const dims = [...d.dims.slice(0, axis), ...need(1).dims, ...d.dims.slice(axis + 1)];
        return this.make(n, d, dims, (i) => {
          const o = Math.floor(i / (idx.length * inner));
          const j = Math.floor(i / inner) % idx.length;
          let k = idx[j];
          if (k < 0) k += len;
          if (!(k >= 0 && k < len)) throw bad(n, `index ${idx[j]} is out of range for an axis of ${len}`);
          return d.data[(o * len + k) * inner + (i % inner)];
        });
      }
      case 'Unsqueeze': {
        const d = need(0);
        const axes = (this.opset >= 13 ? ints(1) : intsAttr(n, 'axes')) ?? [];
        const r = d.dims.length + axes.length;
        const norm = axes.map((a) => normAxis(n, a, r)).sort((a, b) => a - b);
        const dims = [...d.dims];
        for (const a of norm) dims.splice(a, 0, 1);
        return this.reshaped(n, d, dims);
      }
      case 'Squeeze': {
        const d = need(0);
        const axes = (this.opset >= 13 ? (x[1] ? ints(1) : undefined) : intsAttr(n, 'axes'))?.map((a) => normAxis(n, a, d.dims.length));
        const dims = d.dims.filter((s, i) => (axes ? !axes.includes(i) : s !== 1));
        if (axes?.some((a) => d.dims[a] !== 1)) throw bad(n, `squeezes axes [${axes}] of dims [${d.dims}]; those axes must be 1`);
        return this.reshaped(n, d, dims);
      }
      case 'Flatten': {
        const d = need(0);
        const axis = normAxis(n, intAttr(n, 'axis', 1), d.dims.length + 1);
        return this.reshaped(n, d, [size(d.dims.slice(0, axis)), size(d.dims.slice(axis))]);
      }
      case 'Reshape': {
        const d = need(0);
        const target = ints(1);
        const allowZero = intAttr(n, 'allowzero', 0) === 1;
        const dims = target.map((t, i) => (t === 0 && !allowZero ? d.dims[i] : t));
        const known = dims.filter((t) => t !== -1);
        if (dims.filter((t) => t === -1).length > 1 || known.some((t) => t === undefined || t < 0))
          throw bad(n, `cannot reshape dims [${d.dims}] to [${target}]`);
        const rest = size(known);
        const fill = rest === 0 ? 0 : size(d.dims) / rest;
        const out = dims.map((t) => (t === -1 ? fill : t));
        if (!Number.isInteger(fill) || size(out) !== size(d.dims))
          throw bad(n, `cannot reshape dims [${d.dims}] (${size(d.dims)} elements) to [${target}]`);
        return this.reshaped(n, d, out);
      }
      case 'Concat': {
        const parts = x.filter((t): t is T => t !== undefined);
        if (!parts.length) throw bad(n, 'has no inputs');
        const r = parts[0].dims.length;
        const axis = normAxis(n, intAttr(n, 'axis', 0), r);
        for (const p of parts) {
          if (p.dims.length !== r || p.dims.some((s, i) => i !== axis && s !== parts[0].dims[i]))
            throw bad(n, `concatenates dims [${parts[0].dims}] with [${p.dims}] on axis ${axis}`);
        }
        const outer = size(parts[0].dims.slice(0, axis));
        const inner = size(parts[0].dims.slice(axis + 1));
        const dims = [...parts[0].dims];
        dims[axis] = parts.reduce((a, p) => a + p.dims[axis], 0);
        const values: number[] = [];
        this.alloc(n, dims);
        for (let o = 0; o < outer; o++)
          for (const p of parts) for (let k = 0; k < p.dims[axis] * inner; k++) values.push(p.data[o * p.dims[axis] * inner + k]);
        const kind = parts.some((p) => p.kind === 'float') ? 'float' : 'int';
        return { dims, kind, dataType: parts[0].dataType, data: values };
      }
      case 'Slice': {
        const d = need(0);
        const r = d.dims.length;
        const starts = (this.opset >= 10 ? ints(1) : intsAttr(n, 'starts')) ?? [];
        const ends = (this.opset >= 10 ? ints(2) : intsAttr(n, 'ends')) ?? [];
        const axes = (this.opset >= 10 ? optInts(3, 'axes') : intsAttr(n, 'axes')) ?? starts.map((_, i) => i);
        const steps = (this.opset >= 10 && x[4] ? ints(4) : undefined) ?? starts.map(() => 1);
        if (ends.length !== starts.length || axes.length !== starts.length || steps.length !== starts.length)
          throw bad(n, 'starts, ends, axes and steps must have the same length');
        const lo = d.dims.map(() => 0);
        const step = d.dims.map(() => 1);
        const count = [...d.dims];
        axes.forEach((a0, i) => {
          const a = normAxis(n, a0, r);
          const len = d.dims[a];
          const st = steps[i];
          if (!Number.isInteger(st) || st === 0) throw bad(n, `step ${st}: expected a non-zero integer`);
          // ONNX: clamp start/end to [0, len] for positive steps, [-1, len-1] for negative ones.
          const norm = (v: number, min: number, max: number) => Math.min(max, Math.max(min, v < 0 ? v + len : v));
          const s = st > 0 ? norm(starts[i], 0, len) : norm(starts[i], -1, len - 1);
          const e = st > 0 ? norm(ends[i], 0, len) : norm(ends[i], -1, len - 1);
          lo[a] = s;
          step[a] = st;
          count[a] = Math.max(0, Math.ceil((e - s) / st));
        });
        return this.make(
          n,
          d,
          count,
          (i) =>
            d.data[
              offset(
                d.dims,
                unravel(count, i).map((c, a) => lo[a] + c * step[a]),
              )
            ],
        );
      }
      case 'Transpose': {
        const d = need(0);
        const r = d.dims.length;
        const perm = intsAttr(n, 'perm') ?? d.dims.map((_, i) => r - 1 - i);
        if (perm.length !== r || [...perm].sort((a, b) => a - b).some((p, i) => p !== i))
          throw bad(n, `perm [${perm}] is not a permutation of ${r} axes`);
        const dims = perm.map((p) => d.dims[p]);
        return this.make(n, d, dims, (i) => {
          const out = unravel(dims, i);
          const src = new Array<number>(r);
          perm.forEach((p, k) => (src[p] = out[k]));
          return d.data[offset(d.dims, src)];
        });
      }
      case 'Cast': {
        const d = need(0);
        const to = intAttr(n, 'to', 0);
        const toFloat = FLOAT_TYPES.has(to);
        const conv = (v: number) => (toFloat ? v : to === DT.BOOL ? +(v !== 0) : Math.trunc(v));
        return this.make(n, { kind: toFloat ? 'float' : 'int', dataType: to }, [...d.dims], (i) => conv(d.data[i]));
      }
      case 'ConstantOfShape': {
        const dims = ints(0);
        const v = n.attrs.value;
        const value = v && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
        const like = value ? { kind: value.kind, dataType: value.dataType } : { kind: 'float' as const, dataType: DT.FLOAT };
        const fill = value ? (value.data[0] ?? 0) : 0;
        return this.make(n, like, dims, () => fill);
      }
      case 'Range': {
        const [start, limit, delta] = [0, 1, 2].map((i) => need(i).data[0]);
        if (!(delta !== 0)) throw bad(n, 'delta must be non-zero');
        const count = Math.max(Math.ceil((limit - start) / delta), 0);
        return this.make(n, need(0), [count], (i) => start + i * delta);
      }
      case 'Expand': {
        const d = need(0);
        const dims = broadcastDims(n, d.dims, ints(1));
        return this.make(n, d, dims, (i) => d.data[broadcastIndex(dims, d.dims, i)]);
      }
      case 'Tile': {
        const d = need(0);
        const reps = ints(1);
        if (reps.length !== d.dims.length || reps.some((k) => !(k >= 0))) throw bad(n, `repeats [${reps}] do not fit dims [${d.dims}]`);
        const dims = d.dims.map((s, i) => s * reps[i]);
        return this.make(
          n,
          d,
          dims,
          (i) =>
            d.data[
              offset(
                d.dims,
                unravel(dims, i).map((c, a) => c % d.dims[a]),
              )
            ],
        );
      }
      case 'Neg':
      case 'Abs':
      case 'Floor':
      case 'Ceil':
      case 'Not': {
        const d = need(0);
        const f = { Neg: (v: number) => -v, Abs: Math.abs, Floor: Math.floor, Ceil: Math.ceil, Not: (v: number) => +!v }[n.opType]!;
        return this.make(n, d, [...d.dims], (i) => f(d.data[i]));
      }
      case 'Where': {
        const [c, a, b] = [need(0), need(1), need(2)];
        const dims = broadcastDims(n, broadcastDims(n, c.dims, a.dims), b.dims);
        return this.make(n, a.kind === 'float' || b.kind === 'float' ? { kind: 'float', dataType: DT.FLOAT } : a, dims, (i) =>
          c.data[broadcastIndex(dims, c.dims, i)] ? a.data[broadcastIndex(dims, a.dims, i)] : b.data[broadcastIndex(dims, b.dims, i)],
        );
      }
      default:
        return this.binary(
          n,
          x.filter((t): t is T => t !== undefined),
        );
    }
  }

  private reshaped(n: OnnxNode, d: T, dims: number[]): T {
    this.alloc(n, dims);
    return { ...d, dims };
  }

  // Elementwise ops with numpy broadcasting; Min/Max take any number of inputs.
  private binary(n: OnnxNode, xs: T[]): T {
    const integer = xs.every((t) => t.kind === 'int');
    const f: Record<string, (a: number, b: number) => number> = {
      Add: (a, b) => a + b,
      Sub: (a, b) => a - b,
      Mul: (a, b) => a * b,
      // Integer Div truncates toward zero, as onnxruntime's; Mod follows the divisor's sign unless fmod=1.
      Div: (a, b) => (integer ? (b === 0 ? divByZero(n) : Math.trunc(a / b)) : a / b),
      Mod: (a, b) => (intAttr(n, 'fmod', 0) ? a % b : b === 0 ? divByZero(n) : ((a % b) + b) % b),
      Min: Math.min,
      Max: Math.max,
      Equal: (a, b) => +(a === b),
      Less: (a, b) => +(a < b),
      Greater: (a, b) => +(a > b),
    };
    const fn = f[n.opType];
    if (!fn)
      throw new ConvertError('UNSUPPORTED_OP', `op ${n.opType} on constants cannot be folded (foldable: ${[...FOLDABLE].join(', ')})`, n);
    if (xs.length < 2 && !(n.opType === 'Min' || n.opType === 'Max')) throw bad(n, `needs two inputs, got ${xs.length}`);
    let acc = xs[0];
    for (const b of xs.slice(1)) {
      const dims = broadcastDims(n, acc.dims, b.dims);
      const a = acc;
      const compare = n.opType === 'Equal' || n.opType === 'Less' || n.opType === 'Greater';
      const like = compare
        ? { kind: 'int' as const, dataType: DT.BOOL }
        : a.kind === 'float' || b.kind === 'float'
          ? { kind: 'float' as const, dataType: a.kind === 'float' ? a.dataType : b.dataType }
          : a;
      acc = this.make(n, like, dims, (i) => fn(a.data[broadcastIndex(dims, a.dims, i)], b.data[broadcastIndex(dims, b.dims, i)]));
    }
    return acc;
  }
}

function bad(n: OnnxNode, message: string): ConvertError {
  return new ConvertError('UNSUPPORTED_PATTERN', `constant folding: ${message}`, n);
}

function divByZero(n: OnnxNode): never {
  throw bad(n, 'integer division by zero');
}

function intAttr(n: OnnxNode, name: string, dflt: number): number {
  const v = n.attrs[name];
  if (v === undefined) return dflt;
  if (typeof v !== 'number') throw bad(n, `attribute ${name} should be an int`);
  return v;
}

function intsAttr(n: OnnxNode, name: string): number[] | undefined {
  const v = n.attrs[name];
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((e) => typeof e !== 'number')) throw bad(n, `attribute ${name} should be a list of ints`);
  return v as number[];
}

function normAxis(n: OnnxNode, a: number, rank: number): number {
  const v = a < 0 ? a + rank : a;
  if (!(Number.isInteger(v) && v >= 0 && v < rank)) throw bad(n, `axis ${a} is out of range for rank ${rank}`);
  return v;
}

const clampAxis = (a: number, r: number) => Math.min(r, Math.max(0, a < 0 ? a + r : a));

function unravel(dims: number[], i: number): number[] {
  const out = new Array<number>(dims.length);
  for (let a = dims.length - 1; a >= 0; a--) {
    out[a] = i % dims[a];
    i = Math.floor(i / dims[a]);
  }
  return out;
}

function offset(dims: number[], idx: number[]): number {
  let o = 0;
  for (let a = 0; a < dims.length; a++) o = o * dims[a] + idx[a];
  return o;
}

function broadcastDims(n: OnnxNode, a: number[], b: number[]): number[] {
  const r = Math.max(a.length, b.length);
  const pa = [...new Array<number>(r - a.length).fill(1), ...a];
  const pb = [...new Array<number>(r - b.length).fill(1), ...b];
  return pa.map((x, i) => {
    if (x !== pb[i] && x !== 1 && pb[i] !== 1) throw bad(n, `dims [${a}] and [${b}] do not broadcast`);
    return x === 1 ? pb[i] : x;
  });
}

/** Index into a tensor of `dims` broadcast to `out`. */
function broadcastIndex(out: number[], dims: number[], i: number): number {
  const idx = unravel(out, i).slice(out.length - dims.length);
  return offset(
    dims,
    idx.map((c, a) => (dims[a] === 1 ? 0 : c)),
  );
}
