// Where the compiled kernel module comes from: the caller (a precompiled WebAssembly.Module —
// the only way on Cloudflare Workers, which forbid compiling bytes at run time — or bytes, or
// a URL), else the build embedded in the package, compiled once per process.
import { chooseSimdLevel, type SimdLevel } from './features.ts';
import { readSource, type ByteSource } from '../load/source.ts';

export type WasmSource = WebAssembly.Module | ByteSource;

const embedded = new Map<SimdLevel, Promise<WebAssembly.Module>>();

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function embeddedModule(level: SimdLevel): Promise<WebAssembly.Module> {
  let m = embedded.get(level);
  if (!m) {
    m = (level === 'relaxed' ? import('./embedded/kernels-relaxed.ts') : import('./embedded/kernels-simd.ts'))
      .then(({ wasmBase64 }) => WebAssembly.compile(decodeBase64(wasmBase64)));
    embedded.set(level, m);
    m.catch(() => embedded.delete(level));
  }
  return m;
}

/** The build a compiled module is: kernels-relaxed.wasm exports the relaxed GEMM. */
export function levelOf(module: WebAssembly.Module): SimdLevel {
  return WebAssembly.Module.exports(module).some((e) => e.name.endsWith('__relaxed')) ? 'relaxed' : 'simd';
}

export async function kernelModule(source: WasmSource | undefined, forced: SimdLevel | undefined, signal?: AbortSignal): Promise<{ module: WebAssembly.Module; level: SimdLevel }> {
  if (source instanceof WebAssembly.Module) {
    chooseSimdLevel(levelOf(source)); // names the missing feature if the engine can't run it
    return { module: source, level: levelOf(source) };
  }
  if (source !== undefined) {
    const bytes = await readSource(source, { signal, what: 'options.wasm' });
    const module = await WebAssembly.compile(bytes);
    return { module, level: levelOf(module) };
  }
  const level = chooseSimdLevel(forced);
  return { module: await embeddedModule(level), level };
}
