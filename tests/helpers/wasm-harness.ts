// Loads both kernel builds over one memory, with a bump allocator for test buffers.
import { readFileSync } from 'node:fs';
import { instantiateKernels, SLACK, type KernelExports } from '../../ts-sdk/kernels/abi.ts';

export type Build = 'simd' | 'relaxed';

const modules = new Map<Build, WebAssembly.Module>();
function moduleOf(build: Build): WebAssembly.Module {
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

  alloc(bytes: number): number {
    const p = this.top;
    this.top = Math.ceil((p + bytes + SLACK) / 64) * 64;
    if (this.top > this.memory.buffer.byteLength) this.memory.grow(Math.ceil((this.top - this.memory.buffer.byteLength) / 65536));
    // Poison, so a kernel that forgets to write something is caught.
    new Uint8Array(this.memory.buffer, p, this.top - p).fill(0xa5);
    return p;
  }

  put(data: Int8Array | Uint8Array | Int16Array | Int32Array | Float32Array): number {
    const p = this.alloc(data.byteLength);
    new Uint8Array(this.memory.buffer, p, data.byteLength).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return p;
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
