// Semantic validation of a whole Model: the graph (validate-graph.ts) plus every tensor a node
// uses, with the dtype, logical dims, layout and exact packed byte length its op requires.
// The writer runs it before writing, the reader before returning, so no pack that passes one
// fails the other.
import type { DType, Layout, Model, ModelGraph } from '../model/graph.ts';
import { check } from './errors.ts';
import { DTYPE_ARRAY_TAGS, DTYPE_SIZES, LAYOUT_CODES, MAX_RANK, byteLengthOf, layoutProblem } from './format.ts';
import { validateGraph } from './validate-graph.ts';
import { packOpName } from './metadata.ts';
import { convMultipliers, fcScales, gapMultiplier, inputInverse, rescale } from '../model/requant.ts';

export interface TensorRequirement {
  role: 'weight' | 'bias' | 'weightScale';
  dtype: DType;
  layout: Layout;
  /** Logical dims: conv [cout, kernelH, kernelW, cin] (OHWI), fc [cout, cin], bias and scales [cout]. */
  dims: number[];
  /** Who needs it, for messages: "weight of node 3 (conv)". */
  use: string;
}

const fmt = (d: readonly number[]): string => `[${d.join(', ')}]`;
const sameDims = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * What each named tensor must be, from the nodes that use it. int8: weight i8 'q8c2', bias i32,
 * weightScale f32 (required); fp32: weight f32 'f32n8', bias f32, no weightScale. Tensors no
 * node uses are allowed and stored 'plain'. Call after validateGraph.
 */
export function tensorRequirements(g: ModelGraph): Map<string, TensorRequirement> {
  const reqs = new Map<string, TensorRequirement>();
  const need = (name: string | undefined, r: TensorRequirement): void => {
    check(
      typeof name === 'string' && name.length > 0,
      'BAD_METADATA',
      () => `${r.use}: tensor name must be a non-empty string, found ${JSON.stringify(name)}`,
    );
    const prev = reqs.get(name);
    if (!prev) {
      reqs.set(name, r);
      return;
    }
    check(
      prev.role === r.role && prev.dtype === r.dtype && prev.layout === r.layout && sameDims(prev.dims, r.dims),
      'INCONSISTENT_SHAPES',
      () =>
        `tensor '${name}' is the ${prev.use} (${prev.dtype} ${prev.layout} ${fmt(prev.dims)}) and the ${r.use} (${r.dtype} ${r.layout} ${fmt(r.dims)})`,
    );
  };
  const int8 = g.precision === 'int8';
  g.nodes.forEach((n, i) => {
    if (n.op !== 'conv' && n.op !== 'fc') return;
    const at = (role: TensorRequirement['role']) => ({ role, use: `${role} of node ${i} (${n.op})` });
    const dims = n.op === 'conv' ? [n.cout, n.kernelH, n.kernelW, n.cin] : [n.cout, n.cin];
    need(n.weight, { ...at('weight'), dtype: int8 ? 'i8' : 'f32', layout: int8 ? 'q8c2' : 'f32n8', dims });
    need(n.bias, { ...at('bias'), dtype: int8 ? 'i32' : 'f32', layout: 'plain', dims: [n.cout] });
    if (int8) {
      check(
        n.weightScale !== undefined,
        'MISSING_TENSOR',
        () => `node ${i} (${n.op}) has no weightScale; int8 nodes need per-output-channel weight scales`,
      );
      need(n.weightScale, { ...at('weightScale'), dtype: 'f32', layout: 'plain', dims: [n.cout] });
    } else {
      check(n.weightScale === undefined, 'BAD_METADATA', () => `node ${i} (${n.op}) names a weightScale, but fp32 weights have none`);
    }
  });
  return reqs;
}

/**
 * Throws PackFormatError unless `model` is complete and consistent, every tensor in the layout
 * its use requires (tensors no node uses: 'plain').
 */
export function validateModel(model: Model): void {
  validateGraph(model.graph);
  const reqs = tensorRequirements(model.graph);
  for (const [name, r] of reqs) {
    const t = model.tensors.get(name);
    check(t !== undefined, 'MISSING_TENSOR', () => `the ${r.use} is tensor '${name}', which the model does not hold`);
    check(t.dtype === r.dtype, 'INCONSISTENT_SHAPES', () => `tensor '${name}' (the ${r.use}) must be ${r.dtype}, found ${t.dtype}`);
    check(
      sameDims(t.dims, r.dims),
      'INCONSISTENT_SHAPES',
      () => `tensor '${name}' (the ${r.use}) must have dims ${fmt(r.dims)}, found ${fmt(t.dims)}`,
    );
  }
  for (const [key, t] of model.tensors) {
    const layout = reqs.get(key)?.layout ?? 'plain';
    check(t.name === key, 'BAD_TENSOR_TABLE', () => `tensors map key '${key}' holds a tensor named '${t.name}'`);
    // A lone surrogate would be written as U+FFFD and come back as another name.
    check(
      key.length > 0 && !/\p{Cs}/u.test(key),
      'BAD_TENSOR_TABLE',
      () => `tensor name ${JSON.stringify(key)} must be non-empty, well-formed Unicode`,
    );
    check(Object.hasOwn(DTYPE_SIZES, t.dtype), 'INCONSISTENT_SHAPES', () => `tensor '${key}': unknown dtype ${JSON.stringify(t.dtype)}`);
    check(
      t.dims.length <= MAX_RANK && t.dims.every((d) => Number.isInteger(d) && d >= 1 && d <= 0xffffffff),
      'INCONSISTENT_SHAPES',
      () => `tensor '${key}': dims must be at most ${MAX_RANK} integers in [1, 2^32 − 1], found ${fmt(t.dims)}`,
    );
    check(
      Object.hasOwn(LAYOUT_CODES, t.layout),
      'INCONSISTENT_SHAPES',
      () => `tensor '${key}': unknown layout ${JSON.stringify(t.layout)}`,
    );
    check(
      t.layout === layout,
      'INCONSISTENT_SHAPES',
      () =>
        `tensor '${key}' has layout '${t.layout}', but ${reqs.has(key) ? `as the ${reqs.get(key)!.use}` : 'unused by any node'} it must be '${layout}'` +
        (layout === 'plain' ? '' : ' (pack the weights: toInt8 / toFp32, or packQ8Weights / packF32Weights)'),
    );
    const problem = layoutProblem(t.dtype, layout, t.dims.length);
    check(problem === undefined, 'INCONSISTENT_SHAPES', () => `tensor '${key}': ${problem}`);
    const tag = Object.prototype.toString.call(t.data).slice(8, -1); // 'Int8Array' etc., across realms too
    check(
      tag === DTYPE_ARRAY_TAGS[t.dtype],
      'INCONSISTENT_SHAPES',
      () => `tensor '${key}' is ${t.dtype}, so its data must be an ${DTYPE_ARRAY_TAGS[t.dtype]}, found ${tag}`,
    );
    const bytes = byteLengthOf(t.dtype, layout, t.dims);
    check(
      t.data.byteLength === bytes,
      'INCONSISTENT_SHAPES',
      () => `tensor '${key}' (${t.dtype} ${layout} ${fmt(t.dims)}) needs ${bytes} bytes, found ${t.data.byteLength}`,
    );
  }
  // A NaN or negative scale would flow silently through every requantization of its node.
  for (const [name, r] of reqs) {
    if (r.role !== 'weightScale') continue;
    const s = model.tensors.get(name)!.data;
    for (let i = 0; i < s.length; i++) {
      check(
        Number.isFinite(s[i]) && s[i] >= 0,
        'BAD_TENSOR_DATA',
        () => `tensor '${name}' (the ${r.use}): scale [${i}] must be finite and ≥ 0, found ${s[i]}`,
      );
    }
  }
  if (model.graph.precision === 'int8') checkMultipliers(model);
}

/** Largest |f32(acc + bias)| the int8 fc can produce: the i32 accumulator wraps at 2^31. */
const MAX_ACC = 2 ** 31;
const MAX_LOGIT_SCALE = 3.4028234663852886e38 / MAX_ACC;

/**
 * int8: each scale is finite and > 0 on its own, but the multipliers the runtime derives from
 * them (model/requant.ts, the functions the runtime's lowering calls) can still overflow f32 —
 * 1e30 / 1e-30 — and a kernel then computes ∞ · 0 = NaN, or the logits become ±∞ and every
 * softmax score NaN. So every multiplier must be a finite f32, and the fc's output scale small
 * enough that no accumulator times it overflows. (One that underflows to 0 is harmless: the
 * output is then the zero point.)
 */
function checkMultipliers(model: Model): void {
  const g = model.graph;
  const scale = (id: number): number => g.activations[id].quant!.scale;
  const sin = scale(g.inputId);
  check(
    Number.isFinite(inputInverse(sin)),
    'BAD_METADATA',
    () => `activation ${g.inputId} (the input): quant.scale ${sin} is so small that 1/scale overflows f32`,
  );
  g.nodes.forEach((n, i) => {
    const where = `node ${i} (${packOpName(n.op)})`;
    if (n.op === 'conv' || n.op === 'fc') {
      const sx = scale(n.input);
      const sw = model.tensors.get(n.weightScale!)!.data;
      if (n.op === 'conv') {
        const sy = scale(n.output);
        convMultipliers(sx, sw, sy).forEach((m, k) =>
          check(
            Number.isFinite(m),
            'BAD_TENSOR_DATA',
            () =>
              `${where}: output channel ${k}: input scale ${sx} × weight scale ${sw[k]} / output scale ${sy} is not a finite f32; the scales are out of any usable range`,
          ),
        );
        if (n.residual !== undefined) {
          const sr = scale(n.residual);
          check(
            Number.isFinite(rescale(sr, sy)),
            'BAD_METADATA',
            () => `${where}: residual activation ${n.residual}'s quant.scale ${sr} / the output's ${sy} overflows f32`,
          );
        }
      } else {
        fcScales(sx, sw).forEach((m, k) =>
          check(
            Number.isFinite(Math.fround(m * MAX_ACC)),
            'BAD_TENSOR_DATA',
            () =>
              `${where}: output channel ${k}: input scale ${sx} × weight scale ${sw[k]} = ${m}; above ${MAX_LOGIT_SCALE} a logit can overflow f32`,
          ),
        );
      }
    } else if (n.op === 'add') {
      const sy = scale(n.output);
      for (const id of [n.a, n.b]) {
        check(
          Number.isFinite(rescale(scale(id), sy)),
          'BAD_METADATA',
          () => `${where}: activation ${id}'s quant.scale ${scale(id)} / the output's ${sy} overflows f32`,
        );
      }
    } else if (n.op === 'gavgpool') {
      const [h, w] = g.activations[n.input].shape;
      const m = gapMultiplier(scale(n.input), h * w, scale(n.output));
      check(
        Number.isFinite(m),
        'BAD_METADATA',
        () => `${where}: input scale ${scale(n.input)} / (${h}·${w} · output scale ${scale(n.output)}) = ${m} overflows f32`,
      );
    }
  });
}
