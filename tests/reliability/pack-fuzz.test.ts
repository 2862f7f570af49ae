// Pack fuzzing: load() must never be what crashes a service. FUZZ_CASES (default 10,000) seeded
// mutations of the tiny packs go through load() and, when they load, classify(); each must end
// in a PackFormatError or in correct, finite results (pack-fuzz-run.ts says exactly what is
// checked). The loop runs in a child process, so a hang (no progress for 30 s) or an
// out-of-memory fails this test with the last case reached instead of wedging the run.
//   FUZZ_CASES=100000 node --experimental-wasm-relaxed-simd --import tsx node_modules/uvu/bin.js tests/reliability pack-fuzz
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fuzzInChild } from './shared.ts';

const CASES = Number(process.env.FUZZ_CASES ?? 10_000);

test(`${CASES} mutated packs through load() and classify(): PackFormatError or correct results, nothing else`, async () => {
  const { result: r, totals } = await fuzzInChild<{ loaded: number; compared: number; nonFiniteFp32: number }>(
    new URL('./pack-fuzz-run.ts', import.meta.url),
    { FUZZ_CASES: String(CASES) },
    30_000,
    Math.max(300_000, CASES * 30),
  );
  assert.is(r.cases, CASES);
  // The mutations must reach every layer of the reader and the runtime, not stop at the CRC.
  const codes = [
    'loaded',
    'TRUNCATED',
    'BAD_HEADER',
    'CHECKSUM_MISMATCH',
    'BAD_TENSOR_TABLE',
    'BAD_METADATA',
    'BAD_GRAPH',
    'INCONSISTENT_SHAPES',
    'MISSING_TENSOR',
    'BAD_TENSOR_DATA',
  ];
  if (CASES >= 2000) for (const c of codes) assert.ok((totals[c] ?? 0) > 0, `no case ended in ${c}: ${JSON.stringify(totals)}`);
  assert.ok(r.compared >= CASES / 10, `only ${r.compared} loaded int8 packs were compared with the reference`);
  console.log(
    `\n  pack fuzz: ${r.cases} cases in ${(r.ms / 1000).toFixed(1)} s; ${r.loaded} loaded, ${r.compared} int8 results bit-identical to the reference, ` +
      `${r.nonFiniteFp32} fp32 packs with non-finite logits; ${JSON.stringify(totals)}`,
  );
});

test.run();
