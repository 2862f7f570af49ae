// Typed attribute access and the spatial arithmetic of ONNX Conv / pooling ops, with
// errors that name the node.
import { ConvertError } from './errors.ts';
import type { AttrValue, OnnxNode, OnnxTensor } from './onnx-load.ts';

export function attrInt(n: OnnxNode, name: string, dflt: number): number {
  const v = n.attrs[name];
  if (v === undefined) return dflt;
  if (typeof v !== 'number') throw bad(n, `attribute ${name} should be an int, got ${show(v)}`);
  return v;
}

export function attrFloat(n: OnnxNode, name: string, dflt: number): number {
  return attrInt(n, name, dflt);
}

export function attrInts(n: OnnxNode, name: string): number[] | undefined {
  const v = n.attrs[name];
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'number')) throw bad(n, `attribute ${name} should be a list of ints, got ${show(v)}`);
  return v as number[];
}

export function attrString(n: OnnxNode, name: string, dflt: string): string {
  const v = n.attrs[name];
  if (v === undefined) return dflt;
  if (typeof v !== 'string') throw bad(n, `attribute ${name} should be a string, got ${show(v)}`);
  return v;
}

/** The tensor a Constant node defines (value, value_float(s), value_int(s)). */
export function constantValue(n: OnnxNode): OnnxTensor {
  const a = n.attrs;
  const name = n.outputs[0];
  if (a.value && typeof a.value === 'object' && !Array.isArray(a.value)) return { ...a.value, name };
  if (typeof a.value_float === 'number') return { name, dims: [], dataType: 1, kind: 'float', data: Float32Array.of(a.value_float) };
  if (Array.isArray(a.value_floats))
    return { name, dims: [a.value_floats.length], dataType: 1, kind: 'float', data: Float32Array.from(a.value_floats as number[]) };
  if (typeof a.value_int === 'number') return { name, dims: [], dataType: 7, kind: 'int', data: [a.value_int] };
  if (Array.isArray(a.value_ints))
    return { name, dims: [a.value_ints.length], dataType: 7, kind: 'int', data: [...(a.value_ints as number[])] };
  throw bad(n, 'Constant without a numeric value (value, value_float(s) or value_int(s))');
}

export interface Window {
  kh: number;
  kw: number;
  stride: number;
  /** [top, left, bottom, right] */
  pad: [number, number, number, number];
  outH: number;
  outW: number;
}

/**
 * Kernel, stride and padding of a 2-D Conv/MaxPool/AveragePool on an H×W input, resolving
 * auto_pad. Our nodes have one stride for both axes and no dilation, so anything else is refused.
 */
export function window2d(n: OnnxNode, H: number, W: number, kernel: [number, number]): Window {
  const [kh, kw] = kernel;
  const strides = attrInts(n, 'strides') ?? [1, 1];
  if (strides.length !== 2 || strides[0] !== strides[1])
    throw bad(n, `strides ${show(strides)}: only equal strides on both axes are supported`);
  const dil = attrInts(n, 'dilations') ?? [1, 1];
  if (dil.some((d) => d !== 1)) throw bad(n, `dilations ${show(dil)}: dilated windows are not supported`);
  const s = strides[0];
  if (!(Number.isInteger(s) && s >= 1)) throw bad(n, `strides ${show(strides)}: expected positive integers`);
  if (!(Number.isInteger(kh) && kh >= 1 && Number.isInteger(kw) && kw >= 1)) throw bad(n, `kernel ${kh}×${kw}: expected positive integers`);
  const autoPad = attrString(n, 'auto_pad', 'NOTSET');
  let pad: [number, number, number, number];
  if (autoPad === 'NOTSET') {
    const p = attrInts(n, 'pads') ?? [0, 0, 0, 0];
    if (p.length !== 4) throw bad(n, `pads ${show(p)}: expected 4 values for a 2-D window`);
    if (!p.every((x) => Number.isInteger(x) && x >= 0)) throw bad(n, `pads ${show(p)}: expected non-negative integers`);
    pad = [p[0], p[1], p[2], p[3]]; // ONNX order [x1_begin, x2_begin, x1_end, x2_end] = [top, left, bottom, right]
  } else if (autoPad === 'VALID') {
    pad = [0, 0, 0, 0];
  } else if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    const total = (size: number, k: number) => Math.max((Math.ceil(size / s) - 1) * s + k - size, 0);
    const th = total(H, kh);
    const tw = total(W, kw);
    const lo = (t: number) => (autoPad === 'SAME_UPPER' ? Math.floor(t / 2) : Math.ceil(t / 2));
    pad = [lo(th), lo(tw), th - lo(th), tw - lo(tw)];
  } else throw bad(n, `auto_pad '${autoPad}' is not an ONNX value`);
  const ceil = attrInt(n, 'ceil_mode', 0) === 1;
  const out = (size: number, p0: number, p1: number, k: number) => {
    const span = size + p0 + p1 - k;
    return (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  };
  const outH = out(H, pad[0], pad[2], kh);
  const outW = out(W, pad[1], pad[3], kw);
  if (ceil && (outH !== Math.floor((H + pad[0] + pad[2] - kh) / s) + 1 || outW !== Math.floor((W + pad[1] + pad[3] - kw) / s) + 1)) {
    throw bad(n, `ceil_mode=1 changes the output size at this input size (${H}×${W}); only floor-mode windows are supported`);
  }
  if (outH < 1 || outW < 1) throw bad(n, `the window does not fit the ${H}×${W} input`);
  return { kh, kw, stride: s, pad, outH, outW };
}

export function bad(n: OnnxNode, message: string): ConvertError {
  return new ConvertError('UNSUPPORTED_PATTERN', message, n);
}

export function show(v: AttrValue | number[]): string {
  return Array.isArray(v) ? `[${v.join(', ')}]` : typeof v === 'object' ? `tensor ${v.name}` : String(v);
}
