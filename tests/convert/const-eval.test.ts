// Constant folding follows ONNX semantics on the subgraphs exporters emit: torch 1.13's
// option-A pads chain step by step (the values onnxruntime computes for it), shape arithmetic,
// broadcasting, negative-step slices; and it refuses oversized or malformed constants by node.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConstFolder } from '../../weights/convert/const-eval.ts';
import { ConvertError, type OnnxNode, type OnnxTensor } from '../../weights/convert/index.ts';

const I64 = 7;
const ints = (data: number[], dims = [data.length]): OnnxTensor => ({ name: '', dims, dataType: I64, kind: 'int', data });
const floats = (data: number[], dims = [data.length]): OnnxTensor => ({
  name: '',
  dims,
  dataType: 1,
  kind: 'float',
  data: Float32Array.from(data),
});
const node = (opType: string, attrs: OnnxNode['attrs'] = {}): OnnxNode => ({
  name: `/x/${opType}`,
  opType,
  domain: '',
  inputs: [],
  outputs: [`${opType}_out`],
  attrs,
});
const fold = (f: ConstFolder, opType: string, inputs: (OnnxTensor | undefined)[], attrs: OnnxNode['attrs'] = {}) =>
  f.fold(node(opType, attrs), inputs);
const vals = (t: OnnxTensor) => [...t.data];

test("torch's F.pad(x, (0,0,0,0,8,8)) pads chain (opset 13, no constant folding) gives ONNX pads [0,8,0,0,0,8,0,0]", () => {
  const f = new ConstFolder(13);
  const torchPads = ints([0, 0, 0, 0, 8, 8]);
  const shape = f.fold(node('Shape'), [torchPads]);
  const len = fold(f, 'Gather', [shape, ints([0], [])], { axis: 0 });
  assert.equal([len.dims, vals(len)], [[], [6]]);
  const missing = fold(f, 'Sub', [fold(f, 'Mul', [ints([4], []), ints([2], [])]), len]);
  const padded = fold(
    f,
    'Concat',
    [fold(f, 'Cast', [torchPads], { to: I64 }), fold(f, 'ConstantOfShape', [missing], { value: ints([0], [1]) })],
    { axis: 0 },
  );
  const pairs = fold(f, 'Reshape', [padded, ints([-1, 2])]);
  assert.equal(pairs.dims, [4, 2]);
  const reversed = fold(f, 'Slice', [pairs, ints([-1]), ints([-(2 ** 63)]), ints([0]), ints([-1])]);
  assert.equal(vals(reversed), [0, 0, 8, 8, 0, 0, 0, 0]);
  const onnxPads = fold(f, 'Reshape', [fold(f, 'Transpose', [reversed], { perm: [1, 0] }), ints([-1])]);
  assert.equal(vals(fold(f, 'Cast', [onnxPads], { to: I64 })), [0, 8, 0, 0, 0, 8, 0, 0]);
});

test('shape arithmetic: Shape of an activation, Gather/Unsqueeze (attribute and input forms), Concat, Reshape with 0 and -1', () => {
  const f13 = new ConstFolder(13);
  const shape = f13.fold(node('Shape'), [undefined], [1, 64, 8, 8]);
  const n = fold(f13, 'Gather', [shape, ints([0], [])]);
  const u = fold(f13, 'Unsqueeze', [n, ints([0])]);
  assert.equal(vals(fold(f13, 'Concat', [u, ints([-1])], { axis: 0 })), [1, -1]);
  assert.equal(vals(new ConstFolder(11).fold(node('Unsqueeze', { axes: [0] }), [n])), [1]);
  assert.equal(vals(f13.fold(node('Shape', { start: -2 }), [undefined], [1, 64, 8, 8])), [8, 8]);
  assert.equal(fold(f13, 'Reshape', [floats([1, 2, 3, 4, 5, 6], [2, 3]), ints([0, -1, 1])]).dims, [2, 3, 1]);
  assert.equal(vals(fold(f13, 'Gather', [floats([1, 2, 3, 4, 5, 6], [2, 3]), ints([-1, 0])], { axis: 1 })), [3, 1, 6, 4]);
});

test('elementwise ops broadcast; integer Div truncates; Range, Where, Expand, Min', () => {
  const f = new ConstFolder(13);
  const m = fold(f, 'Mul', [ints([1, 2, 3], [3, 1]), ints([10, 100], [1, 2])]);
  assert.equal(
    [m.dims, vals(m)],
    [
      [3, 2],
      [10, 100, 20, 200, 30, 300],
    ],
  );
  assert.equal(vals(fold(f, 'Div', [ints([7, -7]), ints([2], [])])), [3, -3]);
  assert.equal(vals(fold(f, 'Div', [floats([7]), floats([2])])), [3.5]);
  assert.equal(vals(fold(f, 'Range', [ints([2], []), ints([9], []), ints([3], [])])), [2, 5, 8]);
  const w = fold(f, 'Where', [fold(f, 'Greater', [ints([1, 5]), ints([3], [])]), ints([1, 1]), ints([0, 0])]);
  assert.equal(vals(w), [0, 1]);
  assert.equal(fold(f, 'Expand', [ints([4], [1]), ints([2, 3])]).dims, [2, 3]);
  assert.equal(vals(fold(f, 'Min', [ints([3, 1]), ints([2], [])])), [2, 1]);
  assert.equal(vals(fold(f, 'Slice', [ints([0, 1, 2, 3, 4, 5, 6]), ints([1]), ints([100]), ints([0]), ints([2])])), [1, 3, 5]);
});

const refuses = (fn: () => unknown, op: string, message: RegExp) => {
  try {
    fn();
  } catch (e) {
    assert.instance(e, ConvertError);
    assert.is((e as ConvertError).opType, op);
    assert.match((e as Error).message, message);
    return;
  }
  assert.unreachable('expected a ConvertError');
};

test('refusals name the node: oversized output (before allocating), the graph budget, bad axes, bad reshape, division by zero', () => {
  refuses(
    () => fold(new ConstFolder(13), 'ConstantOfShape', [ints([1 << 20, 1 << 20])]),
    'ConstantOfShape',
    /1099511627776 elements.*capped at 4194304/,
  );
  const f = new ConstFolder(13);
  for (let i = 0; i < 4; i++) fold(f, 'ConstantOfShape', [ints([1 << 22])]);
  refuses(() => fold(f, 'ConstantOfShape', [ints([1 << 22])]), 'ConstantOfShape', /exceeds 16777216 elements in all/);
  refuses(
    () => fold(new ConstFolder(13), 'Gather', [ints([1, 2]), ints([0], [])], { axis: 3 }),
    'Gather',
    /axis 3 is out of range for rank 1/,
  );
  refuses(() => fold(new ConstFolder(13), 'Gather', [ints([1, 2]), ints([5], [])]), 'Gather', /index 5 is out of range/);
  refuses(() => fold(new ConstFolder(13), 'Reshape', [ints([1, 2, 3]), ints([2, -1])]), 'Reshape', /cannot reshape dims \[3\]/);
  refuses(() => fold(new ConstFolder(13), 'Div', [ints([1]), ints([0])]), 'Div', /division by zero/);
  refuses(() => fold(new ConstFolder(13), 'ConstantOfShape', [ints([-1])]), 'ConstantOfShape', /non-negative integers/);
});

test.run();
