// ONNX decoding: the tensor storage variants exporters use, attributes, and clear errors.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import protobuf from 'protobufjs';
import { ConvertError, parseOnnx } from '../../weights/convert/index.ts';
import { ONNX_PROTO } from '../../weights/convert/onnx-schema.ts';
import { OnnxBuilder } from '../fixtures/onnx-builder.ts';

const ModelProto = protobuf.parse(ONNX_PROTO, { keepCase: true }).root.lookupType('onnx.ModelProto');

/** A one-node model whose single initializer is `t` (raw protobuf object). */
function modelWith(t: object): Uint8Array {
  const m = ModelProto.fromObject({
    ir_version: 8,
    opset_import: [{ domain: '', version: 13 }],
    graph: {
      node: [{ op_type: 'Relu', input: ['x'], output: ['y'], name: 'r' }],
      initializer: [t],
      input: [{ name: 'x' }],
      output: [{ name: 'y' }],
    },
  });
  return ModelProto.encode(m).finish();
}

const W = Float32Array.of(1.5, -2.25, 3e-8, 1e9);

test('float initializers read the same from raw_data and float_data', () => {
  for (const storage of ['raw', 'float_data'] as const) {
    const b = new OnnxBuilder({ storage });
    b.floatInit('w', [2, 2], W);
    b.node('Relu', ['x'], ['y'], {}, 'r');
    const g = parseOnnx(b.encode({ opset: 13, input: 'x', inputShape: [1, 3, 4, 4], output: 'y', outputShape: [1, 3, 4, 4] }));
    const t = g.initializers.get('w')!;
    assert.is(t.kind, 'float');
    assert.equal(t.dims, [2, 2]);
    assert.equal(Array.from(t.data as Float32Array), Array.from(W), storage);
  }
});

test('raw_data at an odd byte offset, float16, double and int64 tensors', () => {
  const f16 = new Uint8Array([0x00, 0x3c, 0x00, 0xc0]); // 1.0, -2.0
  const f64 = new Uint8Array(Float64Array.of(0.1, -7).buffer);
  const i64 = new Uint8Array(BigInt64Array.of(-1n, 9223372036854775807n).buffer);
  for (const [t, want] of [
    [{ name: 'h', dims: [2], data_type: 10, raw_data: f16 }, [1, -2]],
    [{ name: 'd', dims: [2], data_type: 11, raw_data: f64 }, [Math.fround(0.1), -7]],
    [{ name: 'i', dims: [2], data_type: 7, raw_data: i64 }, [-1, 2 ** 63]], // INT64_MAX as the nearest double
    [{ name: 'j', dims: [3], data_type: 7, int64_data: [4, -5, 6] }, [4, -5, 6]],
    [{ name: 'k', dims: [2], data_type: 10, int32_data: [0x3c00, 0x3800] }, [1, 0.5]],
  ] as const) {
    const g = parseOnnx(modelWith(t));
    assert.equal(Array.from(g.initializers.get(t.name)!.data), want, t.name);
  }
});

test('attributes decode to plain values', () => {
  const b = new OnnxBuilder();
  b.node('Conv', ['x', 'w'], ['y'], { kernel_shape: { ints: [3, 3] }, group: { i: 1 }, auto_pad: { s: 'NOTSET' }, alpha: { f: 0.5 } }, 'c');
  const g = parseOnnx(b.encode({ opset: 13, input: 'x', inputShape: ['N', 3, 'H', 8], output: 'y', outputShape: [1] }));
  assert.equal(g.nodes[0].attrs, { kernel_shape: [3, 3], group: 1, auto_pad: 'NOTSET', alpha: 0.5 });
  assert.is(g.opset, 13);
  assert.equal(g.inputs[0].shape, ['N', 3, 'H', 8]);
});

test('external data is refused with the tensor name and what to do', () => {
  const bytes = modelWith({
    name: 'layer1.0.conv1.weight',
    dims: [4],
    data_type: 1,
    data_location: 1,
    external_data: [{ key: 'location', value: 'weights.bin' }],
  });
  try {
    parseOnnx(bytes);
    assert.unreachable('should throw');
  } catch (e) {
    assert.instance(e, ConvertError);
    assert.is((e as ConvertError).code, 'EXTERNAL_DATA');
    assert.match((e as Error).message, /layer1\.0\.conv1\.weight/);
    assert.match((e as Error).message, /location=weights\.bin/);
    assert.match((e as Error).message, /save_as_external_data=False/);
  }
});

test('bytes that are not ONNX give BAD_ONNX', () => {
  for (const bytes of [new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f]), new TextEncoder().encode('not a model at all')]) {
    try {
      parseOnnx(bytes);
      assert.unreachable('should throw');
    } catch (e) {
      assert.is((e as ConvertError).code, 'BAD_ONNX');
    }
  }
});

test.run();
