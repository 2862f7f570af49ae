// Anything the model graph cannot express is a ConvertError that names the ONNX node (name
// and op type) and says what was expected.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConvertError, convertOnnx } from '../../weights/convert/index.ts';
import { INT64_MAX } from '../fixtures/onnx-builder.ts';
import { type Mini, miniOnnx } from './mini-graphs.ts';

function expectError(bytes: Uint8Array, want: { code: string; node?: string; op?: string; message: RegExp }): void {
  try {
    convertOnnx(bytes);
  } catch (e) {
    assert.instance(e, ConvertError);
    const ce = e as ConvertError;
    assert.is(ce.code, want.code, ce.message);
    if (want.node !== undefined) assert.is(ce.nodeName, want.node, ce.message);
    if (want.op !== undefined) assert.is(ce.opType, want.op, ce.message);
    if (want.node !== undefined)
      assert.ok(ce.message.includes(`'${want.node}'`) && ce.message.includes(want.op!), `message names the node: ${ce.message}`);
    assert.match(ce.message, want.message);
    return;
  }
  assert.unreachable('expected a ConvertError');
}

const stem = (m: Mini, x: string) => m.node('Relu', [m.conv(x, 3, 8, 3, { name: 'stem', bias: true })], {}, 'stem_relu');

test('an op outside the ResNet vocabulary', () => {
  expectError(
    miniOnnx((m, x) => m.node('Sigmoid', [stem(m, x)], {}, '/layer1/act/Sigmoid')),
    {
      code: 'UNSUPPORTED_OP',
      node: '/layer1/act/Sigmoid',
      op: 'Sigmoid',
      message: /not part of a ResNet.*supported: Conv, BatchNormalization/,
    },
  );
});

test('a custom-domain op', () => {
  const bytes = miniOnnx((m, x) => {
    m.b.node('FusedConv', [x, m.init('fw', [8, 3, 3, 3])], ['fused'], {}, 'fused0', 'com.microsoft');
    return m.node('Relu', ['fused']);
  });
  expectError(bytes, { code: 'UNSUPPORTED_OP', node: 'fused0', op: 'FusedConv', message: /custom-domain op 'com\.microsoft'/ });
});

test('grouped (depthwise) convolution', () => {
  expectError(
    miniOnnx((m, x) => m.conv(stem(m, x), 4, 8, 3, { name: 'dw', attrs: { group: { i: 2 } } })),
    {
      code: 'UNSUPPORTED_PATTERN',
      node: 'dw',
      op: 'Conv',
      message: /group=2/,
    },
  );
});

test('dilated convolution', () => {
  expectError(
    miniOnnx((m, x) => m.conv(stem(m, x), 8, 8, 3, { name: 'dil', attrs: { dilations: { ints: [2, 2] } } })),
    {
      code: 'UNSUPPORTED_PATTERN',
      node: 'dil',
      op: 'Conv',
      message: /dilat/,
    },
  );
});

test('a BatchNormalization that does not follow a conv (pre-activation ResNet)', () => {
  const bytes = miniOnnx((m, x) => {
    const a = stem(m, x);
    const sum = m.node('Add', [a, m.conv(a, 8, 8, 3, { bias: true })], {}, 'add0');
    const bn = ['weight', 'bias', 'running_mean', 'running_var'].map((k, i) => m.init(`pre.${k}`, [8], 0.1, i === 3 ? 1 : 0));
    return m.node('BatchNormalization', [sum, ...bn], {}, '/layer2/bn_pre/BatchNormalization');
  });
  expectError(bytes, {
    code: 'UNSUPPORTED_PATTERN',
    node: '/layer2/bn_pre/BatchNormalization',
    op: 'BatchNormalization',
    message: /follow a Conv/,
  });
});

test('a ReLU with nothing to fuse into', () => {
  const bytes = miniOnnx((m, x) =>
    m.node(
      'Relu',
      [m.node('MaxPool', [stem(m, x)], { kernel_shape: { ints: [2, 2] }, strides: { ints: [2, 2] } }, 'pool0')],
      {},
      'late_relu',
    ),
  );
  expectError(bytes, { code: 'UNSUPPORTED_PATTERN', node: 'late_relu', op: 'Relu', message: /no standalone ReLU/ });
});

test('a conv output read both by its BN and by another node', () => {
  const bytes = miniOnnx((m, x) => {
    const c = m.conv(x, 3, 8, 3, { name: 'c' });
    const bn = ['weight', 'bias', 'running_mean', 'running_var'].map((k, i) => m.init(`bn.${k}`, [8], 0.1, i === 3 ? 1 : 0));
    const y = m.node('BatchNormalization', [c, ...bn], {}, 'bn');
    return m.node('Add', [y, c], {}, 'add');
  });
  expectError(bytes, { code: 'UNSUPPORTED_PATTERN', node: 'bn', op: 'BatchNormalization', message: /nothing else reads/ });
});

test('training-mode BatchNormalization', () => {
  const bytes = miniOnnx(
    (m, x) => {
      const c = m.conv(x, 3, 8, 3, { name: 'c' });
      const bn = ['weight', 'bias', 'running_mean', 'running_var'].map((k, i) => m.init(`bn.${k}`, [8], 0.1, i === 3 ? 1 : 0));
      return m.node('BatchNormalization', [c, ...bn], { training_mode: { i: 1 } }, 'bn_train');
    },
    { opset: 15 },
  );
  expectError(bytes, { code: 'UNSUPPORTED_PATTERN', node: 'bn_train', op: 'BatchNormalization', message: /eval mode/ });
});

test('a shortcut Pad that also pads the spatial axes (option A pads channels only)', () => {
  const bytes = miniOnnx(
    (m, x) => {
      const a = stem(m, x);
      const s = m.node(
        'Slice',
        [
          a,
          m.b.int64Init('st', [0, 0]),
          m.b.int64Init('en', [INT64_MAX, INT64_MAX]),
          m.b.int64Init('ax', [2, 3]),
          m.b.int64Init('sp', [2, 2]),
        ],
        {},
        'slice',
      );
      const p = m.node('Pad', [s, m.b.int64Init('pads', [0, 4, 1, 0, 0, 4, 0, 0])], { mode: { s: 'constant' } }, 'LambdaPad');
      return m.node('Relu', [m.node('Add', [m.conv(a, 8, 16, 3, { stride: 2 }), p], {}, 'add')]);
    },
    { channelsOut: 16 },
  );
  expectError(bytes, {
    code: 'UNSUPPORTED_PATTERN',
    node: 'LambdaPad',
    op: 'Pad',
    message: /pads \[0, 4, 1, 0, 0, 4, 0, 0\]: only zero channels before and after/,
  });
});

test('pads computed from a tensor too large to fold are refused before anything is allocated', () => {
  const bytes = miniOnnx(
    (m, x) => {
      const a = stem(m, x);
      const big = m.node('ConstantOfShape', [m.b.int64Init('huge', [1 << 20, 1 << 20])], {}, 'HugeConstant');
      const s = m.node(
        'Slice',
        [
          a,
          m.b.int64Init('st', [0, 0]),
          m.b.int64Init('en', [INT64_MAX, INT64_MAX]),
          m.b.int64Init('ax', [2, 3]),
          m.b.int64Init('sp', [2, 2]),
        ],
        {},
        'slice',
      );
      const p = m.node('Pad', [s, big], { mode: { s: 'constant' } }, 'LambdaPad');
      return m.node('Relu', [m.node('Add', [m.conv(a, 8, 16, 3, { stride: 2 }), p], {}, 'add')]);
    },
    { channelsOut: 16 },
  );
  expectError(bytes, {
    code: 'UNSUPPORTED_PATTERN',
    node: 'HugeConstant',
    op: 'ConstantOfShape',
    message: /1099511627776 elements.*capped/,
  });
});

test('a classifier over a spatial map (no global pooling)', () => {
  const bytes = miniOnnx((m, x) => {
    const y = stem(m, x);
    m.node('Flatten', [y], { axis: { i: 1 } }, 'early_flatten');
    return y;
  });
  // The early Flatten is dead (nothing reads it) — still refused, because it is visited in order.
  expectError(bytes, { code: 'UNSUPPORTED_PATTERN', node: 'early_flatten', op: 'Flatten', message: /flattens a 8×8 map/ });
});

test('a 1-channel network without --mean/--std: the error names the flags that fix it', () => {
  const bytes = miniOnnx((m, x) => m.node('Relu', [m.conv(x, 1, 8, 3, { name: 'stem', bias: true })], {}, 'stem_relu'), { channelsIn: 1 });
  expectError(bytes, {
    code: 'BAD_INPUT',
    message: /default mean is ImageNet's 3 values but the network takes 1 channel: .*--mean 0\.5.*input\.mean/,
  });
  const m = convertOnnx(bytes, { input: { mean: [0.5], std: [0.25] } });
  assert.equal([m.graph.input.channels, m.graph.input.color], [1, 'gray-replicate']);
});

test('an input declaring more channels than an image has is refused before anything is sized by it', () => {
  // 2^31 channels once made the converter build a 2^31-element array for its error message (found by onnx-fuzz).
  for (const channelsIn of [65, 2 ** 31]) {
    expectError(
      miniOnnx((m, x) => stem(m, x), { channelsIn }),
      {
        code: 'BAD_INPUT',
        message: new RegExp(`^the network's input has ${channelsIn} channels; edge-resnet takes images of 1 to 64 channels$`),
      },
    );
  }
});

test('an opset outside the supported range, just below and just above it', () => {
  for (const opset of [6, 8, 22]) {
    expectError(
      miniOnnx((m, x) => stem(m, x), { opset }),
      { code: 'UNSUPPORTED_OPSET', message: new RegExp(`^ONNX opset ${opset} is outside the supported 9–21$`) },
    );
  }
});

test('strides that differ per axis', () => {
  expectError(
    miniOnnx((m, x) => m.conv(stem(m, x), 8, 8, 3, { name: 'rect', attrs: { strides: { ints: [1, 2] } } })),
    {
      code: 'UNSUPPORTED_PATTERN',
      node: 'rect',
      op: 'Conv',
      message: /equal strides/,
    },
  );
});

test.run();
