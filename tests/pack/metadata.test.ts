// The JSON section: syntax, encoding and the shape of a ModelGraph (keys and JSON types).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readPack, writePack } from '../../ts-sdk/pack/index.ts';
import { assemblePack } from '../../ts-sdk/pack/writer.ts';
import { parts, throwsPack, withByte, withMeta } from './helpers.ts';
import { tinyModel } from './fixtures.ts';

const pack = writePack(tinyModel('int8'));
const p = parts(pack);
const withText = (meta: string) => assemblePack(meta, p.entries, p.data);

test('not JSON, not UTF-8, not an object', () => {
  throwsPack(() => readPack(withText(p.meta.slice(0, -1))), 'BAD_METADATA', /metadata is not valid JSON/);
  throwsPack(() => readPack(withText('')), 'BAD_METADATA', /not valid JSON/);
  throwsPack(() => readPack(withText('[]')), 'BAD_METADATA', /metadata root: expected an object \{ graph, extra\? \}, found an array of 0/);
  throwsPack(() => readPack(withText('null')), 'BAD_METADATA', /found null/);
  throwsPack(() => readPack(withText('"graph"')), 'BAD_METADATA');
  throwsPack(() => readPack(withByte(pack, p.header.metaOffset + 3, 0xc3)), 'BAD_METADATA', /not valid UTF-8/);
  throwsPack(() => readPack(withText('\ufeff' + p.meta)), 'BAD_METADATA', /not valid JSON/); // FORMAT.md: no BOM
});

test('unknown keys are rejected, not ignored, with the path to them', () => {
  throwsPack(
    () => readPack(withMeta(pack, (d) => (d.version = 2))),
    'BAD_METADATA',
    /metadata version: expected no such field \(known: graph, extra\)/,
  );
  throwsPack(() => readPack(withMeta(pack, (d) => (d.graph.batch = 1))), 'BAD_METADATA', /metadata graph\.batch: expected no such field/);
  throwsPack(
    () => readPack(withMeta(pack, (d) => (d.graph.nodes[2].dilation = 2))),
    'BAD_METADATA',
    /metadata graph\.nodes\[2\]\.dilation: expected no such field \(known: op, input, output, kernelH/,
  );
  throwsPack(
    () => readPack(withMeta(pack, (d) => (d.graph.activations[1].quant.axis = 0))),
    'BAD_METADATA',
    /graph\.activations\[1\]\.quant\.axis/,
  );
  throwsPack(() => readPack(withMeta(pack, (d) => (d.graph.input.antialias = false))), 'BAD_METADATA', /graph\.input\.antialias/);
  throwsPack(() => readPack(withText(p.meta.replace('"graph":{', '"graph":{"__proto__":{"x":1},'))), 'BAD_METADATA', /graph\.__proto__/);
});

test('missing fields and wrong JSON types', () => {
  throwsPack(() => readPack(withMeta(pack, (d) => delete d.graph)), 'BAD_METADATA', /metadata graph: expected an object, found nothing/);
  throwsPack(
    () => readPack(withMeta(pack, (d) => delete d.graph.labels)),
    'BAD_METADATA',
    /graph\.labels: expected a string\[\], found nothing/,
  );
  throwsPack(
    () => readPack(withMeta(pack, (d) => (d.graph.nodes[0].kernelH = '3'))),
    'BAD_METADATA',
    /graph\.nodes\[0\]\.kernelH: expected a number, found "3"/,
  );
  throwsPack(
    () => readPack(withMeta(pack, (d) => (d.graph.nodes[0].relu = 1))),
    'BAD_METADATA',
    /relu: expected a boolean, found number 1/,
  );
  throwsPack(
    () => readPack(withMeta(pack, (d) => (d.graph.labels[2] = 7))),
    'BAD_METADATA',
    /graph\.labels\[2\]: expected a string, found number 7/,
  );
  throwsPack(
    () => readPack(withMeta(pack, (d) => (d.graph.activations[1].shape = [8, '8', 8]))),
    'BAD_METADATA',
    /shape\[1\]: expected a number/,
  );
  throwsPack(() => readPack(withMeta(pack, (d) => (d.graph.activations = {}))), 'BAD_METADATA', /graph\.activations: expected an array/);
  throwsPack(
    () => readPack(withMeta(pack, (d) => (d.graph.activations[1].quant = null))),
    'BAD_METADATA',
    /quant: expected an object, found null/,
  );
  throwsPack(
    () => readPack(withMeta(pack, (d) => (d.graph.nodes[0].weightScale = null))),
    'BAD_METADATA',
    /weightScale: expected a string, found null/,
  );
  throwsPack(() => readPack(withMeta(pack, (d) => (d.extra = [1]))), 'BAD_METADATA', /metadata extra: expected an object/);
  throwsPack(() => readPack(withMeta(pack, (d) => (d.extra = null))), 'BAD_METADATA', /metadata extra: expected an object/);
});

test('node ops: unknown, inherited names, missing', () => {
  for (const op of ['relu', 'toString', '__proto__', 'constructor', 7, null]) {
    throwsPack(
      () => readPack(withMeta(pack, (d) => (d.graph.nodes[1].op = op))),
      'BAD_METADATA',
      /graph\.nodes\[1\]\.op: expected one of conv, add, maxpool, gap, fc, pad_shortcut/,
    );
  }
  throwsPack(() => readPack(withMeta(pack, (d) => (d.graph.nodes[1] = 5))), 'BAD_METADATA', /nodes\[1\]\.op/);
});

test('a shape change of one field gets the semantic check, not a crash', () => {
  throwsPack(
    () => readPack(withMeta(pack, (d) => (d.graph.activations[1].shape = [8, 8]))),
    'INCONSISTENT_SHAPES',
    /shape must be \[height, width, channels\]/,
  );
  throwsPack(() => readPack(withMeta(pack, (d) => (d.graph.inputId = -1))), 'BAD_GRAPH');
  throwsPack(() => readPack(withMeta(pack, (d) => (d.graph.activations = []))), 'BAD_GRAPH');
});

test('extra may hold any JSON object, kept as is', () => {
  const extra = { a: [1, 'two', null, { b: true }], nested: { deep: { deeper: [] } }, unicode: 'ü🐦' };
  assert.equal(readPack(withMeta(pack, (d) => (d.extra = extra))).extra, extra);
});

test.run();
