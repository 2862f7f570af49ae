// One cold start in a fresh process (plain JavaScript: no TypeScript loader in the way):
// from the engine's import to its first result, then a few more runs for memory figures.
//   node bench/cold-child.mjs '{"engine":"edge"|"ort","model":"<file>","size":224,"dist":"<dist/index.js>","runs":3}'
// Prints one JSON line. Wasm memory is found by watching WebAssembly.Memory construction and
// instantiation (memories a module exports), so it works the same for every engine.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

const opt = JSON.parse(process.argv[2]);
/** @type {Set<WebAssembly.Memory>} */
const memories = new Set();
const OrigMemory = WebAssembly.Memory;
WebAssembly.Memory = class extends OrigMemory {
  /** @param {WebAssembly.MemoryDescriptor} desc */
  constructor(desc) {
    super(desc);
    memories.add(this);
  }
};
/** @param {WebAssembly.Instance} instance */
const collect = (instance) => {
  for (const v of Object.values(instance.exports)) if (v instanceof OrigMemory) memories.add(v);
};
const origInstantiate = WebAssembly.instantiate;
// One wrapper for both overloads (module → Instance, bytes → { module, instance }); the
// checker cannot see that a rest-argument function implements an overload set.
WebAssembly.instantiate = /** @type {typeof WebAssembly.instantiate} */ (
  /** @param {[WebAssembly.Module | BufferSource, WebAssembly.Imports?]} args */
  async (...args) => {
    const r = await /** @type {(...a: typeof args) => Promise<WebAssembly.Instance | WebAssembly.WebAssemblyInstantiatedSource>} */ (
      origInstantiate
    )(...args);
    collect(r instanceof WebAssembly.Instance ? r : r.instance);
    return r;
  }
);
// Peak RSS of this process image: Linux's VmHWM resets at exec, while getrusage's maxRSS keeps
// the forking parent's high-water mark.
const peakRss = () => {
  let status = '';
  try {
    status = readFileSync('/proc/self/status', 'utf8');
  } catch {
    // not Linux: getrusage below
  }
  const hwm = /VmHWM:\s+(\d+)\s+kB/.exec(status);
  return hwm ? Number(hwm[1]) * 1024 : process.resourceUsage().maxRSS * 1024;
};
const wasmBytes = () => [...memories].reduce((s, m) => s + m.buffer.byteLength, 0);

// A deterministic normalized-looking input (its values don't change the timing).
const S = opt.size;
const x = new Float32Array(3 * S * S);
for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 0.001) * 1.5;

const rss0 = process.memoryUsage().rss;
const t0 = performance.now();
let infer, tImport, tLoad, info;
if (opt.engine === 'edge') {
  const { load } = await import(pathToFileURL(opt.dist).href);
  tImport = performance.now();
  const clf = await load(await readFile(opt.model), opt.simd ? { simd: opt.simd } : {});
  tLoad = performance.now();
  info = { simd: clf.info.simd, memoryBytes: clf.info.memoryBytes };
  infer = () => clf.logits(x);
} else {
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  tImport = performance.now();
  const session = await ort.InferenceSession.create(await readFile(opt.model), {
    executionProviders: ['wasm'],
    graphOptimizationLevel: 'all',
  });
  tLoad = performance.now();
  const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', x, [1, 3, S, S]) };
  infer = async () => (await session.run(feeds))[session.outputNames[0]].data;
}
const y = await infer();
const tFirst = performance.now();
const rssFirst = process.memoryUsage().rss;
const wasmFirst = wasmBytes();
const more = [];
for (let i = 0; i < (opt.runs ?? 3); i++) {
  const s = performance.now();
  await infer();
  more.push(performance.now() - s);
}
process.stdout.write(
  JSON.stringify({
    importMs: tImport - t0,
    loadMs: tLoad - tImport,
    firstRunMs: tFirst - tLoad,
    totalMs: tFirst - t0,
    nextRunsMs: more,
    rss0,
    rssFirst,
    rssAfter: process.memoryUsage().rss,
    maxRss: peakRss(),
    wasmFirst,
    wasmAfter: wasmBytes(),
    wasmMemories: memories.size,
    logit0: y[0],
    ...info,
  }) + '\n',
);
