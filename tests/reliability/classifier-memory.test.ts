// One copy of the weights (issue 20): every live classifier kept the whole pack file alive
// besides its wasm memory, so a ResNet-18 cost 22.1 MiB against the 11.2 MiB info.memoryBytes
// reports (and maxMemoryBytes checks). With 20 classifiers alive, RSS per classifier must be
// at most 1.2 × info.memoryBytes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lastJson, mib, runChild } from './shared.ts';

const COUNT = 20;
const RATIO = 1.2;

test(`${COUNT} ResNet-18 classifiers alive: RSS per classifier ≤ ${RATIO} × info.memoryBytes`, async () => {
  const run = await runChild(new URL('./classifier-memory-child.ts', import.meta.url), { flags: ['--expose-gc'], env: { COUNT: String(COUNT) }, stallMs: 60_000, totalMs: 240_000 });
  const r = lastJson<{ count: number; before: number; after: number; memoryBytes: number }>(run.stdout, 'RESULT ');
  assert.ok(r && !run.stalled, `child failed (exit ${run.code ?? run.signal}, stalled ${run.stalled}):\n${run.stderr.slice(-3000)}`);
  const each = (r.after - r.before) / r.count;
  assert.ok(each <= RATIO * r.memoryBytes, `each classifier costs ${mib(each)} of RSS; info.memoryBytes says ${mib(r.memoryBytes)}`);
  console.log(`\n  ${r.count} ResNet-18 classifiers alive: RSS after GC ${mib(r.before)} → ${mib(r.after)}, ${mib(each)} each; info.memoryBytes ${mib(r.memoryBytes)} (ratio ${(each / r.memoryBytes).toFixed(2)})`);
});

test.run();
