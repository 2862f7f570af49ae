// ONNX bytes → a plain graph: nodes with their attributes as JS values, initializers as
// numbers. Nothing here knows about ResNets; resnet-match.ts reads this structure.
import { ConvertError } from './errors.ts';
import { AT, DT, modelProtoType } from './onnx-schema.ts';

/** A constant tensor. Float types (f32, f64, f16, bf16) become Float32Array; integer types plain numbers (int64 exact below 2^53). */
export type OnnxTensor =
  | { name: string; dims: number[]; dataType: number; kind: 'float'; data: Float32Array }
  | { name: string; dims: number[]; dataType: number; kind: 'int'; data: number[] };

export type AttrValue = number | number[] | string | string[] | OnnxTensor;

export interface OnnxNode {
  name: string;
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attrs: Record<string, AttrValue>;
}

export interface OnnxValueInfo {
  name: string;
  elemType: number;
  /** Dimensions: a number, or the symbolic name of a free dimension ('' when unnamed). Undefined when the file gives no shape. */
  shape?: (number | string)[];
}

export interface OnnxGraph {
  irVersion: number;
  /** Version of the default ('' / 'ai.onnx') operator set. */
  opset: number;
  producer: string;
  nodes: OnnxNode[];
  initializers: Map<string, OnnxTensor>;
  /** Graph inputs that are not initializers (old IR versions list initializers as inputs too). */
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

// protobufjs hands out int64 as Long objects (or numbers when Long is absent).
type Int64 = number | { toNumber(): number };
const num = (v: Int64 | null | undefined): number => (v == null ? 0 : typeof v === 'number' ? v : v.toNumber());

// biome-ignore lint/suspicious/noExplicitAny: decoded protobuf messages are untyped (protobufjs reflection, no generated classes)
type Msg = any;

export interface ParseOptions {
  /** Called after each initializer is read (the bulk of the work on a large model). */
  onProgress?: (done: number, total: number) => void;
}

export function parseOnnx(bytes: Uint8Array, opts: ParseOptions = {}): OnnxGraph {
  let model: Msg;
  try {
    model = modelProtoType().decode(bytes);
  } catch (e) {
    throw new ConvertError('BAD_ONNX', `not a readable ONNX model (${(e as Error).message})`);
  }
  const g: Msg = model.graph;
  if (!g?.node?.length) throw new ConvertError('BAD_ONNX', 'the ONNX model has no graph (or an empty one)');
  const opsetEntry = (model.opset_import ?? []).find((o: Msg) => o.domain === '' || o.domain === 'ai.onnx');
  const initializers = new Map<string, OnnxTensor>();
  const inits: Msg[] = g.initializer ?? [];
  inits.forEach((t, i) => {
    initializers.set(t.name, readTensor(t));
    opts.onProgress?.(i + 1, inits.length);
  });
  return {
    irVersion: num(model.ir_version),
    opset: opsetEntry ? num(opsetEntry.version) : 0,
    producer: [model.producer_name, model.producer_version].filter(Boolean).join(' '),
    nodes: g.node.map(readNode),
    initializers,
    inputs: (g.input ?? []).filter((v: Msg) => !initializers.has(v.name)).map(readValueInfo),
    outputs: (g.output ?? []).map(readValueInfo),
  };
}

function readNode(n: Msg): OnnxNode {
  const attrs: Record<string, AttrValue> = {};
  for (const a of n.attribute ?? []) {
    // A TENSOR-typed attribute without its tensor (a damaged file) has nothing to read.
    if (a.type === AT.TENSOR && !a.t) {
      throw new ConvertError('BAD_ONNX', `attribute '${a.name}' is typed TENSOR but holds no tensor`, {
        name: n.name ?? '',
        opType: n.op_type ?? '',
      });
    }
    const v = readAttr(a);
    if (v !== undefined) attrs[a.name] = v;
  }
  return {
    name: n.name ?? '',
    opType: n.op_type,
    domain: n.domain ?? '',
    inputs: [...(n.input ?? [])],
    outputs: [...(n.output ?? [])],
    attrs,
  };
}

const utf8 = new TextDecoder();

function readAttr(a: Msg): AttrValue | undefined {
  // IR version 1 files have no type discriminator: infer it from the field that is set.
  const type: number =
    a.type ||
    (a.floats?.length ? AT.FLOATS : a.ints?.length ? AT.INTS : a.t ? AT.TENSOR : a.s?.length ? AT.STRING : a.i ? AT.INT : AT.FLOAT);
  switch (type) {
    case AT.FLOAT:
      return a.f ?? 0;
    case AT.INT:
      return num(a.i);
    case AT.STRING:
      return a.s instanceof Uint8Array ? utf8.decode(a.s) : ''; // absent in a damaged file: not a byte array
    case AT.TENSOR:
      return readTensor(a.t);
    case AT.FLOATS:
      return [...a.floats];
    case AT.INTS:
      return a.ints.map(num);
    case AT.STRINGS:
      return a.strings.map((s: Uint8Array) => utf8.decode(s));
    default:
      return undefined; // graphs and sparse tensors: only control-flow ops carry them, and the matcher rejects those ops
  }
}

function readValueInfo(v: Msg): OnnxValueInfo {
  const tt = v.type?.tensor_type;
  // Decoded messages carry only the fields present in the file as own properties.
  const dim = (d: Msg): number | string => (Object.hasOwn(d, 'dim_value') ? num(d.dim_value) : d.dim_param || '');
  const shape = tt?.shape ? tt.shape.dim.map(dim) : undefined;
  return { name: v.name, elemType: tt?.elem_type ?? 0, shape };
}

const FLOAT_TYPES = new Set<number>([DT.FLOAT, DT.DOUBLE, DT.FLOAT16, 16 /* BFLOAT16 */]);
const INT_BYTES: Record<number, number> = {
  [DT.UINT8]: 1,
  [DT.INT8]: 1,
  [DT.BOOL]: 1,
  [DT.UINT16]: 2,
  [DT.INT16]: 2,
  [DT.INT32]: 4,
  [DT.UINT32]: 4,
  [DT.INT64]: 8,
  [DT.UINT64]: 8,
};

export function readTensor(t: Msg): OnnxTensor {
  const name: string = t.name ?? '';
  const dims: number[] = (t.dims ?? []).map(num);
  const dataType: number = t.data_type;
  if (t.data_location === 1 || t.external_data?.length) {
    const where = (t.external_data ?? []).map((e: Msg) => `${e.key}=${e.value}`).join(', ');
    throw new ConvertError(
      'EXTERNAL_DATA',
      `tensor '${name}' keeps its data in an external file (${where || 'no location given'}); ` +
        'edge-resnet reads single-file models: re-save with the weights inside, e.g. in Python ' +
        '`onnx.save(onnx.load(path), out, save_as_external_data=False)`',
    );
  }
  const count = dims.reduce((a, b) => a * b, 1);
  // Checked before anything is allocated from it: a damaged file can declare any dims.
  if (!dims.every((d) => Number.isSafeInteger(d) && d >= 0) || !Number.isSafeInteger(count)) {
    throw new ConvertError('BAD_ONNX', `tensor '${name}' has dims [${dims}]; expected non-negative integers`);
  }
  const raw: Uint8Array | undefined = t.raw_data?.length ? t.raw_data : undefined;
  if (FLOAT_TYPES.has(dataType)) {
    const data = raw ? floatsFromRaw(raw, dataType, count, name) : floatsFromFields(t, dataType);
    if (data.length !== count) throw new ConvertError('BAD_ONNX', `tensor '${name}' has ${data.length} values for dims [${dims}]`);
    return { name, dims, dataType, kind: 'float', data };
  }
  if (INT_BYTES[dataType]) {
    if (raw && raw.byteLength !== count * INT_BYTES[dataType])
      throw new ConvertError('BAD_ONNX', `tensor '${name}' has ${raw.byteLength} raw bytes, expected ${count * INT_BYTES[dataType]}`);
    const data = raw
      ? intsFromRaw(raw, dataType, count)
      : dataType === DT.INT64
        ? t.int64_data.map(num)
        : dataType === DT.UINT64
          ? t.uint64_data.map(num)
          : [...t.int32_data];
    if (data.length !== count) throw new ConvertError('BAD_ONNX', `tensor '${name}' has ${data.length} values for dims [${dims}]`);
    return { name, dims, dataType, kind: 'int', data };
  }
  throw new ConvertError('UNSUPPORTED_DTYPE', `tensor '${name}' has data type ${dataType}, which is neither a float nor an integer type`);
}

const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

// raw_data is little-endian by spec and may sit at any byte offset of the file: f32 on a
// little-endian host is a byte copy (which realigns it), anything else goes through a DataView.
function floatsFromRaw(raw: Uint8Array, dataType: number, count: number, name: string): Float32Array {
  const width = dataType === DT.DOUBLE ? 8 : dataType === DT.FLOAT ? 4 : 2;
  if (raw.byteLength !== count * width)
    throw new ConvertError('BAD_ONNX', `tensor '${name}' has ${raw.byteLength} raw bytes, expected ${count * width}`);
  if (dataType === DT.FLOAT && LITTLE_ENDIAN) return new Float32Array(new Uint8Array(raw).buffer); // a copy (Buffer.slice would be a view)
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    if (dataType === DT.FLOAT) out[i] = dv.getFloat32(i * 4, true);
    else if (dataType === DT.DOUBLE) out[i] = dv.getFloat64(i * 8, true);
    else if (dataType === DT.FLOAT16) out[i] = halfToFloat(dv.getUint16(i * 2, true));
    else out[i] = bf16ToFloat(dv.getUint16(i * 2, true));
  }
  return out;
}

function floatsFromFields(t: Msg, dataType: number): Float32Array {
  if (dataType === DT.FLOAT) return Float32Array.from(t.float_data ?? []);
  if (dataType === DT.DOUBLE) return Float32Array.from(t.double_data ?? []);
  // float16 and bfloat16 travel bit-cast in int32_data.
  const conv = dataType === DT.FLOAT16 ? halfToFloat : bf16ToFloat;
  return Float32Array.from((t.int32_data ?? []) as number[], conv);
}

function intsFromRaw(raw: Uint8Array, dataType: number, count: number): number[] {
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    switch (dataType) {
      case DT.INT64:
        out[i] = Number(dv.getBigInt64(i * 8, true));
        break;
      case DT.UINT64:
        out[i] = Number(dv.getBigUint64(i * 8, true));
        break;
      case DT.INT32:
        out[i] = dv.getInt32(i * 4, true);
        break;
      case DT.UINT32:
        out[i] = dv.getUint32(i * 4, true);
        break;
      case DT.INT16:
        out[i] = dv.getInt16(i * 2, true);
        break;
      case DT.UINT16:
        out[i] = dv.getUint16(i * 2, true);
        break;
      case DT.INT8:
        out[i] = dv.getInt8(i);
        break;
      default:
        out[i] = dv.getUint8(i); // UINT8, BOOL
    }
  }
  return out;
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

const bfBuf = new DataView(new ArrayBuffer(4));
function bf16ToFloat(b: number): number {
  bfBuf.setUint32(0, b << 16);
  return bfBuf.getFloat32(0);
}
