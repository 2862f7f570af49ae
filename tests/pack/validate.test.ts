// Semantic validation, through both doors: writePack refuses the model, and readPack refuses a
// pack whose metadata says the same thing (built by editing a valid pack's JSON).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ModelGraph } from '../../ts-sdk/model/graph.ts';
import type { PackErrorCode } from '../../ts-sdk/pack/errors.ts';
import { readPack, writePack, isKnownArch } from '../../ts-sdk/pack/index.ts';
import { assemblePack } from '../../ts-sdk/pack/writer.ts';
import { parts, throwsPack, withMeta } from './helpers.ts';
import { cloneModel, tinyModel } from './fixtures.ts';

const base = { int8: tinyModel('int8'), fp32: tinyModel('fp32') };
const packs = { int8: writePack(base.int8), fp32: writePack(base.fp32) };

/** Both the writer and the reader must reject `edit` with `code`. */
function rejects(edit: (g: ModelGraph) => void, code: PackErrorCode, re?: RegExp, precision: 'int8' | 'fp32' = 'int8'): void {
  const m = cloneModel(base[precision]);
  edit(m.graph);
  throwsPack(() => writePack(m), code, re);
  throwsPack(() => readPack(withMeta(packs[precision], (doc) => edit(doc.graph))), code, re);
}

const cases: [string, (g: ModelGraph) => void, PackErrorCode, RegExp?][] = [
  // architecture
  ['arch vgg16', (g) => (g.arch = 'vgg16'), 'UNKNOWN_ARCHITECTURE', /"vgg16" is not one this SDK runs/],
  ['arch resnet-18', (g) => (g.arch = 'resnet-18'), 'UNKNOWN_ARCHITECTURE'],
  ['arch ResNet18', (g) => (g.arch = 'ResNet18'), 'UNKNOWN_ARCHITECTURE'],
  ['arch resnet18-imagenet', (g) => (g.arch = 'resnet18-imagenet'), 'UNKNOWN_ARCHITECTURE'],
  ['arch wide_resnet50', (g) => (g.arch = 'wide_resnet50'), 'UNKNOWN_ARCHITECTURE'],
  ['arch empty', (g) => (g.arch = ''), 'UNKNOWN_ARCHITECTURE'],
  ['precision int4', (g) => ((g as { precision: string }).precision = 'int4'), 'BAD_METADATA', /precision/],
  // input spec
  ['input height 0', (g) => (g.input.height = 0), 'BAD_METADATA', /spec\.height/],
  [
    'input height ≠ input activation',
    (g) => (g.input.height = 9),
    'INCONSISTENT_SHAPES',
    /activation 0 has shape \[8, 8, 3\]; the input spec \(9×8×3\) requires \[9, 8, 3\]/,
  ],
  ['input mean of 2', (g) => (g.input.mean = [0.5, 0.5]), 'BAD_METADATA', /mean/],
  ['input std 0', (g) => (g.input.std = [1, 0, 1]), 'BAD_METADATA', /std/],
  ['input crop left', (g) => ((g.input as { crop: string }).crop = 'left'), 'BAD_METADATA', /crop/],
  ['input resize -1', (g) => (g.input.resize = -1), 'BAD_METADATA', /resize/],
  // quantization
  ['quant missing', (g) => delete g.activations[3].quant, 'BAD_METADATA', /activation 3 has no quant/],
  ['quant scale 0', (g) => (g.activations[3].quant!.scale = 0), 'BAD_METADATA', /scale must be finite and > 0, found 0/],
  ['quant scale < 0', (g) => (g.activations[3].quant!.scale = -0.1), 'BAD_METADATA', /scale/],
  [
    'quant zeroPoint 256',
    (g) => (g.activations[4].quant!.zeroPoint = 256),
    'BAD_METADATA',
    /zeroPoint must be an integer in \[0, 255\], found 256/,
  ],
  ['quant zeroPoint -1', (g) => (g.activations[4].quant!.zeroPoint = -1), 'BAD_METADATA', /zeroPoint/],
  ['quant zeroPoint 1.5', (g) => (g.activations[4].quant!.zeroPoint = 1.5), 'BAD_METADATA', /zeroPoint/],
  ['quant on the logits', (g) => (g.activations[11].quant = { scale: 1, zeroPoint: 0 }), 'BAD_METADATA', /the logits are f32/],
  [
    'maxpool changes quant',
    (g) => (g.activations[2].quant = { scale: 0.06, zeroPoint: 0 }),
    'BAD_METADATA',
    /must keep activation 1's quant/,
  ],
  [
    'pad_shortcut changes quant',
    (g) => (g.activations[8].quant = { scale: 0.04, zeroPoint: 3 }),
    'BAD_METADATA',
    /must keep activation 5's quant/,
  ],
  // shapes along the graph
  [
    'conv output channels',
    (g) => (g.activations[1].shape = [8, 8, 9]),
    'INCONSISTENT_SHAPES',
    /activation 1 has shape \[8, 8, 9\]; node 0 \(conv\).* requires \[8, 8, 8\]/,
  ],
  ['conv stride', (g) => ((g.nodes[0] as { stride: number }).stride = 2), 'INCONSISTENT_SHAPES', /requires \[4, 4, 8\]/],
  ['conv pad', (g) => ((g.nodes[2] as { pad: number[] }).pad = [0, 0, 0, 0]), 'INCONSISTENT_SHAPES', /requires \[2, 2, 8\]/],
  [
    'conv cin',
    (g) => ((g.nodes[2] as { cin: number }).cin = 4),
    'INCONSISTENT_SHAPES',
    /cin is 4, but its input activation 2 has 8 channels/,
  ],
  [
    'conv kernel 0',
    (g) => ((g.nodes[0] as { kernelH: number }).kernelH = 0),
    'BAD_METADATA',
    /kernelH must be an integer in \[1, 65536\], found 0/,
  ],
  ['conv pad of 3', (g) => ((g.nodes[0] as { pad: number[] }).pad = [1, 1, 1]), 'BAD_METADATA', /pad must be \[top, left, bottom, right\]/],
  ['maxpool pad ≥ kernel', (g) => ((g.nodes[1] as { pad: number }).pad = 3), 'BAD_METADATA', /pad must be an integer in \[0, 2\]/],
  [
    'add operands differ',
    (g) => ((g.nodes[4] as { b: number }).b = 1),
    'INCONSISTENT_SHAPES',
    /activation 1 has shape \[8, 8, 8\]; node 4 \(add\) \(to match its operand 4\) requires \[4, 4, 8\]/,
  ],
  ['gap output not [1,1,C]', (g) => (g.activations[10].shape = [1, 1, 8]), 'INCONSISTENT_SHAPES', /node 9 \(gap\)/],
  [
    'fc cin',
    (g) => ((g.nodes[10] as { cin: number }).cin = 10),
    'INCONSISTENT_SHAPES',
    /node 10 \(fc\) \(input \[1, 1, cin = 10\]\) requires \[1, 1, 10\]/,
  ],
  [
    'pad_shortcut cout < cin',
    (g) => ((g.nodes[7] as { cout: number }).cout = 4),
    'BAD_METADATA',
    /cout must be an integer in \[8, 65536\]/,
  ],
  ['pad_shortcut stride', (g) => ((g.nodes[7] as { stride: number }).stride = 1), 'INCONSISTENT_SHAPES', /requires \[4, 4, 12\]/],
  [
    'pad_shortcut channelOffset > cout − C',
    (g) => ((g.nodes[7] as { channelOffset?: number }).channelOffset = 5),
    'BAD_METADATA',
    /channelOffset must be an integer in \[0, 4\], found 5/,
  ],
  [
    'pad_shortcut channelOffset negative',
    (g) => ((g.nodes[7] as { channelOffset?: number }).channelOffset = -1),
    'BAD_METADATA',
    /channelOffset must be an integer in \[0, 4\]/,
  ],
  ['activation too large', (g) => (g.activations[1].shape = [65536, 65536, 8]), 'INCONSISTENT_SHAPES', /exceed the limit/],
  ['labels length', (g) => g.labels.pop(), 'INCONSISTENT_SHAPES', /graph\.labels has 4 entries, but the fc head has 5 outputs/],
  // graph structure
  [
    'dangling activation id',
    (g) => ((g.nodes[3] as { input: number }).input = 42),
    'BAD_GRAPH',
    /node 3 \(conv\) reads activation 42, which does not exist/,
  ],
  ['fractional id', (g) => ((g.nodes[3] as { input: number }).input = 2.5), 'BAD_GRAPH', /reads activation 2\.5/],
  [
    'out of execution order',
    (g) => ([g.nodes[2], g.nodes[3]] = [g.nodes[3], g.nodes[2]]),
    'BAD_GRAPH',
    /reads activation 3 before any node produces it/,
  ],
  ['produced twice', (g) => (g.nodes[3].output = 1), 'BAD_GRAPH', /already the input or another node's output/],
  ['ids not their index', (g) => (g.activations[5].id = 6), 'BAD_GRAPH', /activations\[5\] has id 6/],
  [
    'unused activation',
    (g) => g.activations.push({ id: 12, shape: [1, 1, 1], quant: { scale: 1, zeroPoint: 0 } }),
    'BAD_GRAPH',
    /activation 12 is neither the input nor produced/,
  ],
  ['no fc head', (g) => (g.nodes = g.nodes.slice(0, 10)), 'BAD_GRAPH'],
  ['outputId not the fc', (g) => (g.outputId = 10), 'BAD_METADATA', /the logits are f32/],
  ['inputId = outputId', (g) => (g.inputId = 11), 'BAD_GRAPH', /two different activation ids/],
  // tensors the nodes name
  [
    'int8 node without weightScale',
    (g) => delete (g.nodes[0] as { weightScale?: string }).weightScale,
    'MISSING_TENSOR',
    /node 0 \(conv\) has no weightScale/,
  ],
  ['node names a missing tensor', (g) => ((g.nodes[0] as { bias: string }).bias = 'nope'), 'MISSING_TENSOR', /tensor 'nope'/],
  [
    'one tensor for two roles',
    (g) => ((g.nodes[2] as { bias: string }).bias = 'conv1.wscale'),
    'INCONSISTENT_SHAPES',
    /'conv1\.wscale' is the weightScale of node 0/,
  ],
  // a conv with a fused residual (node 3 is a block's conv2, node 4 its add)
  [
    'conv residual of another shape',
    (g) => ((g.nodes[2] as { residual?: number }).residual = 1),
    'INCONSISTENT_SHAPES',
    /activation 1 has shape \[8, 8, 8\]; node 2 \(conv\) \(its residual is added to its output\) requires \[4, 4, 8\]/,
  ],
  [
    'conv residual produced later',
    (g) => ((g.nodes[2] as { residual?: number }).residual = 5),
    'BAD_GRAPH',
    /node 2 \(conv\) reads activation 5 before any node produces it/,
  ],
];
for (const [name, edit, code, re] of cases) test(`int8: ${name} → ${code}`, () => rejects(edit, code, re));

test('int8: a conv with a fused residual in place of conv2 + add is valid and round-trips', () => {
  const m = cloneModel(base.int8);
  const conv2 = m.graph.nodes[3];
  if (conv2.op !== 'conv') throw new Error('fixture changed');
  Object.assign(conv2, { output: 5, relu: true, residual: 2 });
  m.graph.nodes.splice(4, 1); // the add
  m.graph.activations.splice(4, 1); // the pre-add tensor; renumber the rest
  m.graph.activations.forEach((a, i) => (a.id = i));
  const dec = (id: number) => (id > 4 ? id - 1 : id);
  for (const n of m.graph.nodes) {
    const ids = n as unknown as Record<string, number>;
    for (const k of ['input', 'output', 'residual', 'a', 'b']) if (k in ids) ids[k] = dec(ids[k]);
  }
  m.graph.outputId = dec(m.graph.outputId);
  assert.equal(readPack(writePack(m)).graph, m.graph);
});

test('fp32: quant or weightScale present is rejected', () => {
  rejects(
    (g) => (g.activations[3].quant = { scale: 1, zeroPoint: 0 }),
    'BAD_METADATA',
    /an fp32 graph has no quantized activations/,
    'fp32',
  );
  rejects((g) => ((g.nodes[0] as { weightScale?: string }).weightScale = 'conv1.bias'), 'BAD_METADATA', /fp32 weights have none/, 'fp32');
  rejects((g) => ((g.nodes[2] as { residual?: number }).residual = 2), 'BAD_METADATA', /residual is an int8-only field/, 'fp32');
});

test('pad_shortcut channelOffset: absent (packs from before the key) and any value in [0, cout − C] round-trip', () => {
  for (const c0 of [undefined, 0, 2, 4]) {
    const m = cloneModel(base.int8);
    const ps = m.graph.nodes[7] as { channelOffset?: number };
    if (c0 === undefined) delete ps.channelOffset;
    else ps.channelOffset = c0;
    assert.is((readPack(writePack(m)).graph.nodes[7] as { channelOffset?: number }).channelOffset, c0);
  }
});

test('known architectures', () => {
  for (const a of [
    'resnet18',
    'resnet34',
    'resnet',
    'resnet50',
    'resnet152',
    'resnet50-v1',
    'wide_resnet50_2',
    'wide_resnet101_2-v1',
    'resnet20-cifar',
    'resnet110-cifar',
    'resnet56-cifar-b',
  ]) {
    assert.ok(isKnownArch(a), a);
    const m = cloneModel(base.int8);
    m.graph.arch = a;
    assert.is(readPack(writePack(m)).graph.arch, a);
  }
  for (const a of ['resnet-cifar', 'resnetx', ' resnet18', 'resnet18\n', 'mobilenet']) assert.not.ok(isKnownArch(a), a);
});

test('writer-only: NaN and Infinity never reach JSON', () => {
  for (const v of [NaN, Infinity]) {
    const m = cloneModel(base.int8);
    m.graph.activations[3].quant!.scale = v;
    throwsPack(() => writePack(m), 'BAD_METADATA', /scale must be finite/);
  }
  // JSON has no Infinity, but 1e999 parses to it.
  const p = parts(packs.int8);
  assert.ok(p.meta.includes('"scale":0.031,'));
  throwsPack(
    () => readPack(assemblePack(p.meta.replace('"scale":0.031,', '"scale":1e999,'), p.entries, p.data)),
    'BAD_METADATA',
    /activation 3: quant.scale must be finite and > 0, found Infinity/,
  );
});

test('writer-only: tensors that are not packed, of the wrong kind, or misnamed', () => {
  let m = cloneModel(base.int8);
  m.tensors.set('conv1.weight', { name: 'conv1.weight', dtype: 'i8', layout: 'plain', dims: [8, 3, 3, 3], data: new Int8Array(8 * 27) });
  throwsPack(
    () => writePack(m),
    'INCONSISTENT_SHAPES',
    /'conv1\.weight' has layout 'plain', but as the weight of node 0 \(conv\) it must be 'q8c2' \(pack the weights/,
  );
  m = cloneModel(base.int8);
  m.tensors.get('conv1.weight')!.data = new Int8Array(8 * 27);
  throwsPack(() => writePack(m), 'INCONSISTENT_SHAPES', /\(i8 q8c2 \[8, 3, 3, 3\]\) needs 224 bytes, found 216/);
  m = cloneModel(base.int8);
  m.tensors.get('conv1.bias')!.layout = 'f32n8';
  throwsPack(
    () => writePack(m),
    'INCONSISTENT_SHAPES',
    /'conv1\.bias' has layout 'f32n8', but as the bias of node 0 \(conv\) it must be 'plain'$/,
  );
  m = cloneModel(base.int8);
  m.tensors.get('conv1.bias')!.data = new Float32Array(8);
  throwsPack(() => writePack(m), 'INCONSISTENT_SHAPES', /i32, so its data must be an Int32Array, found Float32Array/);
  m = cloneModel(base.int8);
  m.tensors.get('conv1.bias')!.name = 'other';
  throwsPack(() => writePack(m), 'BAD_TENSOR_TABLE', /key 'conv1\.bias' holds a tensor named 'other'/);
  for (const name of ['', 'a\ud800b']) {
    m = cloneModel(base.int8);
    m.tensors.set(name, { name, dtype: 'u8', layout: 'plain', dims: [1], data: new Uint8Array(1) });
    throwsPack(() => writePack(m), 'BAD_TENSOR_TABLE', /must be non-empty, well-formed Unicode/);
  }
  m = cloneModel(base.int8);
  m.tensors.set('x', { name: 'x', dtype: 'u8', layout: 'plain', dims: [2, 0], data: new Uint8Array(0) });
  throwsPack(() => writePack(m), 'INCONSISTENT_SHAPES', /dims must be/);
  m = cloneModel(base.int8);
  m.extra = { big: 1n };
  assert.throws(
    () => writePack(m),
    (e: unknown) => e instanceof TypeError && /JSON-serializable/.test(String(e)),
  );
});

test.run();
