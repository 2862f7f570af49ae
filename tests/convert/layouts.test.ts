// Every tensor says how its bytes are laid out, from the converter to the pack and back: the
// float model is all 'plain' (logical layouts), toInt8 / toFp32 pack the weights ('q8c2',
// 'f32n8'), readPack returns the layout each tensor was stored in, and the steps that need
// logical weights refuse packed ones by name.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Model } from '../../ts-sdk/model/graph.ts';
import { readPack, writePack } from '../../ts-sdk/pack/index.ts';
import { convertOnnx, quantizeModel, runReference, toFp32, toInt8 } from '../../weights/convert/index.ts';
import { lowerFp32 } from '../../weights/convert/quantize.ts';
import { randomImages } from '../fixtures/random-images.ts';
import { fixture } from './shared.ts';

const float = convertOnnx(fixture({ arch: 'tiny', size: 32 }).bytes);
const images = randomImages({ count: 2, size: 32, seed: 3 });
const { model: int8, calibration } = toInt8(float, images);
const fp32 = toFp32(float);

/** Layout of each tensor, by its role: 'weight', 'bias' or 'wscale' (the name's suffix). */
function layoutsByRole(m: Model): Record<string, string[]> {
  const out: Record<string, Set<string>> = {};
  for (const t of m.tensors.values()) (out[t.name.slice(t.name.lastIndexOf('.') + 1)] ??= new Set()).add(t.layout);
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...v]]));
}

test('the float model is plain; toInt8 and toFp32 pack the weights and only them', () => {
  assert.equal(layoutsByRole(float), { weight: ['plain'], bias: ['plain'] });
  assert.equal(layoutsByRole(int8), { weight: ['q8c2'], bias: ['plain'], wscale: ['plain'] });
  assert.equal(layoutsByRole(fp32), { weight: ['f32n8'], bias: ['plain'] });
  // The dims stay logical in every layout (conv OHWI).
  const name = [...float.tensors.keys()].find((k) => k.endsWith('.weight'))!;
  assert.equal(int8.tensors.get(name)!.dims, float.tensors.get(name)!.dims);
  assert.equal(fp32.tensors.get(name)!.dims, float.tensors.get(name)!.dims);
});

test('readPack returns the stored layouts; the provenance object holds no layout marker', () => {
  for (const m of [int8, fp32]) {
    const back = readPack(writePack(m));
    for (const [k, t] of m.tensors) assert.is(back.tensors.get(k)!.layout, t.layout, k);
    assert.not.ok(back.extra && 'weights' in back.extra, 'extra.weights is gone');
  }
});

test('quantizer, fp32 lowering and reference refuse packed weights, naming the tensor', () => {
  const packedName = [...fp32.tensors.values()].find((t) => t.layout === 'f32n8')!.name;
  const refusals: [string, () => unknown, RegExp][] = [
    [
      'quantizeModel(fp32 pack model)',
      () => quantizeModel(fp32, calibration),
      new RegExp(
        `^quantizeModel needs the converter's float model .* got tensor '${packedName.replace('.', '\\.')}' in the packed layout 'f32n8'$`,
      ),
    ],
    ['lowerFp32(a read fp32 pack)', () => lowerFp32(readPack(writePack(fp32))), /^lowerFp32 needs .* in the packed layout 'f32n8'$/],
    [
      'runReference(int8 model)',
      () => runReference(int8, images[0]),
      /^runReference needs the converter's float model .* got an int8 model$/,
    ],
  ];
  for (const [what, fn, message] of refusals) {
    try {
      fn();
      assert.unreachable(`${what} should throw`);
    } catch (e) {
      assert.instance(e, TypeError, what);
      assert.match((e as Error).message, message, what);
    }
  }
  // The float model itself still runs.
  assert.is(runReference(float, images[0]).length, 10);
});

test.run();
