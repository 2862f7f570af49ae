// Where the compiled kernel module comes from: the caller (a precompiled WebAssembly.Module —
// the only way on Cloudflare Workers, which forbid compiling bytes at run time — or bytes, or
// a URL), else the build embedded in the package, compiled once per process.
import { chooseSimdLevel, RuntimeFeatureError, type SimdLevel } from './features.ts';
import { readSource, type ByteSource } from '../load/source.ts';

export type WasmSource = WebAssembly.Module | ByteSource;

/** A kernel build: a SIMD level, and whether it imports a shared memory (for worker threads). */
type BuildName = SimdLevel | `${SimdLevel}-threads`;

const embedded = new Map<BuildName, Promise<WebAssembly.Module>>();

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * WebAssembly.compile, with the refusal of runtimes that forbid compiling at run time
 * (Cloudflare Workers / workerd: "Wasm code generation disallowed by embedder"; a page whose
 * CSP lacks 'wasm-unsafe-eval') turned into an error that says what to do instead.
 */
async function compile(bytes: Uint8Array<ArrayBuffer>): Promise<WebAssembly.Module> {
  try {
    return await WebAssembly.compile(bytes);
  } catch (e) {
    if (!(e instanceof Error) || !/disallowed|code generation|unsafe-eval|Content Security Policy/i.test(e.message)) throw e;
    const err = new RuntimeFeatureError(
      'wasm-compile',
      `this runtime forbids compiling WebAssembly at run time (${e.message}); pass the kernel module precompiled as options.wasm, e.g. \`import wasm from 'edge-resnet/kernels-simd.wasm'\` then load(pack, { wasm }) (Cloudflare Workers and workerd import .wasm files as WebAssembly.Module)`,
    );
    Object.defineProperty(err, 'cause', { value: e, configurable: true, writable: true });
    throw err;
  }
}

const EMBEDDED: Record<BuildName, () => Promise<{ wasmBase64: string }>> = {
  simd: () => import('./embedded/kernels-simd.ts'),
  relaxed: () => import('./embedded/kernels-relaxed.ts'),
  'simd-threads': () => import('./embedded/kernels-simd-threads.ts'),
  'relaxed-threads': () => import('./embedded/kernels-relaxed-threads.ts'),
};

async function embeddedModule(build: BuildName): Promise<WebAssembly.Module> {
  let m = embedded.get(build);
  if (!m) {
    m = EMBEDDED[build]().then(({ wasmBase64 }) => compile(decodeBase64(wasmBase64)));
    embedded.set(build, m);
    m.catch(() => embedded.delete(build));
  }
  return m;
}

/** The shared-memory build of a level, for worker threads: the same kernels, importing a shared memory. */
export function threadsKernelModule(level: SimdLevel): Promise<WebAssembly.Module> {
  return embeddedModule(`${level}-threads`);
}

/** The build a compiled module is: kernels-relaxed.wasm exports the relaxed GEMM. */
export function levelOf(module: WebAssembly.Module): SimdLevel {
  return WebAssembly.Module.exports(module).some((e) => e.name.endsWith('__relaxed')) ? 'relaxed' : 'simd';
}

/** options.simd and options.wasm together must agree: the module is the build it is. */
function checkForced(level: SimdLevel, forced: SimdLevel | undefined): void {
  if (forced !== undefined && forced !== level) {
    throw new TypeError(
      `options.simd is '${forced}' but options.wasm is the '${level}' build (kernels-${level}.wasm); pass kernels-${forced}.wasm or leave options.simd unset`,
    );
  }
}

export async function kernelModule(
  source: WasmSource | undefined,
  forced: SimdLevel | undefined,
  signal?: AbortSignal,
): Promise<{ module: WebAssembly.Module; level: SimdLevel }> {
  if (source instanceof WebAssembly.Module) {
    chooseSimdLevel(levelOf(source)); // names the missing feature if the engine can't run it
    checkForced(levelOf(source), forced);
    return { module: source, level: levelOf(source) };
  }
  if (source !== undefined) {
    const bytes = await readSource(source, { signal, what: 'options.wasm' });
    const module = await compile(bytes);
    checkForced(levelOf(module), forced);
    return { module, level: levelOf(module) };
  }
  const level = chooseSimdLevel(forced);
  return { module: await embeddedModule(level), level };
}
