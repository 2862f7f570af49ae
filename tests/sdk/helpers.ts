// Shared fixtures of the SDK tests: the tiny int8 pack (tests/fixtures/make-tiny-pack.ts), the
// cross-runtime images decoded, the kernel builds as files, and reference logits.
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { decodeImage } from '../../ts-sdk/decode/index.ts';
import { load } from '../../ts-sdk/index.ts';
import type { ImageInput } from '../../ts-sdk/index.ts';

export const PACK_URL = new URL('../fixtures/tiny-int8.pack', import.meta.url);
export const PACK_PATH = fileURLToPath(PACK_URL);
export const PACK = new Uint8Array(readFileSync(PACK_URL));
export const FP32_PACK = new Uint8Array(readFileSync(new URL('../fixtures/tiny-fp32.pack', import.meta.url)));

/** The exported kernel builds (npm run build copies them to dist/). */
export const wasmUrl = (build: 'simd' | 'relaxed') => new URL(`../../dist/kernels-${build}.wasm`, import.meta.url);
export const wasmBytes = (build: 'simd' | 'relaxed') => new Uint8Array(readFileSync(wasmUrl(build)));

export const IMAGES: ImageInput[] = ['rgb-20x20.png', 'rgba-37x29.png', 'gray-28x28.png'].map((f) =>
  decodeImage(readFileSync(new URL(`../fixtures/cross-runtime/${f}`, import.meta.url))),
);

/** Does this process have relaxed SIMD (node --experimental-wasm-relaxed-simd)? */
export const relaxedSupported = (() => {
  try {
    new WebAssembly.Module(wasmBytes('relaxed'));
    return true;
  } catch {
    return false;
  }
})();

let reference: Promise<Float32Array[]> | undefined;
/** Logits of IMAGES from a classifier loaded from bytes with default options, one call at a time. */
export function referenceLogits(): Promise<Float32Array[]> {
  return (reference ??= (async () => {
    const clf = await load(PACK);
    const out: Float32Array[] = [];
    for (const im of IMAGES) out.push(await clf.logits(im));
    clf.dispose();
    return out;
  })());
}

/**
 * Asserts that two logit vectors are equal bit for bit (Object.is: −0 ≠ 0, NaN equals NaN). A
 * failure names the first differing index with both values and how many logits differ.
 */
export function assertSameLogits(got: Float32Array, want: Float32Array, what: string): void {
  if (got.length !== want.length) assert.unreachable(`${what}: ${got.length} logits, expected ${want.length}`);
  let first = -1;
  let differ = 0;
  for (let i = 0; i < want.length; i++) {
    if (Object.is(got[i], want[i])) continue;
    if (first < 0) first = i;
    differ++;
  }
  if (differ > 0)
    assert.unreachable(
      `${what}: ${differ} of ${want.length} logits differ; the first at index ${first}: expected ${want[first]}, got ${got[first]}`,
    );
}

/** A loopback HTTP server for fetch sources; `close()` when done. */
export async function serve(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** Whether `p` rejects with an error for which `check` holds; returns the error. */
export async function rejects(p: Promise<unknown>, check: (e: unknown) => boolean, what: string): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    if (!check(e)) throw new Error(`${what}: rejected with the wrong error: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    return e;
  }
  throw new Error(`${what}: resolved, expected a rejection`);
}
