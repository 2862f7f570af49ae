// Shared by the reliability tests: the committed tiny packs, a precompiled kernel module, GC
// access, memory probes, and a child-process runner with a stall watchdog (a fuzz loop that
// hangs must fail the test, not the CI job).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { kernelModule } from '../../ts-sdk/kernels/module.ts';

export const INT8_PACK = new Uint8Array(readFileSync(new URL('../fixtures/tiny-int8.pack', import.meta.url)));
export const FP32_PACK = new Uint8Array(readFileSync(new URL('../fixtures/tiny-fp32.pack', import.meta.url)));
export const ROOT = new URL('../../', import.meta.url);

/** The kernel build this engine runs, compiled once (load() then only instantiates it). */
export const wasmModule = (): Promise<WebAssembly.Module> => kernelModule(undefined, undefined).then((k) => k.module);

/** A full GC, with or without --expose-gc (the flag can be set at run time; vm hands out the function). */
export const gc: () => void = (() => {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

/** Resident set size in bytes. */
export const rss = (): number => process.memoryUsage.rss();

/**
 * Keeps the event loop busy while a test awaits in a tight loop. Node 20 runs
 * NodePlatform::DrainTasks whenever the loop runs out of handles, and that can deadlock with a
 * background compile task waiting for a GC (nodejs/node#54918): seen here twice in ~1,000
 * load()/dispose() cycles of a script with nothing else to do. A live timer keeps uv_run from
 * returning, so DrainTasks is never reached. Returns the stop function.
 */
export function keepAlive(): () => void {
  const t = setInterval(() => {}, 1000);
  return () => clearInterval(t);
}

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Killed because nothing was printed for `stallMs`. */
  stalled: boolean;
  ms: number;
}

/**
 * Runs a TypeScript file in a child node with this process's flags (tsx, relaxed SIMD) plus
 * `flags`. The child must print progress: silence for `stallMs` (a hang) or running past
 * `totalMs` kills it.
 */
export function runChild(
  file: URL,
  opts: { flags?: string[]; env?: Record<string, string>; stallMs: number; totalMs: number; args?: string[] },
): Promise<ChildResult> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [...process.execArgv, ...(opts.flags ?? []), new URL(file).pathname, ...(opts.args ?? [])], {
    cwd: new URL(ROOT).pathname,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let stalled = false;
  let last = performance.now();
  child.stdout.on('data', (d: Buffer) => ((stdout += d), (last = performance.now())));
  child.stderr.on('data', (d: Buffer) => ((stderr += d), (last = performance.now())));
  const watch = setInterval(() => {
    const now = performance.now();
    if (now - last > opts.stallMs || now - t0 > opts.totalMs) {
      stalled = true;
      child.kill('SIGKILL');
    }
  }, 250);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearInterval(watch);
      resolve({ code, signal, stdout, stderr, stalled, ms: performance.now() - t0 });
    });
  });
}

/** The last line of `text` that starts with `mark`, parsed as JSON. */
export function lastJson<T>(text: string, mark: string): T | undefined {
  const line = text
    .split('\n')
    .reverse()
    .find((l) => l.startsWith(mark));
  return line ? (JSON.parse(line.slice(mark.length)) as T) : undefined;
}

export const mib = (b: number): string => `${(b / 2 ** 20).toFixed(1)} MiB`;

/** What a fuzz child prints last (`RESULT {json}`), plus its FAIL lines. */
export interface FuzzRun<R> {
  result: R & { cases: number; failures: number; ms: number; outcomes: Record<string, Record<string, number>> };
  /** Outcome counts summed over mutation kinds. */
  totals: Record<string, number>;
}

/**
 * Runs a fuzz loop file in a child and asserts it ended normally with no failing case: a
 * stall (no output for `stallMs`: a hang), a crash or an OOM of the child fails with the last
 * case it reached and how to reproduce.
 */
export async function fuzzInChild<R>(file: URL, env: Record<string, string>, stallMs: number, totalMs: number): Promise<FuzzRun<R>> {
  const run = await runChild(file, { env, stallMs, totalMs });
  const reached =
    run.stdout
      .match(/^@(\d+)$/gm)
      ?.pop()
      ?.slice(1) ?? '0';
  const fails = run.stdout
    .split('\n')
    .filter((l) => l.startsWith('FAIL '))
    .join('\n');
  const where = new URL(file).pathname.split('/').slice(-3).join('/');
  if (run.stalled)
    throw new Error(
      `${where}: no progress for ${stallMs} ms (or over ${totalMs} ms in all) after case ${reached}: a hang\n${fails}\n${run.stderr.slice(-2000)}`,
    );
  const result = lastJson<FuzzRun<R>['result']>(run.stdout, 'RESULT ');
  if (!result)
    throw new Error(
      `${where}: the child died (exit ${run.code ?? run.signal}) after case ${reached}:\n${fails}\n${run.stderr.slice(-3000)}`,
    );
  if (result.failures)
    throw new Error(
      `${where}: ${result.failures} failing cases (reproduce one with FUZZ_SEED=<seed> node --experimental-wasm-relaxed-simd --import tsx ${where}):\n${fails}`,
    );
  const totals: Record<string, number> = {};
  for (const row of Object.values(result.outcomes)) for (const [k, v] of Object.entries(row)) totals[k] = (totals[k] ?? 0) + v;
  return { result, totals };
}
