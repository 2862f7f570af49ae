// What the cross-runtime test asserts, as pure functions returning the problems found (empty =
// pass), so a failure lists every difference at once, named by runtime, pack, build and image.
import { THREAD_COUNTS, type ImageResult, type Job, type Run, type ScenarioResult, type SdkPrediction } from './scenario.ts';

/** Softmax scores go through Math.exp, which engines may round differently in the last bits. */
export const SCORE_TOL = 1e-6;
/** fp32 with the relaxed build uses f32x4.relaxed_madd (fused or not, as the engine likes). */
export const FP32_RELAXED_TOL = 1e-4;

/** What a runtime must show: the kernel builds it runs ('relaxed' only where the engine has relaxed SIMD) and its default. */
export interface Expectation {
  relaxed: boolean | 'if-supported';
  defaultBuild: 'simd' | 'relaxed' | 'best' | null;
  /** Whether it must run worker threads (else one thread, saying why in info.threadsReason). */
  threads: boolean;
}

export interface Golden {
  about: string;
  runtime: string;
  packs: Record<string, { path: string; sha256: string }>;
  images: Record<string, { path: string; pixelsSha256: string }>;
  /**
   * pack → image → the reference: int8 from any build, fp32 from the simd build. `embedding`
   * is not in golden.json: the test adds Node 20's, which it ties to the logits (the pack's fc
   * weights applied to it give them bit for bit).
   */
  results: Record<string, Record<string, { logits: string; top5: SdkPrediction[]; embedding?: string }>>;
}

/** Does this run's output have to equal the reference bit for bit? (int8: always; fp32: the simd build.) */
export const exact = (r: Pick<Run, 'precision' | 'build'>) => r.precision === 'int8' || r.build === 'simd';

function f32s(hex: string): Float32Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  const dv = new DataView(bytes.buffer);
  return Float32Array.from({ length: bytes.length / 4 }, (_, i) => dv.getFloat32(i * 4, true));
}

const fmt = (hex: string) => `[${Array.from(f32s(hex), (v) => v.toPrecision(9)).join(', ')}]`;

export function compareTop5(where: string, got: SdkPrediction[], want: SdkPrediction[]): string[] {
  const ids = (p: SdkPrediction[]) => p.map((x) => `${x.index}:${x.label}`).join(' ');
  if (ids(got) !== ids(want)) return [`${where}: top-5 ${ids(got)}, expected ${ids(want)}`];
  const bad = got.findIndex((p, i) => !(Math.abs(p.score - want[i].score) <= SCORE_TOL));
  return bad < 0 ? [] : [`${where}: top-5 score #${bad} is ${got[bad].score}, expected ${want[bad].score} (± ${SCORE_TOL})`];
}

/** One image's result against the reference logits and the golden top 5. */
export function compareImage(
  where: string,
  run: Pick<Run, 'precision' | 'build'>,
  got: ImageResult,
  ref: { logits: string; embedding?: string },
  golden: { top5: SdkPrediction[] },
  refName = "Node 20's",
): string[] {
  const embedding = ref.embedding === undefined ? [] : compareF32(`${where}: embedding`, run, got.embedding, ref.embedding, refName);
  if (exact(run)) {
    const problems =
      got.logits === ref.logits
        ? []
        : [`${where}: logits differ from ${refName}\n    got      ${fmt(got.logits)}\n    expected ${fmt(ref.logits)}`];
    return [...problems, ...embedding, ...compareTop5(where, got.top5, golden.top5)];
  }
  return [...compareF32(`${where}: logits`, run, got.logits, ref.logits, refName), ...embedding];
}

/** Equal bits where the run must be exact; else within FP32_RELAXED_TOL (relative). */
function compareF32(what: string, run: Pick<Run, 'precision' | 'build'>, got: string, want: string, refName: string): string[] {
  if (exact(run))
    return got === want ? [] : [`${what} differs from ${refName}: ${got.length / 8} values, first at ${firstDifference(got, want)}`];
  const a = f32s(got),
    b = f32s(want);
  if (a.length !== b.length) return [`${what}: ${a.length} values, ${refName} has ${b.length}`];
  const worst = a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]) / (1 + Math.abs(b[i]))), 0);
  return worst <= FP32_RELAXED_TOL
    ? []
    : [`${what}: fp32 relaxed values differ from the simd build's by ${worst} (relative) > ${FP32_RELAXED_TOL}`];
}

function firstDifference(got: string, want: string): string {
  const a = f32s(got),
    b = f32s(want);
  const i = a.findIndex((v, k) => !Object.is(v, b[k]));
  return i < 0 ? `length (${a.length} vs ${b.length})` : `[${i}]: got ${a[i]}, expected ${b[i]}`;
}

/** Every run of one runtime against the reference (Node 20 in process) and the golden file. */
export function compareRuntime(
  rt: { name: string; expect: Expectation },
  res: ScenarioResult,
  ref: Golden['results'],
  golden: Golden,
  job: Job,
  notices: string[],
): string[] {
  const problems: string[] = [];
  const relaxed = rt.expect.relaxed === 'if-supported' ? res.features.relaxedSimd : rt.expect.relaxed;
  if (res.features.relaxedSimd !== relaxed)
    problems.push(
      `${rt.name}: relaxed SIMD ${res.features.relaxedSimd ? 'present' : 'absent'}, expected ${relaxed ? 'present' : 'absent'}`,
    );
  if (!res.features.relaxedSimd) notices.push(`${rt.name}: no relaxed SIMD, only the simd build checked`);
  const builds = res.features.relaxedSimd ? ['simd', 'relaxed'] : ['simd'];
  const want = rt.expect.defaultBuild === 'best' ? (res.features.relaxedSimd ? 'relaxed' : 'simd') : rt.expect.defaultBuild;
  if (res.defaultBuild !== want) problems.push(`${rt.name}: load() with no options picked ${res.defaultBuild}, expected ${want}`);
  for (const pack of job.packs) {
    for (const build of builds) {
      const run = res.runs.find((r) => r.pack === pack.name && r.build === build);
      if (!run) {
        problems.push(`${rt.name}: no ${build} run of ${pack.name}`);
        continue;
      }
      for (const im of job.images) {
        const got = run.images.find((i) => i.image === im.name);
        const where = `${rt.name} ${pack.name} ${build} ${im.name}`;
        if (!got) problems.push(`${where}: missing`);
        else problems.push(...compareImage(where, run, got, ref[pack.name][im.name], golden.results[pack.name][im.name]));
      }
    }
  }
  return problems;
}

/**
 * Threads: where the runtime has them, each pack ran on 2, 3 and 4 threads with the reference
 * logits, and a batch gave each image the logits of its single call; where it has none (workerd),
 * one thread and a reason in info.threadsReason.
 */
export function compareThreads(
  rt: { name: string; expect: Expectation },
  res: ScenarioResult,
  ref: Golden['results'],
  golden: Golden,
  job: Job,
): string[] {
  const problems: string[] = [];
  for (const pack of job.packs) {
    for (const requested of THREAD_COUNTS) {
      const run = res.threads?.find((r) => r.pack === pack.name && r.requested === requested);
      const where = `${rt.name} ${pack.name} threads: ${requested}`;
      if (!run) {
        problems.push(`${where}: missing`);
        continue;
      }
      if (rt.expect.threads && (run.threads !== requested || run.reason !== undefined))
        problems.push(`${where}: ran on ${run.threads} (${run.reason ?? 'no reason given'})`);
      if (!rt.expect.threads && (run.threads !== 1 || !run.reason))
        problems.push(`${where}: expected one thread and a reason, got ${run.threads} threads, reason ${JSON.stringify(run.reason)}`);
      for (const [i, im] of job.images.entries()) {
        const got = run.images.find((x) => x.image === im.name);
        if (!got) {
          problems.push(`${where} ${im.name}: missing`);
          continue;
        }
        problems.push(
          ...compareImage(`${where} ${run.build} ${im.name}`, run, got, ref[pack.name][im.name], golden.results[pack.name][im.name]),
        );
        if (run.batch[i] !== got.logits) problems.push(`${where} ${im.name}: logits in a batch differ from the single call's`);
      }
    }
  }
  return problems;
}

/** True if an image has no alpha channel or is fully opaque. */
export function opaque(im: Job['images'][number]): boolean {
  if (im.channels !== 4) return true;
  const px = Buffer.from(im.base64, 'base64');
  for (let i = 3; i < px.length; i += 4) if (px[i] !== 255) return false;
  return true;
}
