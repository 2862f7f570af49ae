// Shared by the examples' tests: the case they run, which runtimes are installed (as the
// cross-runtime test decides it), the built SDK's own answer in this process, and child
// processes bounded in time, each in its own process group, killed whole when done.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as assert from 'uvu/assert';
import { build } from 'esbuild';
import { ROOT, RUNTIMES } from '../cross-runtime/harness.ts';
import { SCORE_TOL } from '../cross-runtime/compare.ts';
import type { Prediction } from '../../ts-sdk/index.ts';
import type { DecodeOptions } from '../../ts-sdk/decode/index.ts';

export { ROOT };

/** The pack and image every example test classifies (paths from the repo root): what the README's main command runs. */
export const CASE = { pack: 'weights/packs/resnet18-fmnist-int8.pack', image: 'weights/data/samples/09-ankleboot-idx0.png' };

/** Under CI=true a missing runtime fails the test instead of skipping it. */
export const strict = !!process.env.CI && process.env.CI !== 'false';

export const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);

/**
 * True if the runtime is missing here: prints a NOTICE and the caller skips — or, under
 * CI=true, throws.
 */
export function skipMissing(runtime: 'chromium' | 'firefox' | 'webkit' | 'deno' | 'workerd', what: string): boolean {
  const why = RUNTIMES.find((r) => r.name === runtime)!.missing();
  if (!why) return false;
  const msg = `${what} skipped: ${why}`;
  if (strict) throw new Error(`${msg} (CI=true: every runtime must run)`);
  console.log(`\n  NOTICE examples: ${msg}`);
  return true;
}

/**
 * Runs `make` once, on first call. Suites set up through this inside their tests, not in
 * uvu's before hook: an error thrown by a before hook aborts the whole run, while one thrown
 * in a test fails only that test.
 */
export function once<T>(make: () => Promise<T>): { get(): Promise<T>; ifMade(): Promise<T | undefined> } {
  let made: Promise<T> | undefined;
  return {
    get: () => (made ??= make()),
    ifMade: () => (made ?? Promise.resolve(undefined)).catch(() => undefined),
  };
}

/**
 * The built package's top 5 for encoded image bytes (default: CASE's image), computed in this
 * process as a Node user would, decoded with `decode` options (the examples pass minSide).
 */
export async function expectedTop(
  bytes: Uint8Array = readFileSync(join(ROOT, CASE.image)),
  decode: DecodeOptions = {},
): Promise<Prediction[]> {
  for (const f of ['index.js', 'decode.js', 'kernels-simd.wasm']) {
    if (!existsSync(join(ROOT, 'dist', f)))
      throw new Error(`dist/${f} is missing: the examples run the built package; run npm run build first`);
  }
  const sdk = (await import(pathToFileURL(join(ROOT, 'dist', 'index.js')).href)) as typeof import('../../ts-sdk/index.ts');
  const { decodeImage } = (await import(
    pathToFileURL(join(ROOT, 'dist', 'decode.js')).href
  )) as typeof import('../../ts-sdk/decode/index.ts');
  const clf = await sdk.load(join(ROOT, CASE.pack));
  try {
    return await clf.classify(decodeImage(bytes, decode), { topK: 5 });
  } finally {
    clf.dispose();
  }
}

/** A `key = "value"` setting of examples/cloudflare-worker/wrangler.toml. */
export function wranglerSetting(key: string): string {
  const toml = readFileSync(join(ROOT, 'examples', 'cloudflare-worker', 'wrangler.toml'), 'utf8');
  const m = new RegExp(`^${key}\\s*=\\s*"([^"]+)"`, 'm').exec(toml);
  if (!m) throw new Error(`wrangler.toml has no ${key}`);
  return m[1];
}

/**
 * A workerd config in `dir` serving the worker modules `esModules` (files in `dir`, the main one
 * first) as wrangler sets the example up: the kernels as a compiled wasm module, the pack behind
 * an ASSETS binding (a disk service over a directory holding only the pack), PACK as a text
 * binding, the compatibility date of wrangler.toml. Returns the config's path.
 */
export function writeWorkerdConfig(dir: string, esModules: string[], v8Flags: string[] = []): string {
  symlinkSync(join(ROOT, 'dist', 'kernels-simd.wasm'), join(dir, 'kernels-simd.wasm'));
  mkdirSync(join(dir, 'assets'));
  symlinkSync(join(ROOT, CASE.pack), join(dir, 'assets', basename(CASE.pack)));
  const config = join(dir, 'config.capnp');
  const modules = esModules.map((m) => `    (name = ${JSON.stringify(m)}, esModule = embed ${JSON.stringify(m)}),\n`).join('');
  writeFileSync(
    config,
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "assets", disk = (path = ${JSON.stringify(join(dir, 'assets'))}, writable = false)),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "main") ],
  v8Flags = ${JSON.stringify(v8Flags)},
);
const worker :Workerd.Worker = (
  modules = [
${modules}    (name = "edge-resnet/kernels-simd.wasm", wasm = embed "kernels-simd.wasm"),
  ],
  bindings = [
    (name = "ASSETS", service = "assets"),
    (name = "PACK", text = ${JSON.stringify(basename(CASE.pack))}),
  ],
  compatibilityDate = ${JSON.stringify(wranglerSetting('compatibility_date'))},
);
`,
  );
  return config;
}

/** The Worker example bundled to `outfile` as wrangler bundles it. */
export async function bundleWorkerExample(outfile: string): Promise<void> {
  await build({
    entryPoints: [join(ROOT, 'examples', 'cloudflare-worker', wranglerSetting('main'))],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    // *.wasm: wrangler's CompiledWasm rule makes them modules of their own. node:*: wrangler
    // leaves Node built-ins to the runtime (the SDK imports node:fs only when run by Node).
    external: ['*.wasm', 'node:*'],
    logLevel: 'error',
  });
}

/** Asserts an example's top 5 equals the SDK's: same classes in the same order, scores within SCORE_TOL. */
export function assertSameTop(got: Prediction[], want: Prediction[], who: string): void {
  const names = (ps: Prediction[]) => ps.map((p) => `${p.index}:${p.label}`);
  assert.equal(names(got), names(want), `${who}: top 5 classes`);
  got.forEach((p, i) =>
    assert.ok(Math.abs(p.score - want[i].score) <= SCORE_TOL, `${who}: score of #${i + 1} is ${p.score}, the SDK says ${want[i].score}`),
  );
}

// Every group still running when this process exits is killed with it.
const live = new Set<ChildProcess>();
const killGroup = (child: ChildProcess, sig: NodeJS.Signals) => {
  try {
    process.kill(-child.pid!, sig);
  } catch {
    /* already gone */
  }
};
process.on('exit', () => live.forEach((c) => killGroup(c, 'SIGKILL')));

export interface Child {
  /** The `ready` pattern's match on stdout. */
  match: RegExpMatchArray;
  /** Everything it printed so far (for failure messages). */
  output(): string;
  /** SIGTERM to the whole group, SIGKILL after a grace period; resolves once it exited. */
  stop(): Promise<void>;
}

function launch(cmd: string, args: string[], extraFd: boolean): ChildProcess {
  const stdio: ('ignore' | 'pipe')[] = ['ignore', 'pipe', 'pipe'];
  if (extraFd) stdio.push('pipe');
  const child = spawn(cmd, args, { cwd: ROOT, detached: true, stdio, env: { ...process.env, NO_COLOR: '1' } });
  live.add(child);
  child.on('close', () => live.delete(child));
  return child;
}

/**
 * Starts a server and resolves once `ready` matches a line it printed (on stdout, or on fd 3
 * with `readyOnFd3`, workerd's control channel); rejects if it exits or takes over `timeoutMs`.
 */
export function startChild(cmd: string, args: string[], opts: { ready: RegExp; timeoutMs: number; readyOnFd3?: boolean }): Promise<Child> {
  const child = launch(cmd, args, !!opts.readyOnFd3);
  let out = '';
  let signal = '';
  child.stdout!.on('data', (d: Buffer) => (out += d));
  child.stderr!.on('data', (d: Buffer) => (out += d));
  const exited = new Promise<void>((r) => child.once('close', () => r()));
  const stop = async () => {
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };
  const output = () => out.trim().split('\n').slice(-30).join('\n');
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stop().then(() => reject(new Error(`${cmd} ${args.join(' ')}: ${why}\n--- output:\n${output()}`)));
    };
    const timer = setTimeout(() => fail(`not ready within ${opts.timeoutMs} ms`), opts.timeoutMs);
    child.once('error', (e) => fail(`could not start: ${e.message}`));
    child.once('close', (code, sig) => fail(`exited with ${code ?? sig} before it was ready`));
    (opts.readyOnFd3 ? child.stdio[3]! : child.stdout!).on('data', (d: Buffer) => {
      signal += d;
      const match = signal.match(opts.ready);
      if (!match || settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ match, output, stop });
    });
  });
}

/** Runs a command to completion; kills its group at `timeoutMs`. */
export function runBounded(
  cmd: string,
  args: string[],
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const t0 = performance.now();
  const child = launch(cmd, args, false);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d));
  child.stderr!.on('data', (d: Buffer) => (stderr += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      killGroup(child, 'SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')}: timed out after ${timeoutMs} ms\n--- stdout:\n${stdout}\n--- stderr:\n${stderr}`));
    }, timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      killGroup(child, 'SIGKILL'); // anything it left behind in its group
      resolve({ code, stdout, stderr, ms: Math.round(performance.now() - t0) });
    });
  });
}

/** fetch with a deadline, returning the status and the parsed JSON body. */
export async function fetchJson(
  url: string,
  init: RequestInit = {},
  timeoutMs = 20_000,
): Promise<{ status: number; type: string; body: Record<string, unknown> }> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`${init.method ?? 'GET'} ${url}: HTTP ${res.status}, not JSON: ${text.slice(0, 300)}`);
  }
  return { status: res.status, type: res.headers.get('content-type') ?? '', body };
}

/**
 * The checks every classify server example passes: POST /classify with the CASE image answers
 * the SDK's top 5 as JSON (status 200, application/json, numClasses 10); returns the body.
 */
export async function assertClassifyRequest(
  url: string,
  want: Prediction[],
  who: string,
  output: () => string,
): Promise<Record<string, unknown>> {
  const res = await fetchJson(url, {
    method: 'POST',
    body: readFileSync(join(ROOT, CASE.image)),
    headers: { 'content-type': 'image/png' },
  });
  assert.is(res.status, 200, `${JSON.stringify(res.body)}\n--- ${who}:\n${output()}`);
  assert.match(res.type, /^application\/json/);
  assertSameTop(res.body.predictions as Prediction[], want, who);
  assert.is((res.body.model as { numClasses: number }).numClasses, 10);
  return res.body;
}

/** Bad requests to a classify server example: each a 4xx with a JSON `error` message. */
export async function assertBadRequests(url: string): Promise<void> {
  const cases: [string, RequestInit, string, number][] = [
    [url, { method: 'POST', body: 'this is not an image' }, 'garbage', 400],
    [url, { method: 'POST', body: new Uint8Array(0) }, 'empty body', 400],
    [url, { method: 'GET' }, 'GET', 405],
    [url.replace('/classify', '/nope'), { method: 'POST', body: 'x' }, 'unknown path', 404],
  ];
  for (const [u, init, what, status] of cases) {
    const res = await fetchJson(u, init);
    assert.is(res.status, status, `${what}: ${JSON.stringify(res.body)}`);
    assert.type(res.body.error, 'string', `${what}: error message`);
  }
}

/** A body sent as a stream (chunked, no content-length), in 64 KiB chunks. */
function streamed(bytes: Uint8Array): RequestInit {
  let at = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      if (at >= bytes.byteLength) return c.close();
      c.enqueue(bytes.subarray(at, (at += 65536)));
    },
  });
  return { method: 'POST', body, duplex: 'half' } as RequestInit;
}

/**
 * Chunked uploads, which declare no length: the CASE image streamed is classified; a 17 MiB
 * stream is cut off at the 16 MiB cap with a 413 (or, if the server answers while the client is
 * still sending, a connection reset), and the server keeps serving.
 */
export async function assertStreamedBodies(url: string, want: Prediction[], who: string): Promise<void> {
  const ok = await fetchJson(url, streamed(readFileSync(join(ROOT, CASE.image))));
  assert.is(ok.status, 200, JSON.stringify(ok.body));
  assertSameTop(ok.body.predictions as Prediction[], want, `${who} (streamed body)`);
  const big = await fetchJson(url, streamed(new Uint8Array(17 << 20))).catch((e: Error) => e);
  if (!(big instanceof Error)) assert.is(big.status, 413, JSON.stringify(big.body));
  const after = await fetchJson(url, { method: 'POST', body: readFileSync(join(ROOT, CASE.image)) });
  assert.is(after.status, 200, 'still serving after the oversize stream');
}

/** The 12 MP photo the examples must classify within their memory budget, and the minSide they decode it with (the shipped pack's 64×64 input). */
export const PHOTO_12MP = { file: 'tests/fixtures/preprocess/decode/large/chelsea-4000x3000.jpg', minSide: 64 };

/**
 * A request written on a raw socket: `head` (request line and headers, without the blank
 * line), then each body part after `gapMs`. Resolves with the status line's code and the
 * response (or 0 if the server closed without answering) once the server answers or closes.
 */
export function rawRequest(
  url: string,
  head: string,
  parts: (string | Uint8Array)[],
  gapMs = 0,
  timeoutMs = 30_000,
): Promise<{ status: number; text: string; ms: number }> {
  const { hostname, port, pathname } = new URL(url);
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const sock = connect(Number(port), hostname);
    let data = '';
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(data)?.[1] ?? 0), text: data, ms: performance.now() - t0 });
    };
    const timer = setTimeout(
      () => (sock.destroy(), reject(new Error(`${head.split('\r\n')[0]}: no answer within ${timeoutMs} ms`))),
      timeoutMs,
    );
    sock.on('data', (d: Buffer) => {
      data += d.toString('latin1');
      const end = data.indexOf('\r\n\r\n');
      const len = Number(/content-length: *(\d+)/i.exec(data.slice(0, end))?.[1] ?? NaN);
      if (end >= 0 && data.length - end - 4 >= len) finish();
    });
    sock.on('close', finish);
    sock.on('error', finish);
    sock.write(`${head.replace('PATH', pathname)}\r\nHost: ${hostname}\r\n\r\n`);
    let i = 0;
    const next = () => {
      if (done || i >= parts.length) return;
      sock.write(parts[i++]);
      setTimeout(next, gapMs);
    };
    setTimeout(next, gapMs);
  });
}

/**
 * Hostile uploads (issue 20) to a classify server example: the decompression and header bombs
 * get a 4xx JSON error quickly, a 12 MP photo is classified (as the SDK does with the same
 * minSide), a malformed chunked body is a 400 and a body that stalls a 408 — none a 5xx, none
 * leaving a stack trace in the server's log — and the server still answers correctly after.
 */
export async function assertHostileUploads(
  url: string,
  want: Prediction[],
  who: string,
  output: () => string,
  bombs: [string, Uint8Array][],
): Promise<void> {
  for (const [name, bytes] of bombs) {
    const t0 = performance.now();
    const res = await fetchJson(url, { method: 'POST', body: bytes as Uint8Array<ArrayBuffer> });
    assert.ok(res.status === 400 || res.status === 413, `${who}, ${name}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    assert.match(String(res.body.error), /^decodeImage: /, `${who}, ${name}`);
    assert.ok(performance.now() - t0 < 3000, `${who}, ${name}: answered after ${(performance.now() - t0).toFixed(0)} ms`);
  }
  const photo = readFileSync(join(ROOT, PHOTO_12MP.file));
  const big = await fetchJson(url, { method: 'POST', body: photo }, 60_000);
  assert.is(big.status, 200, `${who}, 12 MP photo: ${JSON.stringify(big.body)}`);
  assertSameTop(big.body.predictions as Prediction[], await expectedTop(photo, { minSide: PHOTO_12MP.minSide }), `${who} (12 MP photo)`);

  // workerd hands the handler a body stream that fails (answered 400); Deno's HTTP layer closes the connection itself (0).
  const chunked = await rawRequest(url, 'POST PATH HTTP/1.1\r\nTransfer-Encoding: chunked\r\nConnection: close', [
    '5\r\nabcde\r\nzz-not-a-size\r\n',
  ]);
  assert.ok(chunked.status === 400 || chunked.status === 0, `${who}, malformed chunked body: ${chunked.text.slice(0, 300)}`);
  const stalled = await rawRequest(url, 'POST PATH HTTP/1.1\r\nContent-Length: 1000\r\nConnection: close', ['0123456789'], 0, 30_000);
  assert.is(stalled.status, 408, `${who}, stalled body: ${stalled.text.slice(0, 300)}`);
  assert.ok(stalled.ms < 12_000, `${who}: the stalled body was answered after ${stalled.ms.toFixed(0)} ms`);
  assert.ok(!/^\s+at /m.test(output()), `${who} logged a stack trace:\n${output()}`);
  await assertClassifyRequest(url, want, who, output);
}
