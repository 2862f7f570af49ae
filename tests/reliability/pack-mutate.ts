// Seeded mutations of the committed tiny packs for the load() fuzz. Four families:
//   bytes    — bit flips, truncation/extension, header and table-record fields set to edge and
//              huge values, overlapping tensor offsets (CRC usually re-stamped so the damage
//              reaches the parser);
//   metadata — one semantic value (a shape, stride, kernel, channel count, quant scale or zero
//              point, activation id, pad, input-spec field…) set to a hostile value (NaN, 0,
//              −1, 1e30, 1e999, 2^32, a string…), or random structural/text edits of the JSON;
//   tensors  — table entries dropped/duplicated/retyped, and tensor *values* a kernel must
//              survive (NaN/∞/negative/denormal/1e30 weight scales, i32-extreme biases, NaN fp32
//              weights);
//   repaired — structural changes (input size, kernels, strides, pads, widths, classes, quant
//              parameters) followed by a repair pass that recomputes every activation shape and
//              regenerates the weight tensors, so many of these are *valid* packs with new
//              geometry: they must load and compute exactly what the int8 reference computes.
// Every pack is rebuilt with assemblePack (correct offsets and CRC) unless the family is about
// the bytes themselves.
import type { Activation, ModelGraph, Node } from '../../ts-sdk/model/graph.ts';
import { HEADER, RECORD, RECORD_SIZE } from '../../ts-sdk/pack/format.ts';
import { stampChecksum } from '../../ts-sdk/pack/header.ts';
import { assemblePack } from '../../ts-sdk/pack/writer.ts';
import type { TableEntry } from '../../ts-sdk/pack/table.ts';
import { packF32Weights, packQ8Weights } from '../../ts-sdk/kernels/packing.ts';
import type { Rng } from '../helpers/rng.ts';
import type { Parts } from '../pack/helpers.ts';

export interface Mutation {
  bytes: Uint8Array;
  /** Family/kind, for the outcome table. */
  kind: string;
  /** What was done, for failure messages. */
  what: string;
  /** A repaired pack with an over-4-GiB arena: must be refused, and must never be run. */
  huge?: boolean;
}

/** A pack taken apart: the metadata document and the tensors, editable. */
interface Pk {
  doc: { graph: ModelGraph; extra?: unknown };
  entries: TableEntry[];
  data: Uint8Array[];
}

const clonePk = (p: Parts): Pk => ({
  doc: JSON.parse(p.meta),
  entries: p.entries.map((e) => ({ ...e, dims: [...e.dims] })),
  data: [...p.data],
});

// JSON cannot carry these; sentinels are swapped in after stringify.
const SENTINELS: Record<string, string> = { __NAN__: 'NaN', __INF__: '1e999', __NINF__: '-1e999', __NEG0__: '-0' };
function pkBytes(p: Pk): Uint8Array {
  let text = JSON.stringify(p.doc);
  for (const [s, v] of Object.entries(SENTINELS)) text = text.split(`"${s}"`).join(v);
  return assemblePack(text, p.entries, p.data);
}

const HOSTILE: unknown[] = [
  '__NAN__',
  '__INF__',
  '__NINF__',
  '__NEG0__',
  0,
  -1,
  0.5,
  1.5,
  1e30,
  -1e30,
  1e-30,
  1e-45,
  5e-324,
  1e308,
  2 ** 31,
  2 ** 32,
  2 ** 32 + 1,
  2 ** 53 + 2,
  65535,
  65536,
  65537,
  32768,
  32769,
  255,
  256,
  1,
  2,
  3,
  7,
  null,
  true,
  '3',
  [],
  {},
  [1, 2],
  -0.5,
];

/** A 32-bit field value that tends to break readers: edges, powers of two, near a meaningful value, random. */
export const interesting = (r: Rng, near: number): number =>
  r.pick([
    0,
    1,
    2,
    7,
    8,
    63,
    64,
    65,
    255,
    256,
    0x7fffffff,
    0x80000000,
    0xffffffff,
    0xfffffffc,
    0xffffffc0,
    near,
    near + 1,
    near - 1,
    near + 8,
    near - 8,
    near + 64,
    near - 64,
    near * 2,
    r.int(0, 0xffffffff),
  ]) >>> 0;

// ---- byte-level -----------------------------------------------------------------------------

function bitFlips(r: Rng, base: Uint8Array): Mutation {
  const b = base.slice();
  const k = r.int(1, 8);
  for (let i = 0; i < k; i++) b[r.int(0, b.length - 1)] ^= 1 << r.int(0, 7);
  const fix = r.next() < 0.8;
  if (fix) stampChecksum(b);
  return { bytes: b, kind: 'bytes:flip', what: `${k} bit flips${fix ? ', CRC re-stamped' : ''}` };
}

function cut(r: Rng, base: Uint8Array): Mutation {
  const n = r.next() < 0.6 ? r.int(0, base.length - 1) : base.length + r.int(1, 300);
  const c = new Uint8Array(n);
  c.set(base.subarray(0, Math.min(n, base.length)));
  if (n >= 16 && r.next() < 0.5) new DataView(c.buffer).setUint32(HEADER.fileSize, n, true);
  if (n >= 68 && r.next() < 0.7) stampChecksum(c);
  return { bytes: c, kind: 'bytes:cut', what: `length ${base.length} → ${n}` };
}

function headerField(r: Rng, base: Uint8Array): Mutation {
  const b = base.slice();
  const v = new DataView(b.buffer);
  const [name, off] = r.pick(Object.entries(HEADER).filter(([, o]) => o >= 12 && o < 44));
  const val = interesting(r, v.getUint32(off, true));
  v.setUint32(off, val, true);
  stampChecksum(b);
  return { bytes: b, kind: 'bytes:header', what: `header ${name} = ${val}` };
}

function recordField(r: Rng, base: Uint8Array, p: Parts): Mutation {
  const b = base.slice();
  const v = new DataView(b.buffer);
  const i = r.int(0, p.header.tensorCount - 1);
  const rec = p.header.tableOffset + i * RECORD_SIZE;
  const [name, f] = r.pick(Object.entries(RECORD));
  let what: string;
  if (f === RECORD.dtype || f === RECORD.layout || f === RECORD.rank || f === RECORD.reserved0) {
    b[rec + f] = r.pick([0, 1, 2, 3, 4, 5, 6, 7, 255]);
    what = `record ${i} ${name} = ${b[rec + f]}`;
  } else {
    const at = f === RECORD.dims ? rec + f + 4 * r.int(0, 5) : rec + f;
    const val = interesting(r, v.getUint32(at, true));
    v.setUint32(at, val, true);
    what = `record ${i} ${name} @${at - rec} = ${val}`;
  }
  stampChecksum(b);
  return { bytes: b, kind: 'bytes:record', what };
}

/** Two records pointing at the same bytes, or one reaching into the next tensor. */
function overlap(r: Rng, base: Uint8Array, p: Parts): Mutation {
  const b = base.slice();
  const v = new DataView(b.buffer);
  const i = r.int(1, p.header.tensorCount - 1);
  const rec = (k: number) => p.header.tableOffset + k * RECORD_SIZE;
  const prev = p.entries[i - 1];
  let what: string;
  if (r.next() < 0.5) {
    v.setUint32(rec(i) + RECORD.dataOffset, prev.offset, true);
    what = `record ${i} offset = record ${i - 1}'s (${prev.offset})`;
  } else {
    // Grow the previous tensor's declared length (and its dims' first axis) into tensor i.
    v.setUint32(rec(i - 1) + RECORD.byteLength, prev.byteLength + r.pick([64, 128, p.entries[i].byteLength]), true);
    what = `record ${i - 1} byteLength reaches into record ${i}`;
  }
  stampChecksum(b);
  return { bytes: b, kind: 'bytes:overlap', what };
}

// ---- metadata -------------------------------------------------------------------------------

/** Every numeric (or numeric-array element) path in the graph document, as [parent, key] getters. */
function numericSlots(g: ModelGraph): [string, Record<string | number, unknown>, string | number][] {
  const out: [string, Record<string | number, unknown>, string | number][] = [];
  const walk = (o: unknown, path: string) => {
    if (Array.isArray(o))
      o.forEach((x, i) => (typeof x === 'number' ? out.push([`${path}[${i}]`, o as never, i]) : walk(x, `${path}[${i}]`)));
    else if (o && typeof o === 'object') {
      for (const [k, x] of Object.entries(o)) {
        if (typeof x === 'number') out.push([`${path}.${k}`, o as never, k]);
        else walk(x, `${path}.${k}`);
      }
    }
  };
  walk(g, 'graph');
  return out;
}

function semanticValue(r: Rng, p: Parts, precision: string): Mutation {
  const pk = clonePk(p);
  const slots = numericSlots(pk.doc.graph);
  // Favour the fields the kernels' arithmetic depends on.
  const hot = slots.filter(([path]) =>
    /shape|stride|kernel|pad|cin|cout|scale|zeroPoint|Id|input|output|\.a$|\.b$|height|width|channels|resize|mean|std/.test(path),
  );
  const [path, parent, key] = r.pick(r.next() < 0.85 && hot.length ? hot : slots);
  const old = parent[key];
  const val = r.next() < 0.25 && typeof old === 'number' ? old + r.pick([-1, 1, -2, 2, 8, -8, 0.5]) : r.pick(HOSTILE);
  parent[key] = val as never;
  let what = `${path}: ${String(old)} → ${JSON.stringify(val)}`;
  if (r.next() < 0.3) {
    repairShapes(pk.doc.graph);
    repairTensors(r, pk, precision);
    what += ' (shapes repaired)';
  }
  return { bytes: pkBytes(pk), kind: 'meta:value', what };
}

/** A random JSON value for a metadata field: hostile numbers and strings, nulls, nested arrays and objects. */
export function randomJson(r: Rng, depth = 0): unknown {
  switch (r.int(0, depth > 1 ? 5 : 7)) {
    case 0:
      return r.pick([0, -1, 1, 1.5, 255, 256, 65536, 2 ** 31, 1e308, -0, 3]);
    case 1:
      return r.pick(['', 'conv', 'fc.bias', 'int8', 'fp32', 'resnet18', 'center', '__proto__', 'constructor', 'x'.repeat(100)]);
    case 2:
      return null;
    case 3:
      return r.next() < 0.5;
    case 4:
      return r.int(0, 20);
    case 5:
      return [r.int(1, 9), r.int(1, 9), r.int(1, 16)];
    case 6:
      return Array.from({ length: r.int(0, 4) }, () => randomJson(r, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: r.int(0, 3) }, (_, i) => [r.pick(['op', 'scale', 'id', '__proto__', 'k' + i]), randomJson(r, depth + 1)]),
      );
  }
}

function docEdit(r: Rng, p: Parts): Mutation {
  const pk = clonePk(p);
  const what: string[] = [];
  for (let k = r.int(1, 3); k > 0; k--) {
    let node: Record<string | number, unknown> = pk.doc as never;
    let key: string | number = 'graph';
    let path = '';
    for (let d = 0; d < 6 && node[key] !== null && typeof node[key] === 'object' && r.next() < 0.8; d++) {
      node = node[key] as never;
      path += `.${key}`;
      const keys: (string | number)[] = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
      if (!keys.length) break;
      key = r.pick(keys);
    }
    const op = r.int(0, 9);
    if (op === 0 && !Array.isArray(node)) delete node[key];
    else if (op === 1 && Array.isArray(node)) node.splice(Number(key), 1);
    else if (op === 2 && Array.isArray(node)) node.push(structuredClone(node[Number(key)]));
    else node[key] = randomJson(r);
    what.push(`${path}.${key} op ${op}`);
  }
  return { bytes: pkBytes(pk), kind: 'meta:doc', what: what.join('; ') };
}

function textEdit(r: Rng, p: Parts): Mutation {
  const t = p.meta;
  const i = r.int(0, t.length);
  const j = Math.min(t.length, i + r.int(0, 12));
  const ins = r.pick([
    '',
    '0',
    '-1',
    '1e999',
    'NaN',
    'Infinity',
    '"',
    '{',
    '}',
    '[',
    ']',
    ',',
    'null',
    '\u0000',
    '\ud800',
    '\ufeff',
    t.slice(i, j),
  ]);
  const text = t.slice(0, i) + ins + t.slice(r.next() < 0.5 ? j : i);
  return { bytes: assemblePack(text, p.entries, p.data), kind: 'meta:text', what: `text [${i}, ${j}) ← ${JSON.stringify(ins)}` };
}

// ---- tensors --------------------------------------------------------------------------------

function tableEdit(r: Rng, p: Parts): Mutation {
  const pk = clonePk(p);
  const { entries, data } = pk;
  const i = r.int(0, entries.length - 1);
  const j = r.int(0, entries.length - 1);
  const e = entries[i];
  const op = r.int(0, 6);
  let what = '';
  if (op === 0) (what = `drop ${e.name}`), entries.splice(i, 1), data.splice(i, 1);
  else if (op === 1) (what = `duplicate ${e.name}`), entries.push({ ...e, dims: [...e.dims] }), data.push(data[i]);
  else if (op === 2)
    (what = `swap ${e.name} ↔ ${entries[j].name}`),
      ([entries[i], entries[j]] = [entries[j], entries[i]]),
      ([data[i], data[j]] = [data[j], data[i]]);
  else if (op === 3) (what = `rename ${e.name} → ${entries[j].name}`), (e.name = entries[j].name);
  else {
    if (op === 4) e.dims[r.int(0, e.dims.length - 1)] = r.pick([1, 2, 3, 7, 8, 9, 40, 65536]);
    else if (op === 5) e.dtype = r.pick(['i8', 'u8', 'i16', 'i32', 'f32'] as const);
    else e.layout = r.pick(['plain', 'q8c2', 'f32n8'] as const);
    what = `retype ${e.name}: ${e.dtype} ${e.layout} [${e.dims}]`;
    if (r.next() < 0.3) e.byteLength = r.int(1, 5000);
    const d = new Uint8Array(e.byteLength);
    d.set(data[i].subarray(0, Math.min(d.length, data[i].length)));
    data[i] = d;
  }
  return { bytes: pkBytes(pk), kind: 'tensor:table', what };
}

const F32_HOSTILE = [NaN, Infinity, -Infinity, -1, -0, 0, 1e-45, 1e-38, 1e-30, 1e30, 3.4e38, 1e10];
const I32_HOSTILE = [0x7fffffff, -0x80000000, -1, 0, 1 << 30, -(1 << 30)];

/** Hostile values written into one tensor of `pk` (a copy of its bytes); returns what was done. */
function hostileValues(r: Rng, pk: Pk): string {
  const i = r.int(0, pk.entries.length - 1);
  const e = pk.entries[i];
  const d = pk.data[i].slice();
  pk.data[i] = d;
  const v = new DataView(d.buffer);
  const n = r.next() < 0.7 ? 1 : r.int(2, 16);
  const what: string[] = [];
  for (let k = 0; k < n; k++) {
    if (e.dtype === 'f32') {
      const at = 4 * r.int(0, d.length / 4 - 1);
      const x = r.pick(F32_HOSTILE);
      v.setFloat32(at, x, true);
      what.push(`[${at / 4}] = ${x}`);
    } else if (e.dtype === 'i32') {
      const at = 4 * r.int(0, d.length / 4 - 1);
      const x = r.pick(I32_HOSTILE);
      v.setInt32(at, x, true);
      what.push(`[${at / 4}] = ${x}`);
    } else {
      const at = r.int(0, d.length - 1);
      d[at] = r.pick([0x80, 0x7f, 0x81, 0xff, 0]); // -128 is outside the [-127, 127] the converter writes
      what.push(`[${at}] = ${d[at]}`);
    }
  }
  return `${e.name} ${what.join(', ')}`;
}

function tensorValues(r: Rng, p: Parts): Mutation {
  const pk = clonePk(p);
  const what = hostileValues(r, pk);
  return { bytes: pkBytes(pk), kind: 'tensor:values', what };
}

// ---- repaired (consistent) structural changes -----------------------------------------------

const fl = Math.floor;

/** Recomputes every activation shape from the input spec and the nodes (and the labels, cin, pass-through quant). */
export function repairShapes(g: ModelGraph): void {
  const A: Activation[] = g.activations;
  const act = (id: unknown): Activation | undefined => (typeof id === 'number' ? A[id] : undefined);
  const input = act(g.inputId);
  if (input && g.input && typeof g.input === 'object') input.shape = [g.input.height, g.input.width, g.input.channels];
  for (const n of g.nodes ?? []) {
    const src = act(n.op === 'add' ? n.a : (n as { input: number }).input);
    const dst = act(n.output);
    if (!src || !dst || !Array.isArray(src.shape)) continue;
    const [H, W, C] = src.shape;
    // The metadata JSON spells the global average pool as packs do, `gap` (the graph type says gavgpool).
    if ((n.op as string) === 'gap') {
      dst.shape = [1, 1, C];
      continue;
    }
    switch (n.op) {
      case 'conv':
        n.cin = C;
        dst.shape = [
          fl((H + n.pad[0] + n.pad[2] - n.kernelH) / n.stride) + 1,
          fl((W + n.pad[1] + n.pad[3] - n.kernelW) / n.stride) + 1,
          n.cout,
        ];
        break;
      case 'maxpool': {
        const o = (x: number) => fl((x + 2 * n.pad - n.kernel) / n.stride) + 1;
        dst.shape = [o(H), o(W), C];
        if (src.quant) dst.quant = { ...src.quant };
        break;
      }
      case 'add':
        dst.shape = [H, W, C];
        break;
      case 'fc':
        n.cin = C;
        dst.shape = [1, 1, n.cout];
        g.labels = Array.from({ length: n.cout }, (_, i) => `class ${i}`);
        break;
      case 'pad_shortcut':
        dst.shape = [Math.ceil(H / n.stride), Math.ceil(W / n.stride), n.cout];
        if (src.quant) dst.quant = { ...src.quant };
        break;
    }
  }
}

/** Regenerates the weight, bias and scale tensors of every conv/fc whose dims no longer fit. */
export function repairTensors(r: Rng, pk: Pk, precision: string): void {
  const int8 = precision === 'int8';
  // Data are made only for tensors that need replacing (random weights are the slow part).
  const set = (name: string, e: Omit<TableEntry, 'name' | 'offset' | 'byteLength'>, make: () => ArrayBufferView) => {
    const i = pk.entries.findIndex((x) => x.name === name);
    if (i >= 0 && pk.entries[i].dims.join() === e.dims.join() && pk.entries[i].dtype === e.dtype) return;
    const data = make();
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const entry: TableEntry = { name, ...e, offset: 0, byteLength: bytes.byteLength };
    if (i < 0) pk.entries.push(entry), pk.data.push(bytes);
    else (pk.entries[i] = entry), (pk.data[i] = bytes);
  };
  for (const n of pk.doc.graph.nodes ?? []) {
    if (n.op !== 'conv' && n.op !== 'fc') continue;
    const dims = n.op === 'conv' ? [n.cout, n.kernelH, n.kernelW, n.cin] : [n.cout, n.cin];
    if (!dims.every((d) => Number.isInteger(d) && d >= 1) || dims.reduce((a, b) => a * b, 1) > 1 << 22) continue; // validation's job
    const N = dims[0];
    const K = dims.slice(1).reduce((a, b) => a * b, 1);
    if (typeof n.weight !== 'string' || typeof n.bias !== 'string') continue;
    if (int8) {
      set(n.weight, { dtype: 'i8', layout: 'q8c2', dims }, () =>
        packQ8Weights(
          Int8Array.from({ length: N * K }, () => r.int(-127, 127)),
          N,
          K,
        ),
      );
      set(n.bias, { dtype: 'i32', layout: 'plain', dims: [N] }, () => Int32Array.from({ length: N }, () => r.int(-3000, 3000)));
      if (typeof n.weightScale === 'string')
        set(n.weightScale, { dtype: 'f32', layout: 'plain', dims: [N] }, () =>
          Float32Array.from({ length: N }, () => (0.3 + r.next()) / (127 * Math.sqrt(K))),
        );
    } else {
      set(n.weight, { dtype: 'f32', layout: 'f32n8', dims }, () =>
        packF32Weights(
          Float32Array.from({ length: N * K }, () => r.normal() * Math.sqrt(2 / K)),
          N,
          K,
        ),
      );
      set(n.bias, { dtype: 'f32', layout: 'plain', dims: [N] }, () => Float32Array.from({ length: N }, () => r.normal() * 0.1));
    }
  }
}

type Conv = Node & { op: 'conv' };
const convs = (g: ModelGraph) => g.nodes.filter((n): n is Conv => n.op === 'conv');
const node = <T extends Node['op']>(g: ModelGraph, op: T) => g.nodes.filter((n): n is Extract<Node, { op: T }> => n.op === op);

/** One structural change that a repair pass can make consistent. */
function structural(r: Rng, pk: Pk, precision: string): string {
  const g = pk.doc.graph;
  const kind = r.int(0, 9);
  switch (kind) {
    case 0: {
      // input size (the tiny net is built so that every stage stays consistent)
      const h = r.int(1, 40);
      const w = r.next() < 0.5 ? h : r.int(1, 40);
      g.input.height = h;
      g.input.width = w;
      return `input ${h}×${w}`;
    }
    case 1: {
      // a stage's width: every conv writing into one residual chain, plus the shortcut's cout
      const adds = node(g, 'add');
      const add = r.pick(adds);
      const width = r.int(1, 24);
      const chain = new Set<number>([add.a, add.b, add.output]);
      // Widen everything on the chain feeding this add (convs and pad_shortcut outputs).
      for (const n of g.nodes) {
        if ((n.op === 'conv' || n.op === 'pad_shortcut') && chain.has(n.output)) n.cout = width;
        if (n.op === 'maxpool' && chain.has(n.output)) for (const c of convs(g)) if (c.output === n.input) c.cout = width;
        if (n.op === 'add' && chain.has(n.output)) chain.add(n.a), chain.add(n.b);
      }
      for (const c of convs(g)) if (chain.has(c.output)) c.cout = width;
      return `width ${width} for the chain ending in activation ${add.output}`;
    }
    case 2: {
      // classes
      const fc = node(g, 'fc')[0];
      fc.cout = r.pick([1, 2, 3, 7, 8, 9, 16, 17, 40]);
      return `classes ${fc.cout}`;
    }
    case 3: {
      // a conv's kernel, shape-preserving (odd k, pad (k−1)/2 per axis) or arbitrary
      const c = r.pick(convs(g));
      if (r.next() < 0.7) {
        c.kernelH = r.pick([1, 3, 5, 7, 9]);
        c.kernelW = r.next() < 0.6 ? c.kernelH : r.pick([1, 3, 5, 7]);
        c.pad = [(c.kernelH - 1) / 2, (c.kernelW - 1) / 2, (c.kernelH - 1) / 2, (c.kernelW - 1) / 2];
      } else {
        c.kernelH = r.int(1, 8);
        c.kernelW = r.int(1, 8);
        c.pad = [r.int(0, 4), r.int(0, 4), r.int(0, 4), r.int(0, 4)];
        c.stride = r.int(1, 4);
      }
      return `conv ${c.weight}: ${c.kernelH}×${c.kernelW} s${c.stride} pad [${c.pad}]`;
    }
    case 4: {
      // stem stride and the max pool window
      const stem = convs(g)[0];
      stem.stride = r.int(1, 4);
      const mp = node(g, 'maxpool')[0];
      if (mp) {
        mp.kernel = r.int(1, 5);
        mp.pad = r.int(0, mp.kernel - 1);
        mp.stride = r.int(1, 3);
      }
      return `stem stride ${stem.stride}, maxpool ${mp?.kernel} s${mp?.stride} p${mp?.pad}`;
    }
    case 5: {
      // the option-A block's stride (its first conv and the shortcut together)
      const ps = node(g, 'pad_shortcut')[0];
      if (!ps) return 'no pad_shortcut';
      const s = r.int(1, 3);
      ps.stride = s;
      for (const c of convs(g)) if (c.input === ps.input) c.stride = s;
      return `option-A stride ${s}`;
    }
    case 6: {
      // relu flags
      const n = r.pick(g.nodes.filter((x) => x.op === 'conv' || x.op === 'add')) as Conv;
      n.relu = !n.relu;
      return `toggle relu of node writing ${n.output}`;
    }
    case 7: {
      // quantization parameters: extreme but formally valid scales, edge zero points
      if (precision !== 'int8') return 'noop (fp32)';
      const a = r.pick(g.activations.filter((x) => x.quant));
      const q = a.quant!;
      if (r.next() < 0.6) q.scale = r.pick([1e-300, 1e-45, 1e-40, 1e-38, 1e-30, 1e-10, 1e-4, 1, 1e4, 1e10, 1e30, 1e38, 3.4e38, 1e300]);
      else q.zeroPoint = r.pick([0, 1, 127, 128, 254, 255]);
      return `activation ${a.id} quant ${JSON.stringify(q)}`;
    }
    case 8: {
      // the input spec: gray networks, odd normalisation
      if (r.next() < 0.5) {
        g.input.color = 'gray-replicate';
        g.input.channels = r.pick([1, 2, 3, 4]);
      }
      g.input.mean = Array.from({ length: g.input.channels }, () => r.pick([0, 0.5, -10, 10, 1e-3]));
      g.input.std = Array.from({ length: g.input.channels }, () => r.pick([1, 0.1, 1e-3, 100, -1, 1e-30]));
      return `input ${g.input.color} ×${g.input.channels} mean [${g.input.mean}] std [${g.input.std}]`;
    }
    default: {
      // pad_shortcut growing channels by more than the branch (the adds then disagree)
      const ps = node(g, 'pad_shortcut')[0];
      if (ps) ps.cout = r.int(1, 40);
      return `pad_shortcut cout ${ps?.cout}`;
    }
  }
}

function repaired(r: Rng, p: Parts, precision: string): Mutation {
  const pk = clonePk(p);
  const what: string[] = [];
  for (let k = r.next() < 0.6 ? 1 : r.int(2, 3); k > 0; k--) what.push(structural(r, pk, precision));
  repairShapes(pk.doc.graph);
  repairTensors(r, pk, precision);
  // Sometimes also give a repaired pack hostile tensor values.
  if (r.next() < 0.15) what.push(hostileValues(r, pk));
  return { bytes: pkBytes(pk), kind: 'repaired', what: what.join('; ') };
}

/** Giant but formally valid geometry: the arena would exceed what wasm32 can address. */
function huge(r: Rng, p: Parts, precision: string): Mutation {
  const pk = clonePk(p);
  const g = pk.doc.graph;
  const side = r.pick([8192, 11000, 16384, 32768]);
  g.input.height = side;
  g.input.width = r.pick([side, 4096, 1]);
  if (r.next() < 0.5) (g.input.color = 'gray-replicate'), (g.input.channels = 1), (g.input.mean = [0.5]), (g.input.std = [0.25]);
  convs(g)[0].stride = r.pick([1, 2, 4]);
  repairShapes(g);
  repairTensors(r, pk, precision);
  return {
    bytes: pkBytes(pk),
    kind: 'huge',
    what: `input ${g.input.height}×${g.input.width}×${g.input.channels}, stem stride ${convs(g)[0].stride}`,
    huge: true,
  };
}

/** One seeded mutation of `base` (`p` = parts(base)). */
export function mutatePack(r: Rng, base: Uint8Array, p: Parts, precision: string): Mutation {
  const x = r.next();
  if (x < 0.08) return bitFlips(r, base);
  if (x < 0.13) return cut(r, base);
  if (x < 0.19) return headerField(r, base);
  if (x < 0.26) return recordField(r, base, p);
  if (x < 0.29) return overlap(r, base, p);
  if (x < 0.5) return semanticValue(r, p, precision);
  if (x < 0.55) return docEdit(r, p);
  if (x < 0.59) return textEdit(r, p);
  if (x < 0.63) return tableEdit(r, p);
  if (x < 0.71) return tensorValues(r, p);
  if (x < 0.72) return huge(r, p, precision);
  return repaired(r, p, precision);
}
