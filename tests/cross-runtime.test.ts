// The same scenario (load each pack of cases.json, classify each image, with every kernel
// build the engine has, and on 2, 3 and 4 worker threads, alone and as a batch) runs on the
// built package in Node 20 (this process, and children with
// and without --experimental-wasm-relaxed-simd), Node 24, Deno, Bun, the three browser engine
// families (headless Chromium, headless Firefox ESR, WebKitGTK on a private Xvfb display) and
// workerd. Every page is cross-origin isolated, so browsers run the threads; workerd must run
// one thread and say why. Every runtime's logits must equal Node 20's bit for bit (int8: every build; fp32:
// the simd build, the relaxed one within FP32_RELAXED_TOL) and its top 5 the golden file's;
// its embed() must equal Node 20's too (and Node 20's is the head's input: the pack's fc
// weights applied to it give the logits bit for bit). load() with no options must pick the
// best build the engine has (WebKit: no relaxed SIMD, so simd), and the wall-time lines say
// which it picked. A runtime whose binary is missing is skipped with a printed notice — except
// under CI=true, where it fails, so a green CI can't hide a missing install. A browser that is
// installed but does not start fails.
// Needs dist/ (npm test builds it first). Drivers: tests/cross-runtime/.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GOLDEN,
  goldenFrom,
  makeJob,
  referenceFrom,
  referenceRuns,
  ROOT,
  RUNTIMES,
  runChild,
  runInProcess,
  type ChildOutcome,
} from './cross-runtime/harness.ts';
import { readPack } from '../ts-sdk/pack/index.ts';
import { readHead } from '../ts-sdk/head/pack-head.ts';
import { headLogits } from '../ts-sdk/head/fc-head.ts';
import { compareImage, compareRuntime, compareThreads, opaque, type Golden } from './cross-runtime/compare.ts';
import type { Job, ScenarioResult } from './cross-runtime/scenario.ts';

const CHILD_TIMEOUT_MS = 90_000; // a browser: up to 30 s to start, 60 s for the scenario (browser.ts)
const PARALLEL = 2; // the machines have 2 cores
const strict = !!process.env.CI && process.env.CI !== 'false';

let dir = '';
let job: Job;
let local: ScenarioResult;
let golden: Golden;
let ref: Golden['results'];
const outcomes = new Map<string, Promise<ChildOutcome | { missing: string }>>();
const timings: string[] = [];
const notices: string[] = [];

test.before(async () => {
  job = await makeJob();
  dir = mkdtempSync(join(tmpdir(), 'edge-resnet-cross-runtime-'));
  const jobFile = join(dir, 'job.json');
  writeFileSync(jobFile, JSON.stringify(job));
  golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Golden;
  // Start every runtime now, PARALLEL at a time; each test below awaits its own.
  const queue = RUNTIMES.map((rt) => {
    let start!: () => void;
    const started = new Promise<void>((r) => (start = r));
    outcomes.set(
      rt.name,
      started.then(async (): Promise<ChildOutcome | { missing: string }> => {
        const missing = rt.missing();
        if (missing) return { missing };
        const [cmd, args] = rt.command(jobFile);
        return runChild(cmd, args, CHILD_TIMEOUT_MS);
      }),
    );
    return { start, done: outcomes.get(rt.name)! };
  });
  const next = () => {
    const q = queue.shift();
    if (q) {
      q.start();
      void q.done.finally(next);
    }
  };
  for (let i = 0; i < PARALLEL; i++) next();
  local = await runInProcess(job);
  ref = referenceFrom(local, job);
});

test.after(() => {
  if (timings.length) console.log(`\n  cross-runtime wall times (${PARALLEL} at a time):\n    ${timings.join('\n    ')}`);
  if (notices.length) console.log(`  cross-runtime notices:\n    ${notices.join('\n    ')}`);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('golden.json was made from these packs and images', () => {
  const fresh = goldenFrom(local, job);
  assert.equal(fresh.packs, golden.packs, 'a pack changed: regenerate golden.json (see its "about")');
  assert.equal(fresh.images, golden.images, 'an image changed: regenerate golden.json (see its "about")');
});

test('node20 in process: threads 2, 3 and 4 and batches give the golden logits', () => {
  const problems = compareThreads(
    { name: 'in-process', expect: { relaxed: true, defaultBuild: 'relaxed', threads: true } },
    local,
    golden.results,
    golden,
    job,
  );
  assert.ok(problems.length === 0, `\n${problems.join('\n')}`);
});

test('node20 in process: every build equals the golden logits and top 5', () => {
  const problems = local.runs.flatMap((run) =>
    run.images.flatMap((im) =>
      compareImage(
        `in-process ${run.pack} ${run.build} ${im.image}`,
        run,
        im,
        golden.results[run.pack][im.image],
        golden.results[run.pack][im.image],
        'golden.json',
      ),
    ),
  );
  assert.ok(problems.length === 0, `\n${problems.join('\n')}`);
  assert.is(referenceRuns(local).length, job.packs.length);
  if (!local.features.relaxedSimd)
    notices.push('this process has no relaxed SIMD (run node with --experimental-wasm-relaxed-simd): its relaxed build was not checked');
});

test("node20 in process: embed() is the head's input — the pack's fc weights applied to it give the logits bit for bit", () => {
  const bits = (hex: string) => new Float32Array(Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16)).buffer);
  for (const run of referenceRuns(local)) {
    const head = readHead(readPack(readFileSync(join(ROOT, job.packs.find((p) => p.name === run.pack)!.path))));
    for (const im of run.images) {
      const again = headLogits(head, bits(im.embedding));
      assert.ok(
        again.every((v, i) => Object.is(v, bits(im.logits)[i])),
        `${run.pack} ${im.image}: [${[...again.slice(0, 4)]}…] from the embedding, [${[...bits(im.logits).slice(0, 4)]}…] from logits()`,
      );
    }
  }
});

for (const rt of RUNTIMES) {
  test(`${rt.name}: logits and embeddings bit-identical to node20, top 5 as golden`, async () => {
    const out = await outcomes.get(rt.name)!;
    if ('missing' in out) {
      const msg = `${rt.name} skipped: ${out.missing}`;
      if (strict) assert.unreachable(`${msg} (CI=true: every runtime must run)`);
      console.log(`\n  NOTICE cross-runtime: ${msg}`);
      notices.push(msg);
      return;
    }
    timings.push(
      `${rt.name.padEnd(42)} ${String(out.ms).padStart(6)} ms${out.result ? `  default build ${out.result.defaultBuild ?? '(none: wasm passed in)'}  ${out.result.runtime}` : ''}`,
    );
    if (!out.result) assert.unreachable(`${rt.name} failed: ${out.error}`);
    const res = out.result!;
    const problems = [...compareRuntime(rt, res, ref, golden, job, notices), ...compareThreads(rt, res, ref, golden, job)];
    for (const extra of res.extra) {
      // The browser's own PNG decoding (canvas): exact for opaque images; a canvas stores
      // premultiplied alpha, so a translucent pixel's colour may come back off by one.
      for (const im of extra.images) {
        const src = job.images.find((i) => i.name === im.image)!;
        const same = im.logits === ref[extra.pack][im.image].logits;
        if (opaque(src)) {
          if (!same)
            problems.push(
              `${rt.name} ${extra.name} ${extra.build} ${im.image}: logits differ from the decoded pixels' (an opaque image must decode exactly)`,
            );
        } else if (!same) {
          notices.push(
            `${rt.name} ${extra.name} ${extra.build} ${im.image}: differs (translucent pixels lose precision in a canvas's premultiplied store)`,
          );
        }
      }
    }
    if (rt.name === 'workerd') {
      // Without options.wasm the SDK compiles its embedded build, which workerd forbids: the
      // error must tell the Worker's author what to do.
      const prefix = 'load() with no options.wasm: ';
      const err = res.notes.find((n) => n.startsWith(prefix))?.slice(prefix.length) ?? '';
      if (!/^RuntimeFeatureError: .*options\.wasm/.test(err))
        problems.push(`workerd: load() without options.wasm should fail with a RuntimeFeatureError naming options.wasm; got: ${err}`);
    }
    assert.ok(problems.length === 0, `\n${problems.join('\n')}`);
  });
}

test.run();
