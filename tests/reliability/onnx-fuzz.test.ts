// ONNX fuzzing: the converter on damaged or hostile ONNX files. FUZZ_ONNX_CASES (default 2,000)
// seeded protobuf-level and structured mutations of the tiny fixture ONNX files; each must end
// in a ConvertError with a message, or in a model that packs, loads and runs
// (onnx-fuzz-run.ts). Run in a child process: a hang or a crash fails the test, bounded in time.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fuzzInChild } from './shared.ts';

const CASES = Number(process.env.FUZZ_ONNX_CASES ?? 2_000);

test(`${CASES} mutated ONNX files through convertOnnx(): a ConvertError or a usable model, nothing else`, async () => {
  const { result: r, totals } = await fuzzInChild<{ converted: number; ran: number; distinctMessages: number }>(
    new URL('./onnx-fuzz-run.ts', import.meta.url),
    { FUZZ_ONNX_CASES: String(CASES) },
    30_000,
    Math.max(180_000, CASES * 60),
  );
  assert.is(r.cases, CASES);
  const codes = [
    'converted',
    'BAD_ONNX',
    'EXTERNAL_DATA',
    'UNSUPPORTED_DTYPE',
    'UNSUPPORTED_OPSET',
    'UNSUPPORTED_OP',
    'UNSUPPORTED_PATTERN',
    'BAD_INPUT',
  ];
  if (CASES >= 1000) for (const c of codes) assert.ok((totals[c] ?? 0) > 0, `no case ended in ${c}: ${JSON.stringify(totals)}`);
  console.log(
    `\n  ONNX fuzz: ${r.cases} cases in ${(r.ms / 1000).toFixed(1)} s; ${r.converted} converted (${r.ran} of them loaded and run), ` +
      `${r.distinctMessages} distinct error messages; ${JSON.stringify(totals)}`,
  );
});

test.run();
