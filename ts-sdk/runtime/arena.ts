// The arena: one wasm memory, laid out once per classifier, never grown after load.
//   [heapBase) weights (placed once) | activations (reused by liveness) | scratch | input | logits
// Every buffer starts 64-byte aligned and is followed by SLACK bytes the kernels may touch.
import { SLACK } from '../kernels/abi.ts';

export const align64 = (n: number): number => Math.ceil(n / 64) * 64;

/** Bump allocator for buffers that live as long as the classifier. */
export class Region {
  private top: number;
  constructor(readonly start: number) {
    this.top = align64(start);
  }
  take(bytes: number): number {
    const p = this.top;
    this.top = align64(p + bytes + SLACK);
    return p;
  }
  get end(): number {
    return this.top;
  }
}

/**
 * Offsets for activations with known lifetimes: first-fit over freed blocks, so tensors whose
 * lifetimes do not overlap share bytes (ResNet needs ~3 live activations at a time).
 */
export class LivenessPlanner {
  private free: { off: number; size: number }[] = [];
  private top = 0;
  /** Size of the region the plan needs. */
  highWater = 0;

  alloc(bytes: number): number {
    const size = align64(bytes + SLACK);
    const i = this.free.findIndex((b) => b.size >= size);
    if (i >= 0) {
      const b = this.free[i];
      const off = b.off;
      if (b.size === size) this.free.splice(i, 1);
      else {
        b.off += size;
        b.size -= size;
      }
      return off;
    }
    const off = this.top;
    this.top += size;
    this.highWater = Math.max(this.highWater, this.top);
    return off;
  }

  release(off: number, bytes: number): void {
    const size = align64(bytes + SLACK);
    this.free.push({ off, size });
    // Merge neighbours so big tensors can reuse space freed by several small ones.
    this.free.sort((a, b) => a.off - b.off);
    const merged: { off: number; size: number }[] = [];
    for (const b of this.free) {
      const last = merged[merged.length - 1];
      if (last && last.off + last.size === b.off) last.size += b.size;
      else merged.push({ ...b });
    }
    // A free block at the top shrinks the region instead.
    const tail = merged[merged.length - 1];
    if (tail && tail.off + tail.size === this.top) {
      this.top = tail.off;
      merged.pop();
    }
    this.free = merged;
  }
}
