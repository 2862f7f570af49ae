// Writes tests/fixtures/cross-runtime/golden.json from this Node (20, the machine's) running the
// built package on cases.json. Run after a deliberate change of the packs, the images or the
// numerics, and review the diff:
//   npm run build && node --experimental-wasm-relaxed-simd --import tsx tests/cross-runtime/make-golden.ts
import { writeFileSync } from 'node:fs';
import { GOLDEN, goldenFrom, makeJob, runInProcess } from './harness.ts';
import { compareImage } from './compare.ts';

const job = await makeJob();
const res = await runInProcess(job);
const golden = goldenFrom(res, job);
// The builds must agree before their common answer becomes the reference.
const problems = res.runs.flatMap((run) =>
  run.images.flatMap((im) =>
    compareImage(
      `${run.pack} ${run.build} ${im.image}`,
      run,
      im,
      golden.results[run.pack][im.image],
      golden.results[run.pack][im.image],
      'the simd build',
    ),
  ),
);
if (problems.length) throw new Error(`the kernel builds disagree; golden.json not written:\n${problems.join('\n')}`);
if (!res.features.relaxedSimd)
  console.warn('warning: no relaxed SIMD here (run with --experimental-wasm-relaxed-simd): only the simd build was checked');
writeFileSync(GOLDEN, `${JSON.stringify(golden, null, 2)}\n`);
console.log(
  `wrote ${GOLDEN} (${res.runtime}; ${job.packs.length} packs × ${job.images.length} images, builds: ${[...new Set(res.runs.map((r) => r.build))].join(', ')})`,
);
