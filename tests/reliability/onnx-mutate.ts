// Seeded mutations of the tiny fixture ONNX files (tests/fixtures/make-resnet-onnx.ts) for the
// converter fuzz: protobuf bytes (bit flips, truncation, junk, deleted spans) and structured
// edits of the decoded ModelProto — attribute values and types, missing or added attributes,
// missing initializers, wrong dims / data types / data lengths, non-finite weights, unsupported
// or misplaced ops, rewired inputs and outputs, reordered or dropped nodes, graph input shapes,
// opsets and IR versions — re-encoded with protobufjs.
import { modelProtoType } from '../../weights/convert/onnx-schema.ts';
import type { Rng } from '../helpers/rng.ts';

// biome-ignore lint/suspicious/noExplicitAny: decoded protobuf messages are untyped (protobufjs reflection, no generated classes)
type Msg = any;

export interface OnnxMutation {
  bytes: Uint8Array;
  kind: string;
  what: string;
}

const T = () => modelProtoType();

/** A decoded model whose arrays can be edited without touching the template. */
function editable(base: Msg): Msg {
  const g = base.graph;
  return {
    ...base,
    opset_import: base.opset_import.map((o: Msg) => ({ ...o })),
    graph: {
      ...g,
      node: g.node.map((n: Msg) => ({
        ...n,
        input: [...n.input],
        output: [...n.output],
        attribute: n.attribute.map((a: Msg) => ({ ...a })),
      })),
      initializer: g.initializer.map((t: Msg) => ({ ...t, dims: [...t.dims] })),
      input: g.input.map((v: Msg) => structuredClone(toPlain(v))),
      output: g.output.map((v: Msg) => structuredClone(toPlain(v))),
    },
  };
}

const toPlain = (v: Msg): Msg =>
  JSON.parse(
    JSON.stringify(v, (_, x) =>
      x && typeof x === 'object' && 'low' in x && 'high' in x
        ? Number(BigInt.asIntN(64, (BigInt(x.high) << 32n) | BigInt(x.low >>> 0)))
        : x,
    ),
  );

const encode = (m: Msg): Uint8Array => T().encode(m).finish();

const INTS: number[][] = [
  [],
  [0],
  [-1],
  [0, 0],
  [1, 1, 1],
  [2 ** 31, 2 ** 31],
  [1e12, 1e12],
  [3, 3],
  [1, 2],
  [2, 2],
  [7, 7, 7, 7],
  [0, 0, 0, 0],
  [-1, -1, -1, -1],
  [1, 1, 1, 1, 1, 1, 1, 1],
  [5, 5],
  [1, 0],
  [9999, 9999],
];
const INT = [0, -1, 2, 3, 1e12, -1e12, 2 ** 31];
const FLOAT = [NaN, Infinity, -Infinity, -1, 0, 1e30, 1e-30, 2];
const STRING = ['', 'SAME_UPPER', 'SAME_LOWER', 'VALID', 'NOTSET', 'reflect', 'edge', 'bogus', '\u0000'];
const enc = new TextEncoder();

function attrValue(r: Rng, m: Msg): string {
  const nodes = m.graph.node.filter((n: Msg) => n.attribute.length);
  const n = r.pick(nodes) as Msg;
  const a = r.pick(n.attribute) as Msg;
  if (r.next() < 0.2) {
    a.type = r.int(0, 14);
    return `${n.name} ${a.name}.type = ${a.type}`;
  }
  switch (a.type) {
    case 7:
      a.ints = r.pick(INTS);
      return `${n.name} ${a.name} = [${a.ints}]`;
    case 2:
      a.i = r.pick(INT);
      return `${n.name} ${a.name} = ${a.i}`;
    case 1:
      a.f = r.pick(FLOAT);
      return `${n.name} ${a.name} = ${a.f}`;
    case 3: {
      const s = r.pick(STRING);
      a.s = enc.encode(s);
      return `${n.name} ${a.name} = '${s}'`;
    }
    default:
      a.ints = r.pick(INTS);
      a.type = 7;
      return `${n.name} ${a.name} → ints [${a.ints}]`;
  }
}

const EXTRA_ATTRS: [string, Msg][] = [
  ['group', { type: 2, i: 2 }],
  ['dilations', { type: 7, ints: [2, 2] }],
  ['auto_pad', { type: 3, s: enc.encode('SAME_UPPER') }],
  ['auto_pad', { type: 3, s: enc.encode('VALID') }],
  ['ceil_mode', { type: 2, i: 1 }],
  ['transA', { type: 2, i: 1 }],
  ['transB', { type: 2, i: 0 }],
  ['training_mode', { type: 2, i: 1 }],
  ['axis', { type: 2, i: 0 }],
  ['keepdims', { type: 2, i: 0 }],
  ['alpha', { type: 1, f: 0.5 }],
  ['strides', { type: 7, ints: [2, 1] }],
  ['pads', { type: 7, ints: [1, 2, 3] }],
  ['kernel_shape', { type: 7, ints: [2, 3] }],
  ['value', { type: 4 }],
  ['epsilon', { type: 1, f: -1 }],
  ['mode', { type: 3, s: enc.encode('reflect') }],
];

function attrAddRemove(r: Rng, m: Msg): string {
  const n = r.pick(m.graph.node) as Msg;
  if (n.attribute.length && r.next() < 0.5) {
    const i = r.int(0, n.attribute.length - 1);
    const [a] = n.attribute.splice(i, 1);
    return `${n.name}: drop attribute ${a.name}`;
  }
  const [name, v] = r.pick(EXTRA_ATTRS);
  n.attribute = n.attribute.filter((a: Msg) => a.name !== name);
  n.attribute.push({ name, ...v });
  return `${n.name}: attribute ${name} = ${JSON.stringify(v)}`;
}

function initRemove(r: Rng, m: Msg): string {
  const i = r.int(0, m.graph.initializer.length - 1);
  const [t] = m.graph.initializer.splice(i, 1);
  return `drop initializer ${t.name}`;
}

function initDims(r: Rng, m: Msg): string {
  const t = r.pick(m.graph.initializer) as Msg;
  const d = t.dims;
  const op = r.int(0, 5);
  if (op === 0 && d.length) d.pop();
  else if (op === 1) d.push(1);
  else if (op === 2 && d.length > 1) [d[0], d[1]] = [d[1], d[0]];
  else if (d.length) d[r.int(0, d.length - 1)] = r.pick([0, -1, 1, 2, 2 ** 31, 2 ** 40, -(2 ** 40), 3, 1000]);
  else d.push(r.pick([0, 1, 2]));
  return `${t.name}.dims = [${d.map(Number)}]`;
}

/** New dims with data to match, so the tensor decodes and the matcher sees the wrong shape. */
function initReshape(r: Rng, m: Msg): string {
  const floats = m.graph.initializer.filter((t: Msg) => t.data_type === 1 && t.raw_data?.length);
  if (!floats.length) return initDims(r, m);
  const t = r.pick(floats) as Msg;
  const d = t.dims.map(Number);
  const i = r.int(0, Math.max(0, d.length - 1));
  if (d.length) d[i] = Math.max(1, d[i] + r.pick([-1, 1, 2, 5]));
  if (r.next() < 0.2) d.push(r.int(1, 3));
  const count = d.reduce((a: number, b: number) => a * b, 1);
  const raw = new Uint8Array(count * 4);
  raw.set(t.raw_data.subarray(0, Math.min(raw.length, t.raw_data.length)));
  t.dims = d;
  t.raw_data = raw;
  return `${t.name} reshaped to [${d}] with data`;
}

function initType(r: Rng, m: Msg): string {
  const t = r.pick(m.graph.initializer) as Msg;
  t.data_type = r.pick([0, 2, 3, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 99, -1]);
  return `${t.name}.data_type = ${t.data_type}`;
}

function initData(r: Rng, m: Msg): string {
  const t = r.pick(m.graph.initializer) as Msg;
  const op = r.int(0, 7);
  const raw: Uint8Array | undefined = t.raw_data?.length ? t.raw_data : undefined;
  if (op === 0 && raw) (t.raw_data = raw.subarray(0, r.int(0, raw.length - 1))), 0;
  else if (op === 1 && raw) t.raw_data = Uint8Array.from([...raw, ...new Uint8Array(r.pick([1, 4, 8, 100]))]);
  else if (op === 2) (t.raw_data = new Uint8Array(0)), (t.float_data = []), (t.int64_data = []);
  else if (op === 3) t.data_location = 1;
  else if (op === 4) t.external_data = [{ key: 'location', value: 'weights.bin' }];
  else if (op === 5 && raw && t.data_type === 1) {
    // Non-finite weights, or a BatchNorm variance that makes √(var + ε) NaN.
    const copy = raw.slice();
    const v = new DataView(copy.buffer);
    const x = /running_var/.test(t.name) ? r.pick([-1, -1e-3, NaN]) : r.pick([NaN, Infinity, -Infinity, 3.4e38]);
    for (let k = r.int(1, 3); k > 0; k--) v.setFloat32(4 * r.int(0, copy.length / 4 - 1), x, true);
    t.raw_data = copy;
    return `${t.name}: values set to ${x}`;
  } else if (op === 6 && raw) (t.float_data = [1, 2, 3]), (t.raw_data = new Uint8Array(0));
  else t.name = r.pick(['', 'input', (r.pick(m.graph.initializer) as Msg).name, 'x'.repeat(300)]);
  return `${t.name || '(unnamed)'}: data op ${op}`;
}

const OPS = [
  'Sigmoid',
  'LeakyRelu',
  'ConvTranspose',
  'Loop',
  'If',
  'Resize',
  '',
  'conv',
  'Gemm',
  'MatMul',
  'Add',
  'Relu',
  'BatchNormalization',
  'Flatten',
  'Reshape',
  'GlobalAveragePool',
  'MaxPool',
  'AveragePool',
  'ReduceMean',
  'Softmax',
  'Slice',
  'Pad',
  'Identity',
  'Dropout',
  'Constant',
  'Shape',
  'Concat',
  'Mul',
  'Squeeze',
  'Gather',
  'Cast',
  'Conv',
];

function opType(r: Rng, m: Msg): string {
  const n = r.pick(m.graph.node) as Msg;
  if (r.next() < 0.15) {
    n.domain = r.pick(['com.microsoft', 'ai.onnx.ml', 'ai.onnx', 'x']);
    return `${n.name}.domain = ${n.domain}`;
  }
  const old = n.op_type;
  n.op_type = r.pick(OPS);
  return `${n.name}: ${old} → ${n.op_type}`;
}

function wiring(r: Rng, m: Msg): string {
  const nodes = m.graph.node;
  const n = r.pick(nodes) as Msg;
  const values = [
    ...nodes.flatMap((x: Msg) => x.output),
    ...m.graph.initializer.map((t: Msg) => t.name),
    m.graph.input[0]?.name,
    '',
    'nonexistent',
  ];
  const op = r.int(0, 5);
  if (op === 0 && n.input.length) {
    const i = r.int(0, n.input.length - 1);
    n.input[i] = r.pick(values);
    return `${n.name}.input[${i}] = '${n.input[i]}'`;
  }
  if (op === 1) {
    n.input.push(r.pick(values));
    return `${n.name}: extra input`;
  }
  if (op === 2 && n.input.length) {
    n.input.pop();
    return `${n.name}: last input dropped`;
  }
  if (op === 3) {
    n.output[0] = r.pick(values);
    return `${n.name}.output[0] = '${n.output[0]}'`;
  }
  if (op === 4) {
    n.output.push(r.pick(['extra', n.output[0]]));
    return `${n.name}: extra output`;
  }
  const i = r.int(0, nodes.length - 1);
  const j = r.int(0, nodes.length - 1);
  [nodes[i], nodes[j]] = [nodes[j], nodes[i]];
  return `swap nodes ${i} and ${j}`;
}

function nodeRemoveDup(r: Rng, m: Msg): string {
  const nodes = m.graph.node;
  const i = r.int(0, nodes.length - 1);
  if (r.next() < 0.6) {
    const [n] = nodes.splice(i, 1);
    return `drop node ${n.name} (${n.op_type})`;
  }
  nodes.splice(r.int(0, nodes.length), 0, { ...nodes[i] });
  return `duplicate node ${nodes[i].name}`;
}

function graphIO(r: Rng, m: Msg): string {
  const g = m.graph;
  const inp = g.input[0];
  const op = r.int(0, 8);
  const dims = inp?.type?.tensor_type?.shape?.dim;
  if (op === 0 && dims?.length) {
    const i = r.int(0, dims.length - 1);
    dims[i] =
      r.next() < 0.2
        ? { dim_param: r.pick(['N', '', 'height']) }
        : { dim_value: r.pick([0, -1, 1, 2, 3, 5, 2 ** 31, 1e6, 5000, 40000, 7]) };
    return `input dim ${i} = ${JSON.stringify(dims[i])}`;
  }
  if (op === 1 && dims) {
    if (r.next() < 0.5) dims.pop();
    else dims.push({ dim_value: 1 });
    return `input rank ${dims.length}`;
  }
  if (op === 2 && inp?.type?.tensor_type) {
    inp.type.tensor_type.elem_type = r.pick([0, 2, 7, 10, 11]);
    return `input elem_type ${inp.type.tensor_type.elem_type}`;
  }
  if (op === 3) {
    g.input = [];
    return 'no graph input';
  }
  if (op === 4 && inp) {
    g.input.push({ ...structuredClone(inp), name: 'second' });
    return 'a second graph input';
  }
  if (op === 5 && inp) {
    delete inp.type;
    return 'input without a type (no shape)';
  }
  if (op === 6) {
    g.output = [];
    return 'no graph output';
  }
  if (op === 7) {
    g.output.push({ ...structuredClone(g.output[0]), name: r.pick(['extra', g.node[0].output[0]]) });
    return 'a second graph output';
  }
  const out = g.output[0];
  out.name = r.pick([g.node[r.int(0, g.node.length - 1)].output[0], 'nonexistent', g.input[0]?.name ?? 'x']);
  return `graph output = '${out.name}'`;
}

function opsetIr(r: Rng, m: Msg): string {
  if (r.next() < 0.3) {
    m.ir_version = r.pick([0, 1, 3, 100, -1]);
    return `ir_version ${m.ir_version}`;
  }
  const op = r.int(0, 3);
  if (op < 2 && m.opset_import.length === 0) m.opset_import.push({ domain: '', version: 13 }); // an earlier edit of this case emptied it
  if (op === 0) m.opset_import[0].version = r.pick([0, 1, 8, 9, 11, 18, 21, 22, 100, 2 ** 40, -1]);
  else if (op === 1) m.opset_import[0].domain = r.pick(['ai.onnx.ml', 'com.microsoft', 'ai.onnx']);
  else if (op === 2) m.opset_import = [];
  else m.opset_import.push({ domain: '', version: 7 });
  return `opset_import ${JSON.stringify(m.opset_import.map((o: Msg) => [o.domain, Number(o.version)]))}`;
}

// ---- bytes ----------------------------------------------------------------------------------

/** Where the structure lives: outside the big raw_data blobs (flips in weights are boring). */
function structuralOffset(r: Rng, bytes: Uint8Array, blobs: [number, number][]): number {
  for (let k = 0; k < 20; k++) {
    const at = r.int(0, bytes.length - 1);
    if (!blobs.some(([s, e]) => at >= s && at < e) || r.next() < 0.1) return at;
  }
  return r.int(0, bytes.length - 1);
}

function byteLevel(r: Rng, bytes: Uint8Array, blobs: [number, number][]): OnnxMutation {
  const op = r.int(0, 4);
  let b: Uint8Array;
  let what: string;
  if (op === 0) {
    b = bytes.slice();
    const k = r.int(1, 16);
    for (let i = 0; i < k; i++) b[structuralOffset(r, b, blobs)] ^= 1 << r.int(0, 7);
    what = `${k} bit flips`;
  } else if (op === 1) {
    const n = r.int(0, bytes.length - 1);
    b = bytes.slice(0, n);
    what = `truncated to ${n}`;
  } else if (op === 2) {
    const at = structuralOffset(r, bytes, blobs);
    const junk = Uint8Array.from({ length: r.int(1, 12) }, () => r.pick([0, 0xff, 0x80, 0x0a, 0x12, 0x08, r.int(0, 255)]));
    b = new Uint8Array(bytes.length + junk.length);
    b.set(bytes.subarray(0, at));
    b.set(junk, at);
    b.set(bytes.subarray(at), at + junk.length);
    what = `${junk.length} junk bytes at ${at}`;
  } else if (op === 3) {
    const at = structuralOffset(r, bytes, blobs);
    const len = r.int(1, 64);
    b = new Uint8Array(bytes.length - Math.min(len, bytes.length - at));
    b.set(bytes.subarray(0, at));
    b.set(bytes.subarray(at + len), at);
    what = `deleted [${at}, ${at + len})`;
  } else {
    b = bytes.slice();
    const at = structuralOffset(r, b, blobs);
    b.fill(0xff, at, Math.min(b.length, at + r.int(1, 10))); // an endless varint
    what = `0xff run at ${at}`;
  }
  return { bytes: b, kind: 'bytes', what };
}

export interface OnnxBase {
  bytes: Uint8Array;
  decoded: Msg;
  /** Byte ranges of raw_data blobs (mutations avoid them most of the time). */
  blobs: [number, number][];
}

export function onnxBase(encoded: Uint8Array): OnnxBase {
  // protobufjs hands out Node Buffers, whose slice() is a view: work on a plain copy, or a
  // mutation would write into the template.
  const bytes = Uint8Array.from(encoded);
  const decoded = T().decode(bytes);
  const blobs: [number, number][] = [];
  for (const t of (decoded as Msg).graph.initializer) {
    const raw: Uint8Array | undefined = t.raw_data;
    if (!raw?.length) continue;
    const start = raw.byteOffset - bytes.byteOffset; // protobufjs hands out views of the input
    if (start >= 0 && start + raw.length <= bytes.length && raw.buffer === bytes.buffer) blobs.push([start, start + raw.length]);
  }
  return { bytes, decoded, blobs };
}

const STRUCTURED: [string, (r: Rng, m: Msg) => string, number][] = [
  ['attr:value', attrValue, 14],
  ['attr:add-remove', attrAddRemove, 8],
  ['init:remove', initRemove, 6],
  ['init:dims', initDims, 6],
  ['init:reshape', initReshape, 8],
  ['init:type', initType, 4],
  ['init:data', initData, 8],
  ['op', opType, 10],
  ['wiring', wiring, 10],
  ['node:remove-dup', nodeRemoveDup, 6],
  ['graph-io', graphIO, 8],
  ['opset-ir', opsetIr, 4],
];
const WEIGHT = STRUCTURED.reduce((s, [, , w]) => s + w, 0);

export function mutateOnnx(r: Rng, base: OnnxBase): OnnxMutation {
  if (r.next() < 0.3) return byteLevel(r, base.bytes, base.blobs);
  const m = editable(base.decoded);
  const what: string[] = [];
  let kind = '';
  for (let k = r.next() < 0.75 ? 1 : 2; k > 0; k--) {
    let x = r.next() * WEIGHT;
    const [name, fn] = STRUCTURED.find(([, , w]) => (x -= w) < 0) ?? STRUCTURED[0];
    kind ||= name;
    what.push(fn(r, m));
  }
  let bytes: Uint8Array;
  try {
    bytes = encode(m);
  } catch (e) {
    // protobufjs refuses to encode some edits (a value of the wrong JS type): keep the original
    return { bytes: base.bytes, kind: 'unencodable', what: `${what.join('; ')} (${(e as Error).message})` };
  }
  return { bytes, kind, what: what.join('; ') };
}
