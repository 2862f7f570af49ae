// The JSON metadata section: { "graph": ModelGraph, "extra"?: object }.
// Decoding checks only that the JSON has the shape of a ModelGraph (keys and JSON types);
// whether the values make a valid network is validate-graph.ts's job, which the writer runs too.
// Unknown keys are rejected rather than ignored: a future field (say a conv dilation) that
// an old reader skipped would silently compute something else.
import type { ModelGraph } from '../model/graph.ts';
import { PackFormatError } from './errors.ts';

type Kind = 'number' | 'string' | 'boolean' | 'number[]' | 'string[]' | 'input' | 'quant' | 'activation[]' | 'node[]';
/** Field name → kind; a trailing '?' marks an optional field. Order here is the encoding order. */
type Fields = Readonly<Record<string, Kind | `${Kind}?`>>;

const GRAPH: Fields = {
  arch: 'string',
  precision: 'string',
  input: 'input',
  inputId: 'number',
  outputId: 'number',
  labels: 'string[]',
  activations: 'activation[]',
  nodes: 'node[]',
};
const INPUT: Fields = {
  height: 'number',
  width: 'number',
  channels: 'number',
  resize: 'number',
  crop: 'string',
  interpolation: 'string',
  mean: 'number[]',
  std: 'number[]',
  color: 'string',
  resizeMode: 'string?',
};
const ACTIVATION: Fields = { id: 'number', shape: 'number[]', quant: 'quant?' };
const QUANT: Fields = { scale: 'number', zeroPoint: 'number' };
/** Graph ops a pack spells differently (format version 1 names are data, kept as they are). */
const PACK_OP: Readonly<Record<string, string>> = { gavgpool: 'gap' };
/** An op's name as packs spell it (what error messages about a pack should say). */
export const packOpName = (op: string): string => (has(PACK_OP, op) ? PACK_OP[op] : op);
const GRAPH_OP: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(PACK_OP).map(([g, p]) => [p, g]));

/** Node fields by the op's name in the pack. */
const NODES: Readonly<Record<string, Fields>> = {
  conv: {
    op: 'string',
    input: 'number',
    output: 'number',
    kernelH: 'number',
    kernelW: 'number',
    stride: 'number',
    pad: 'number[]',
    cin: 'number',
    cout: 'number',
    relu: 'boolean',
    weight: 'string',
    bias: 'string',
    weightScale: 'string?',
    residual: 'number?',
  },
  add: { op: 'string', a: 'number', b: 'number', output: 'number', relu: 'boolean' },
  maxpool: { op: 'string', input: 'number', output: 'number', kernel: 'number', stride: 'number', pad: 'number' },
  gap: { op: 'string', input: 'number', output: 'number' },
  fc: {
    op: 'string',
    input: 'number',
    output: 'number',
    cin: 'number',
    cout: 'number',
    weight: 'string',
    bias: 'string',
    weightScale: 'string?',
  },
  pad_shortcut: { op: 'string', input: 'number', output: 'number', stride: 'number', cout: 'number', channelOffset: 'number?' },
};

const bad = (where: string, expected: string, v: unknown): PackFormatError =>
  new PackFormatError('BAD_METADATA', `metadata ${where}: expected ${expected}, found ${describe(v)}`);

function describe(v: unknown): string {
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v === null) return 'null';
  if (v === undefined) return 'nothing (field missing)';
  if (typeof v === 'string') return `"${v.length > 40 ? v.slice(0, 40) + '…' : v}"`;
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const has = (o: object, k: string): boolean => Object.hasOwn(o, k);

/** Copies the schema's fields from `v` (decode: checked; encode: trusted, picked in schema order). */
function pick(v: unknown, fields: Fields, where: string, checkTypes: boolean): Record<string, unknown> {
  if (!isObject(v)) throw bad(where, 'an object', v);
  if (checkTypes)
    for (const k of Object.keys(v))
      if (!has(fields, k)) throw bad(`${where}.${k}`, `no such field (known: ${Object.keys(fields).join(', ')})`, v[k]);
  const out: Record<string, unknown> = {};
  for (const [k, spec] of Object.entries(fields)) {
    const optional = spec.endsWith('?');
    if (!has(v, k) || v[k] === undefined) {
      if (optional) continue;
      throw bad(`${where}.${k}`, `a ${spec}`, undefined);
    }
    out[k] = value(v[k], (optional ? spec.slice(0, -1) : spec) as Kind, `${where}.${k}`, checkTypes);
  }
  return out;
}

function value(v: unknown, kind: Kind, where: string, checkTypes: boolean): unknown {
  switch (kind) {
    case 'number':
    case 'string':
    case 'boolean':
      if (checkTypes && typeof v !== kind) throw bad(where, `a ${kind}`, v);
      return v;
    case 'number[]':
    case 'string[]': {
      const el = kind.slice(0, -2);
      if (!Array.isArray(v)) throw bad(where, `an array of ${el}s`, v);
      if (checkTypes)
        v.forEach((x, i) => {
          if (typeof x !== el) throw bad(`${where}[${i}]`, `a ${el}`, x);
        });
      return [...v];
    }
    case 'input':
      return pick(v, INPUT, where, checkTypes);
    case 'quant':
      return pick(v, QUANT, where, checkTypes);
    case 'activation[]':
      return list(v, where, (x, w) => pick(x, ACTIVATION, w, checkTypes));
    case 'node[]':
      return list(v, where, (x, w) => {
        const op = isObject(x) ? x.op : undefined;
        if (checkTypes) {
          // Decoding: the pack's op name → the graph's.
          if (typeof op !== 'string' || !has(NODES, op)) throw bad(`${w}.op`, `one of ${Object.keys(NODES).join(', ')}`, op);
          return { ...pick(x, NODES[op], w, true), op: has(GRAPH_OP, op) ? GRAPH_OP[op] : op };
        }
        const packOp = packOpName(String(op));
        return { ...pick(x, NODES[packOp], w, false), op: packOp };
      });
  }
}

function list(v: unknown, where: string, f: (x: unknown, where: string) => unknown): unknown[] {
  if (!Array.isArray(v)) throw bad(where, 'an array', v);
  return v.map((x, i) => f(x, `${where}[${i}]`));
}

/** Serializes the graph with a fixed key order, so one model always gives the same bytes. */
export function encodeMetadata(graph: ModelGraph, extra?: Record<string, unknown>): string {
  const doc: Record<string, unknown> = { graph: pick(graph, GRAPH, 'graph', false) };
  if (extra !== undefined) doc.extra = extra;
  try {
    return JSON.stringify(doc);
  } catch (e) {
    throw new TypeError(`writePack: model.extra must be JSON-serializable: ${(e as Error).message}`);
  }
}

/** Parses and shape-checks the metadata text; throws BAD_METADATA naming the field at fault. */
export function decodeMetadata(text: string): { graph: ModelGraph; extra?: Record<string, unknown> } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new PackFormatError('BAD_METADATA', `metadata is not valid JSON: ${(e as Error).message}`);
  }
  if (!isObject(doc)) throw bad('root', 'an object { graph, extra? }', doc);
  for (const k of Object.keys(doc)) if (k !== 'graph' && k !== 'extra') throw bad(k, 'no such field (known: graph, extra)', doc[k]);
  const graph = pick(doc.graph, GRAPH, 'graph', true) as unknown as ModelGraph;
  if (!has(doc, 'extra')) return { graph };
  if (!isObject(doc.extra)) throw bad('extra', 'an object', doc.extra);
  return { graph, extra: doc.extra };
}
