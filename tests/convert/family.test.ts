// The paper's CIFAR ResNets as torch 1.13 exports them (tests/fixtures/family, made by
// make_family_onnx.py: ResNet-8 with option-A shortcuts padded on both sides and at the end,
// option B, opsets 11–17, with and without constant folding) convert, run within 1e-4 of
// onnxruntime in fp32 and keep int8 logits close to fp32 on real photos the calibration never
// saw; ResNeXt and pre-activation exports are refused naming the node.
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConvertError, convertOnnx } from '../../weights/convert/index.ts';
import { BAR, CIFAR_INPUT, checkNetwork } from '../e2e/family.ts';

const DIR = new URL('../fixtures/family/', import.meta.url);
const photos = (role: string) =>
  readdirSync(new URL(`photos/${role}/`, DIR))
    .sort()
    .map((f) => new URL(`photos/${role}/${f}`, DIR).pathname);
interface Entry {
  file: string;
  family: string;
  option?: string;
  opset: number;
  constant_folding: boolean;
  expect: { arch?: string; error?: string; node?: string; op?: string };
}
const manifest: Entry[] = JSON.parse(readFileSync(new URL('manifest.json', DIR), 'utf8'));
const bytesOf = (e: Entry) => readFileSync(new URL(e.file, DIR));

for (const e of manifest.filter((x) => x.family === 'cifar')) {
  test(`${e.file}: fp32 pack matches onnxruntime, int8 holds on held-out photos, arch ${e.expect.arch}`, async () => {
    const r = await checkNetwork(bytesOf(e), { input: CIFAR_INPUT, calib: photos('calib'), heldout: photos('heldout') });
    const cos = r.cosines.map((c) => c.toFixed(4)).join(' ');
    assert.ok(r.fp32RelErr <= BAR.fp32RelErr, `fp32 max|Δ|/max|logit| ${r.fp32RelErr.toExponential(2)}`);
    assert.ok(r.passes, `int8 cosines vs fp32 on the held-out photos: ${cos}`);
    assert.is(r.arch, e.expect.arch);
    const pads = r.float.graph.nodes.filter((n) => n.op === 'pad_shortcut');
    if (e.option === 'B') assert.is(pads.length, 0);
    else
      assert.equal(
        pads.map((n) => [n.cout, n.channelOffset ?? 0]),
        e.option === 'A'
          ? [
              [32, 8],
              [64, 16],
            ]
          : [
              [32, 0],
              [64, 0],
            ],
      );
  });
}

test('the symmetric option-A export gives the same float network at opset 11 unfolded and opset 17 folded', () => {
  const [a, b] = ['cifar-resnet8-A-opset11-unfolded.onnx', 'cifar-resnet8-A-opset17-folded.onnx'].map((f) =>
    convertOnnx(readFileSync(new URL(f, DIR)), { input: CIFAR_INPUT }),
  );
  assert.equal(a.graph.nodes, b.graph.nodes);
  for (const [name, t] of a.tensors) assert.equal([...t.data], [...b.tensors.get(name)!.data], name);
});

for (const e of manifest.filter((x) => x.family === 'refuse')) {
  test(`${e.file} is refused naming ${e.expect.op} node '${e.expect.node}'`, () => {
    try {
      convertOnnx(bytesOf(e), { input: CIFAR_INPUT });
    } catch (err) {
      assert.instance(err, ConvertError);
      const ce = err as ConvertError;
      assert.equal([ce.code, ce.nodeName, ce.opType], [e.expect.error, e.expect.node, e.expect.op], ce.message);
      assert.match(
        ce.message,
        e.expect.op === 'Conv'
          ? /group=4: grouped\/depthwise convolutions are not supported/
          : /pre-activation blocks .* are not supported/,
      );
      return;
    }
    assert.unreachable('converted a network edge-resnet cannot run');
  });
}

test.run();
