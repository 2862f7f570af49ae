import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Model } from '../../ts-sdk/model/graph.ts';
import { readPack, writePack } from '../../ts-sdk/pack/index.ts';
import { DATA_ALIGN, HEADER } from '../../ts-sdk/pack/format.ts';
import { parts, u32 } from './helpers.ts';
import { tinyModel } from './fixtures.ts';

const bytesOf = (d: ArrayBufferView) => new Uint8Array(d.buffer, d.byteOffset, d.byteLength);

function assertSameModel(got: Model, want: Model): void {
  assert.equal(got.graph, want.graph);
  assert.equal(got.extra, want.extra);
  assert.equal([...got.tensors.keys()], [...want.tensors.keys()], 'same tensors in the same order');
  for (const [name, w] of want.tensors) {
    const g = got.tensors.get(name)!;
    assert.is(g.name, w.name);
    assert.is(g.dtype, w.dtype, name);
    assert.is(g.layout, w.layout, name);
    assert.equal(g.dims, w.dims, name);
    assert.is(g.data.constructor, w.data.constructor, name);
    assert.equal(bytesOf(g.data), bytesOf(w.data), `${name}: bytes`);
  }
}

for (const precision of ['int8', 'fp32'] as const) {
  test(`${precision}: write → read gives the same graph, extra and tensors, byte for byte`, () => {
    const model = tinyModel(precision);
    const pack = writePack(model);
    assertSameModel(readPack(pack), model);
  });

  test(`${precision}: write → read → write gives the same bytes (one model, one file)`, () => {
    const pack = writePack(tinyModel(precision));
    assert.equal(writePack(readPack(pack)), pack);
  });

  test(`${precision}: writing is deterministic and independent of key order in the graph`, () => {
    const a = tinyModel(precision, 3);
    const b = tinyModel(precision, 3);
    b.graph = Object.fromEntries(Object.entries(b.graph).reverse()) as unknown as Model['graph'];
    assert.equal(writePack(a), writePack(b));
  });
}

test('tensor data are views into the input bytes, at 64-byte aligned offsets', () => {
  const pack = writePack(tinyModel('int8'));
  const model = readPack(pack);
  const dataOffset = u32(pack, HEADER.dataOffset);
  assert.is(dataOffset % DATA_ALIGN, 0);
  for (const t of model.tensors.values()) {
    assert.is(t.data.buffer, pack.buffer, `${t.name} is a view`);
    assert.is(t.data.byteOffset % DATA_ALIGN, 0, `${t.name} is 64-byte aligned`);
  }
});

test('a pack at an odd byteOffset still reads: 1-byte tensors stay views, wider ones are copied aligned', () => {
  const model = tinyModel('int8');
  const pack = writePack(model);
  const shifted = new Uint8Array(pack.length + 3);
  shifted.set(pack, 3);
  const odd = shifted.subarray(3);
  const got = readPack(odd);
  assertSameModel(got, model);
  for (const t of got.tensors.values()) assert.is(t.data.buffer === shifted.buffer, t.dtype === 'i8', t.name);
});

test('extra is optional: absent stays absent', () => {
  const model = tinyModel('fp32');
  delete model.extra;
  const got = readPack(writePack(model));
  assert.not.ok('extra' in got);
  assertSameModel(got, model);
});

test('tensors no node uses are kept (stored plain)', () => {
  const model = tinyModel('int8');
  model.tensors.set('calib.hist', {
    name: 'calib.hist',
    dtype: 'u8',
    layout: 'plain',
    dims: [3, 5],
    data: Uint8Array.from({ length: 15 }, (_, i) => i),
  });
  model.tensors.set('scalar', { name: 'scalar', dtype: 'i16', layout: 'plain', dims: [], data: Int16Array.of(-7) });
  const got = readPack(writePack(model));
  assertSameModel(got, model);
  assert.ok(parts(writePack(model)).entries.every((e) => e.layout === (e.name.endsWith('.weight') ? 'q8c2' : 'plain')));
});

test('layout codes: int8 weights q8c2, fp32 weights f32n8, the rest plain', () => {
  const q = parts(writePack(tinyModel('int8'))).entries;
  assert.is(q.find((e) => e.name === 'conv1.weight')!.layout, 'q8c2');
  assert.is(q.find((e) => e.name === 'conv1.weight')!.byteLength, 8 * 28); // N 8, K 27 → 28
  const f = parts(writePack(tinyModel('fp32'))).entries;
  assert.is(f.find((e) => e.name === 'fc.weight')!.layout, 'f32n8');
  assert.is(f.find((e) => e.name === 'fc.weight')!.byteLength, 4 * 8 * 12); // N 5 → 8, K 12
  assert.ok([...q, ...f].filter((e) => !e.name.endsWith('.weight')).every((e) => e.layout === 'plain'));
});

test.run();
