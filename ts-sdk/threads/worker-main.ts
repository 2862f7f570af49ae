// The code each worker thread runs (bundled at build time into a string, scripts/embed-wasm.mjs,
// so the package ships no worker file to locate). It instantiates the shared-memory kernel
// build on the classifier's memory and runs plan steps when told: its share of every step with
// a barrier in between (one image across threads), or whole plans (one image of a batch).
// Which units a thread runs depends only on (units, thread, threads), and a kernel's units
// never share outputs or split reductions, so every thread count gives the same bits.
import type { FromWorker, InitMessage, ToWorker } from './protocol.ts';

export interface Port {
  on(listener: (message: ToWorker) => void): void;
  post(message: FromWorker): void;
}

type Kernel = (params: number, begin: number, end: number, local: number) => void;

/** Spins this many times before sleeping in Atomics.wait: layers end within microseconds of each other. */
const SPIN = 4000;

/** Sense-free central barrier: i32[sync] counts arrivals, i32[sync + 4] is the generation. */
function barrier(words: Int32Array, threads: number): void {
  const gen = Atomics.load(words, 1);
  if (Atomics.add(words, 0, 1) === threads - 1) {
    Atomics.store(words, 0, 0);
    Atomics.add(words, 1, 1);
    Atomics.notify(words, 1);
    return;
  }
  for (let i = 0; i < SPIN && Atomics.load(words, 1) === gen; i++);
  while (Atomics.load(words, 1) === gen) Atomics.wait(words, 1, gen);
}

export function workerMain(port: Port): void {
  let init: InitMessage | undefined;
  let fns: Kernel[] = [];
  let words: Int32Array;
  port.on((m) => {
    try {
      if (m.type === 'init') {
        init = m;
        const exports = new WebAssembly.Instance(m.module, { env: { memory: m.memory } }).exports;
        fns = m.kernels.map((name) => {
          const f = exports[name];
          if (typeof f !== 'function') throw new Error(`the threads kernel build has no export ${name}`);
          return f as Kernel;
        });
        words = new Int32Array(m.memory.buffer, m.sync, 2);
        port.post({ type: 'ready', thread: m.thread });
        return;
      }
      if (!init) throw new Error('run before init');
      const { units, barriers, params, local, thread, threads } = init;
      const p = params[m.context];
      if (m.mode === 'whole') {
        for (let i = 0; i < fns.length; i++) fns[i](p[i], 0, units[i], local);
      } else {
        for (let i = 0; i < fns.length; i++) {
          const u = units[i];
          const begin = Math.floor((u * thread) / threads),
            end = Math.floor((u * (thread + 1)) / threads);
          if (begin < end) fns[i](p[i], begin, end, local);
          if (barriers[i]) barrier(words, threads);
        }
      }
      port.post({ type: 'done', thread, job: m.job });
    } catch (e) {
      port.post({ type: 'error', thread: init?.thread ?? -1, message: e instanceof Error ? e.message : String(e) });
    }
  });
}
