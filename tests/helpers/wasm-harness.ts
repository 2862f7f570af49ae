// Loads both kernel builds over one memory, with a bump allocator for test buffers, and calls
// kernels by name with their params block — whole, or split into pieces run out of order
// (what threads do), which must give the same bits.
import { readFileSync } from 'node:fs';
import {
  asPtr,
  instantiateKernels,
  localBytesOf,
  paramsBytes,
  unitsOf,
  writeParams,
  KERNELS,
  SLACK,
  type Fields,
  type KernelExports,
  type KernelFn,
  type KernelName,
  type ParamsOfKernel,
  type Ptr,
} from '../../ts-sdk/kernels/abi.ts';

export type Build = 'simd' | 'relaxed';

const modules = new Map<Build, WebAssembly.Module>();
export function moduleOf(build: Build): WebAssembly.Module {
  let m = modules.get(build);
  if (!m) {
    m = new WebAssembly.Module(readFileSync(new URL(`../../build/kernels-${build}.wasm`, import.meta.url)));
    modules.set(build, m);
  }
  return m;
}

export function relaxedSupported(): boolean {
  try {
    moduleOf('relaxed');
    return true;
  } catch {
    return false;
  }
}

/** Splits [0, units) into `pieces` contiguous ranges at seeded random cut points. */
export function partition(units: number, pieces: number, seed: number): [number, number][] {
  let s = seed >>> 0 || 1;
  const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const cuts = Array.from({ length: pieces - 1 }, () => Math.floor(next() * (units + 1))).sort((a, b) => a - b);
  const bounds = [0, ...cuts, units];
  return bounds.slice(1).map((end, i) => [bounds[i], end]);
}

export class Harness {
  readonly memory = new WebAssembly.Memory({ initial: 1024 }); // 64 MiB
  k!: KernelExports;
  private top = 0;
  private base = 0;

  static async create(build: Build): Promise<Harness> {
    const h = new Harness();
    h.k = await instantiateKernels(moduleOf(build), h.memory);
    h.base = h.top = h.k.heapBase();
    return h;
  }

  reset(): void {
    this.top = this.base;
  }

  alloc(bytes: number): Ptr {
    const p = this.top;
    this.top = Math.ceil((p + bytes + SLACK) / 64) * 64;
    if (this.top > this.memory.buffer.byteLength) this.memory.grow(Math.ceil((this.top - this.memory.buffer.byteLength) / 65536));
    // Poison, so a kernel that forgets to write something is caught.
    new Uint8Array(this.memory.buffer, p, this.top - p).fill(0xa5);
    return asPtr(p);
  }

  put(data: Int8Array | Uint8Array | Int16Array | Int32Array | Float32Array): Ptr {
    const p = this.alloc(data.byteLength);
    new Uint8Array(this.memory.buffer, p, data.byteLength).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return p;
  }

  /**
   * Calls `kernel` on a params block holding `params`. `split`: run its work units as that
   * many ranges, last range first (threads finish in any order); each range gets its own
   * local scratch, poisoned, as each thread has its own.
   */
  run<N extends KernelName>(kernel: N, params: Fields<ParamsOfKernel<N>>, split = 1, seed = 1): void {
    const kind = KERNELS[kernel].params;
    const at = this.alloc(paramsBytes(kind));
    const block = writeParams(this.memory.buffer, at, kind, params);
    const fn = this.k[kernel] as KernelFn | undefined;
    if (!fn) throw new Error(`${kernel} is not in this build`);
    const units = unitsOf(kind, params),
      localBytes = localBytesOf(kind, params);
    for (const [begin, end] of partition(units, split, seed).reverse()) fn(block, begin, end, this.alloc(localBytes));
  }

  u8(p: number, n: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, p, n).slice();
  }
  i16(p: number, n: number): Int16Array {
    return new Int16Array(this.memory.buffer, p, n).slice();
  }
  f32(p: number, n: number): Float32Array {
    return new Float32Array(this.memory.buffer, p, n).slice();
  }
}
