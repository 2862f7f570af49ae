// Platform adapter: how this runtime starts worker threads running worker-main.ts, or why it
// cannot, in words a user can act on. Node, Deno and Bun: node:worker_threads with the code
// passed as a string (eval), so an idle worker can be unref'd and never keeps a process alive.
// Browsers: a module Worker from a Blob URL. The code is a string in the bundle either way —
// no worker file for a bundler to lose, no path or URL to configure.
import { workerBundle } from '../kernels/embedded/worker-source.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

export interface WorkerLike {
  post(message: ToWorker): void;
  onMessage(listener: (m: FromWorker) => void): void;
  onError(listener: (e: unknown) => void): void;
  /** Whether this worker may keep the process alive (Node, Deno, Bun; a no-op in browsers). */
  keepAlive(on: boolean): void;
  terminate(): void;
}

export type Spawner = () => WorkerLike;

interface NodeWorker {
  postMessage(m: unknown): void;
  on(event: 'message' | 'error', f: (x: never) => void): void;
  ref(): void;
  unref(): void;
  terminate(): Promise<number>;
}
interface WorkerThreads {
  Worker: new (source: string, options: { eval: true; execArgv: string[] }) => NodeWorker;
}
interface Proc {
  versions?: { node?: string };
  getBuiltinModule?: (id: string) => unknown;
}
/** The browser globals this adapter uses (the core is type-checked without DOM types). */
interface WebWorker {
  postMessage(m: unknown): void;
  addEventListener(type: 'message' | 'error', f: (e: { data?: unknown; message?: string }) => void): void;
  terminate(): void;
}
interface WebGlobals {
  Worker?: new (url: string, options: { type: 'module' }) => WebWorker;
  Blob?: new (parts: string[], options: { type: string }) => object;
  URL?: { createObjectURL?: (blob: object) => string };
}

// getBuiltinModule works whether the eval'd code runs as CommonJS or as a module (a parent
// started with --input-type=module); require is the fallback for Node 20 before 20.16.
const NODE_SOURCE = `${workerBundle};const{parentPort:p}=process.getBuiltinModule?.('node:worker_threads')??require('node:worker_threads');edgeResnetWorker.workerMain({on:f=>p.on('message',f),post:m=>p.postMessage(m)});`;
const WEB_SOURCE = `${workerBundle};edgeResnetWorker.workerMain({on:f=>{self.onmessage=e=>f(e.data)},post:m=>self.postMessage(m)});`;

/** Why this runtime cannot share memory between threads, or undefined if it can. */
export function sharedMemoryProblem(): string | undefined {
  const g = globalThis as {
    SharedArrayBuffer?: unknown;
    crossOriginIsolated?: boolean;
    document?: unknown;
    importScripts?: unknown;
    navigator?: { userAgent?: string };
  };
  if (g.crossOriginIsolated === false) {
    return (
      'this page is not cross-origin isolated, so the browser withholds SharedArrayBuffer: serve it with the headers ' +
      '"Cross-Origin-Opener-Policy: same-origin" and "Cross-Origin-Embedder-Policy: require-corp" (or "credentialless")'
    );
  }
  if (typeof g.SharedArrayBuffer !== 'function') {
    if (g.navigator?.userAgent === 'Cloudflare-Workers')
      return 'Cloudflare Workers and workerd run each request on one thread (no SharedArrayBuffer, no worker threads)';
    if (g.document !== undefined || typeof g.importScripts === 'function') {
      return 'this browser offers no SharedArrayBuffer here, even on a cross-origin isolated page (WebKitGTK, for one, has none)';
    }
    return 'this runtime has no SharedArrayBuffer';
  }
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  } catch (e) {
    return `this runtime cannot create shared WebAssembly memory (${e instanceof Error ? e.message : String(e)})`;
  }
  return undefined;
}

/** A way to start workers here, or the reason there is none. */
export async function workerSpawner(): Promise<Spawner | { reason: string }> {
  const proc = (globalThis as { process?: Proc }).process;
  if (proc?.versions?.node) {
    // The joined specifier keeps browser bundlers from resolving a Node built-in this branch never reaches there.
    const wt = (proc.getBuiltinModule?.('node:worker_threads') ??
      (await import(/* @vite-ignore */ ['node', 'worker_threads'].join(':')))) as WorkerThreads;
    return () => {
      // No inherited execArgv: the parent's loaders (tsx, --import hooks) have nothing to do in a
      // worker that runs one string, and would slow every start.
      const w = new wt.Worker(NODE_SOURCE, { eval: true, execArgv: [] });
      w.unref();
      return {
        post: (m) => w.postMessage(m),
        onMessage: (f) => w.on('message', f as (x: never) => void),
        onError: (f) => w.on('error', f as (x: never) => void),
        keepAlive: (on) => (on ? w.ref() : w.unref()),
        terminate: () => void w.terminate(),
      };
    };
  }
  const g = globalThis as unknown as WebGlobals;
  if (typeof g.Worker !== 'function' || typeof g.Blob !== 'function' || typeof g.URL?.createObjectURL !== 'function') {
    return { reason: 'this runtime has no worker threads (Cloudflare Workers and workerd run each request on one thread)' };
  }
  const url = g.URL.createObjectURL(new g.Blob([WEB_SOURCE], { type: 'text/javascript' }));
  const WebWorker = g.Worker;
  return () => {
    const w = new WebWorker(url, { type: 'module' });
    return {
      post: (m) => w.postMessage(m),
      onMessage: (f) => w.addEventListener('message', (e) => f(e.data as FromWorker)),
      onError: (f) =>
        w.addEventListener('error', (e) =>
          f(
            new Error(
              `worker failed to start or crashed: ${e.message ?? 'no detail'} (a Content-Security-Policy must allow "worker-src blob:")`,
            ),
          ),
        ),
      keepAlive: () => {},
      terminate: () => w.terminate(),
    };
  };
}
