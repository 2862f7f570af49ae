// Bytes from whatever a caller hands us: path (Node, Deno, Bun), URL, ArrayBuffer,
// Uint8Array or Response — with download progress and abort.

export type ByteSource = string | URL | ArrayBuffer | Uint8Array | Response;

export interface ReadOptions {
  signal?: AbortSignal;
  onProgress?: (loaded: number, total: number | undefined) => void;
  /** Names the argument in error messages. */
  what: string;
}

const ACCEPTED = 'a file path (Node, Deno, Bun), a URL, an ArrayBuffer, a Uint8Array or a fetch Response';

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

// The file systems' own APIs, typed by the little the core uses (no Deno or Node types in the core).
interface DenoLike {
  readFile(path: string | URL, options?: { signal?: AbortSignal }): Promise<Uint8Array>;
}
interface NodeFsLike {
  readFile(path: string | URL, options: { signal?: AbortSignal }): Promise<Uint8Array>;
}
type FileReader = (p: string | URL, signal: AbortSignal | undefined) => Promise<Uint8Array>;

/** A file reader for runtimes with a file system, or undefined (browsers, workerd). */
async function fileReader(): Promise<FileReader | undefined> {
  const deno = (globalThis as { Deno?: DenoLike }).Deno;
  if (deno?.readFile) return (p, signal) => deno.readFile(p, { signal });
  const proc = (globalThis as { process?: { versions?: { node?: string }; getBuiltinModule?: (id: string) => unknown } }).process;
  if (proc?.versions?.node) {
    // Node ≥ 20.16 and Bun hand out built-ins without an import statement; the joined
    // specifier otherwise keeps browser and worker bundlers from trying to resolve a Node
    // built-in this code path never reaches there (a literal would be folded back in).
    const fs =
      (proc.getBuiltinModule?.('node:fs/promises') as NodeFsLike | undefined) ??
      ((await import(/* @vite-ignore */ ['node', 'fs/promises'].join(':'))) as NodeFsLike);
    return async (p, signal) => {
      const b = await fs.readFile(p, { signal });
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    };
  }
  return undefined;
}

async function readResponse(res: Response, opt: ReadOptions): Promise<Uint8Array> {
  if (!res.ok) throw new Error(`${opt.what}: HTTP ${res.status} ${res.statusText} for ${res.url || 'the response'}`);
  const total = Number(res.headers.get('content-length')) || undefined;
  if (!res.body) return new Uint8Array(await res.arrayBuffer());
  const reader = res.body.getReader();
  const { signal } = opt;
  // A read can wait forever on a stalled stream: the abort cancels the stream, which ends the
  // pending read at once, so the signal is honoured whatever the source does.
  const onAbort = () => void reader.cancel(abortError(signal!)).catch(() => {});
  signal?.addEventListener('abort', onAbort, { once: true });
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  try {
    for (;;) {
      if (signal?.aborted) throw abortError(signal);
      const { done, value } = await reader.read();
      if (signal?.aborted) throw abortError(signal);
      if (done) break;
      chunks.push(value);
      loaded += value.byteLength;
      opt.onProgress?.(loaded, total);
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  const out = new Uint8Array(loaded);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.byteLength;
  }
  return out;
}

export async function readSource(source: ByteSource, opt: ReadOptions): Promise<Uint8Array<ArrayBuffer>> {
  if (opt.signal?.aborted) throw abortError(opt.signal);
  let bytes: Uint8Array;
  if (source instanceof Uint8Array) bytes = source;
  else if (source instanceof ArrayBuffer) bytes = new Uint8Array(source);
  else if (typeof Response !== 'undefined' && source instanceof Response) bytes = await readResponse(source, opt);
  else if (source instanceof URL || typeof source === 'string') {
    const url = source instanceof URL ? source : /^(https?|file|blob|data):/i.test(source) ? new URL(source) : undefined;
    const read = url?.protocol === 'file:' || !url ? await fileReader() : undefined;
    if (read) {
      const path = url ?? (source as string);
      try {
        bytes = await read(path, opt.signal);
      } catch (e) {
        if (opt.signal?.aborted) throw abortError(opt.signal);
        // The runtime's message may not name the path (Node's EISDIR does not); keep its code (ENOENT, EACCES…).
        const err = new Error(
          `${opt.what}: cannot read the file '${url ? decodeURIComponent(url.pathname) : path}': ${e instanceof Error ? e.message : String(e)}`,
          { cause: e },
        );
        throw Object.assign(err, { code: (e as { code?: unknown }).code });
      }
    } else if (typeof fetch === 'function') bytes = await readResponse(await fetch(url ?? (source as string), { signal: opt.signal }), opt);
    else throw new TypeError(`${opt.what}: this runtime can neither read files nor fetch; pass the bytes instead`);
    opt.onProgress?.(bytes.byteLength, bytes.byteLength);
  } else {
    throw new TypeError(`${opt.what} must be ${ACCEPTED}; got ${source === null ? 'null' : typeof source}`);
  }
  if (opt.signal?.aborted) throw abortError(opt.signal);
  // Views of a SharedArrayBuffer or of a larger buffer are copied once into their own buffer.
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}
