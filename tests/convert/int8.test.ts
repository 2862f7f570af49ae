// int8 end to end on torchvision ResNet-18 (64×64): calibrate, quantize, then compare the
// int8 network with onnxruntime's fp32 logits. The TypeScript int8 simulation
// (tests/helpers/int8-sim.ts, written from docs/ARCHITECTURE.md) is the reference; the wasm
// executor must equal it bit for bit, which lets the 64-input accuracy run at wasm speed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readPack, writePack } from '../../ts-sdk/pack/index.ts';
import { quantizeModel } from '../../weights/convert/index.ts';
import { lowerFp32 } from '../../weights/convert/quantize.ts';
import { EVAL, SIM, SIZE, r18Int8 as setup } from './r18-int8.ts';
import { agreement, cosine, fmtAgreement } from './shared.ts';

test('quantized model: u8 activations with zero point 0 after ReLU, input range from Normalize', async () => {
  const { q } = await setup();
  const g = q.graph;
  assert.is(g.precision, 'int8');
  const inQ = g.activations[g.inputId].quant!;
  // ImageNet Normalize maps [0, 1] to [−2.118, 2.640]: exactly that span over 255 steps.
  assert.ok(Math.abs(inQ.scale - (2.64 + 2.1179) / 255) < 1e-4, `input scale ${inQ.scale}`);
  assert.is(inQ.zeroPoint, Math.round(2.1179 / inQ.scale));
  for (const n of g.nodes) {
    if ((n.op === 'conv' || n.op === 'add') && n.relu) assert.is(g.activations[n.output].quant!.zeroPoint, 0);
    if (n.op === 'maxpool') assert.equal(g.activations[n.output].quant, g.activations[n.input].quant);
  }
  assert.is(g.activations[g.outputId].quant, undefined);
  const conv1 = g.nodes.find((n) => n.op === 'conv')!;
  assert.ok(conv1.op === 'conv' && conv1.weightScale === 'conv1.wscale');
  assert.is(q.tensors.get('conv1.bias')!.dtype, 'i32');
});

test(`int8 simulation tracks ORT fp32 (${SIM} inputs, cosine ≥ 0.99)`, async () => {
  const { simLogits, want } = await setup();
  for (let i = 0; i < SIM; i++) {
    const c = cosine(simLogits[i], want[i]);
    assert.ok(c >= 0.99, `input ${i}: cosine ${c.toFixed(4)}`);
  }
});

test('the wasm int8 executor equals the simulation bit for bit', async () => {
  const { q, evalSet, exec, simLogits } = await setup();
  if (!exec) return console.warn('skipped: no wasm kernels');
  const e = await exec(readPack(writePack(q)));
  for (let i = 0; i < SIM; i++) assert.equal(e.run(evalSet[i]), simLogits[i], `input ${i}`);
});

test(`${EVAL} inputs: cosine ≥ 0.99 each, top-1 ≥ 95 % where fp32 is confident`, async () => {
  const { q, evalSet, want, exec, simLogits } = await setup();
  if (!exec) return console.warn(`skipped: the ${EVAL}-input run needs the wasm executor (the simulation of ${SIM} inputs passed above)`);
  const e = await exec(q);
  const got = evalSet.map((x) => e.run(x));
  for (let i = 0; i < SIM; i++) assert.equal(got[i], simLogits[i]);
  const a = agreement(got, want);
  console.log(
    `  ResNet-18 ${SIZE}×${SIZE} int8 (percentile 99.99 %, ${(await setup()).calib.images} calibration images) vs ORT fp32: ${fmtAgreement(a)}`,
  );
  assert.ok(a.cosMin >= 0.99, fmtAgreement(a));
  assert.ok(a.top1Confident >= 0.95, fmtAgreement(a));
});

test('residual fusion: 8 blocks end in a fused conv, no add is left, and the fused network is closer to fp32', async () => {
  const { q, float, calib, evalSet, want, exec } = await setup();
  const convs = q.graph.nodes.filter((n) => n.op === 'conv');
  assert.is(convs.filter((n) => n.op === 'conv' && n.residual !== undefined).length, 8);
  assert.is(q.graph.nodes.filter((n) => n.op === 'add').length, 0);
  assert.is(q.extra?.fusedResidualAdds, 8);
  // Every fused conv reads a shortcut produced before it, of its own output's shape.
  q.graph.nodes.forEach((n, i) => {
    if (n.op !== 'conv' || n.residual === undefined) return;
    assert.ok(q.graph.nodes.slice(0, i).some((m) => m.output === n.residual) || n.residual === q.graph.inputId);
    assert.equal(q.graph.activations[n.residual].shape, q.graph.activations[n.output].shape);
  });
  const unfused = quantizeModel(float, calib, { fuseResidual: false });
  assert.is(unfused.graph.nodes.filter((n) => n.op === 'add').length, 8);
  assert.is(unfused.graph.activations.length, q.graph.activations.length + 8);
  if (!exec) return;
  const [ef, eu] = [await exec(q), await exec(unfused)];
  const err = (e: typeof ef) => {
    let s = 0,
      n = 0;
    evalSet.forEach((x, i) => {
      const y = e.run(x);
      y.forEach((v, k) => {
        s += (v - want[i][k]) ** 2;
        n += want[i][k] ** 2;
      });
    });
    return s / n;
  };
  const [fusedErr, unfusedErr] = [err(ef), err(eu)];
  const db = 10 * Math.log10(unfusedErr / fusedErr);
  console.log(
    `  logits' relative squared error vs ORT fp32 over ${evalSet.length} inputs: fused ${fusedErr.toExponential(2)}, unfused ${unfusedErr.toExponential(2)} (${db.toFixed(2)} dB better)`,
  );
  assert.ok(fusedErr < unfusedErr, `fused ${fusedErr} vs unfused ${unfusedErr}`);
});

test('int8 and fp32 models survive writePack → readPack unchanged', async () => {
  const { q, float } = await setup();
  for (const m of [q, lowerFp32(float)]) {
    const back = readPack(writePack(m));
    assert.equal(back.graph, m.graph);
    assert.equal([...back.tensors.keys()], [...m.tensors.keys()]);
    for (const [k, t] of m.tensors) {
      const u = back.tensors.get(k)!;
      assert.equal([u.dtype, u.layout, u.dims], [t.dtype, t.layout, t.dims], k);
      assert.ok(
        Buffer.from(u.data.buffer, u.data.byteOffset, u.data.byteLength).equals(
          Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength),
        ),
        k,
      );
    }
  }
});

test.run();
