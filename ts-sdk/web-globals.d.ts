// The globals the core SDK may use: the part of the web platform that Node ≥ 20, Deno, Bun,
// browsers and workerd all provide (WinterTC's Minimum Common Web API), declared only as deep
// as the core uses it. ts-sdk/tsconfig.json checks the core against this file with lib ES2022
// and neither lib.dom nor @types/node, so an API that one kind of runtime lacks (process,
// Buffer, node:fs, document, HTMLImageElement) fails the type check. Add a global here only
// after checking that every runtime above has it.
//
// Written by hand because no published package declares just this common part: lib.dom and
// @types/node each add their own runtime's APIs. It is not part of the published types: there
// the user's lib.dom, @types/node or workers types declare these names, with the same shapes.

type BufferSource = ArrayBufferView<ArrayBuffer> | ArrayBuffer;

declare namespace WebAssembly {
  type ImportExportKind = 'function' | 'global' | 'memory' | 'table';
  interface ModuleExportDescriptor {
    name: string;
    kind: ImportExportKind;
  }
  interface ModuleImportDescriptor {
    module: string;
    name: string;
    kind: ImportExportKind;
  }
  class Module {
    constructor(bytes: BufferSource);
    static exports(module: Module): ModuleExportDescriptor[];
    static imports(module: Module): ModuleImportDescriptor[];
    static customSections(module: Module, sectionName: string): ArrayBuffer[];
  }
  interface MemoryDescriptor {
    initial: number;
    maximum?: number;
    shared?: boolean;
  }
  class Memory {
    constructor(descriptor: MemoryDescriptor);
    readonly buffer: ArrayBuffer;
    grow(delta: number): number;
  }
  interface TableDescriptor {
    element: 'anyfunc' | 'externref';
    initial: number;
    maximum?: number;
  }
  class Table {
    constructor(descriptor: TableDescriptor, value?: unknown);
    readonly length: number;
    get(index: number): unknown;
    grow(delta: number, value?: unknown): number;
    set(index: number, value?: unknown): void;
  }
  type ValueType = 'anyfunc' | 'externref' | 'f32' | 'f64' | 'i32' | 'i64' | 'v128';
  interface GlobalDescriptor {
    value: ValueType;
    mutable?: boolean;
  }
  class Global {
    constructor(descriptor: GlobalDescriptor, v?: unknown);
    value: unknown;
    valueOf(): unknown;
  }
  // biome-ignore lint/complexity/noBannedTypes: an export of a module is any function, as lib.dom says
  type ExportValue = Function | Global | Memory | Table;
  type Exports = Record<string, ExportValue>;
  type ImportValue = ExportValue | number | bigint;
  type Imports = Record<string, Record<string, ImportValue>>;
  class Instance {
    constructor(module: Module, importObject?: Imports);
    readonly exports: Exports;
  }
  interface WebAssemblyInstantiatedSource {
    instance: Instance;
    module: Module;
  }
  class CompileError extends Error {}
  class LinkError extends Error {}
  class RuntimeError extends Error {}
  function compile(bytes: BufferSource): Promise<Module>;
  function instantiate(module: Module, importObject?: Imports): Promise<Instance>;
  function instantiate(bytes: BufferSource, importObject?: Imports): Promise<WebAssemblyInstantiatedSource>;
  function validate(bytes: BufferSource): boolean;
}

declare class URL {
  constructor(url: string | URL, base?: string | URL);
  hash: string;
  host: string;
  hostname: string;
  href: string;
  readonly origin: string;
  password: string;
  pathname: string;
  port: string;
  protocol: string;
  search: string;
  username: string;
  toJSON(): string;
}

interface AddEventListenerOptions {
  once?: boolean;
  passive?: boolean;
  signal?: AbortSignal;
}
declare class AbortSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  throwIfAborted(): void;
  addEventListener(type: 'abort', listener: () => void, options?: AddEventListenerOptions): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

declare class DOMException extends Error {
  constructor(message?: string, name?: string);
}

interface ReadableStreamDefaultReader<T> {
  read(): Promise<{ done: false; value: T } | { done: true; value?: undefined }>;
  cancel(reason?: unknown): Promise<void>;
  releaseLock(): void;
}
interface ReadableStream<T> {
  getReader(): ReadableStreamDefaultReader<T>;
  cancel(reason?: unknown): Promise<void>;
}

interface Headers {
  get(name: string): string | null;
  has(name: string): boolean;
}
declare class Response {
  constructor(body?: BufferSource | string | null, init?: { status?: number; statusText?: string; headers?: Record<string, string> });
  readonly body: ReadableStream<Uint8Array<ArrayBuffer>> | null;
  readonly headers: Headers;
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly url: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}
declare function fetch(input: string | URL, init?: { signal?: AbortSignal }): Promise<Response>;

declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: ArrayBufferView | ArrayBufferLike): string; // [AllowShared]
}
declare class TextEncoder {
  encode(input?: string): Uint8Array<ArrayBuffer>;
}

declare function atob(data: string): string;
declare function btoa(data: string): string;

// Every runtime above has it; the core uses it only to yield to the event loop.
declare function setTimeout(handler: (...args: never[]) => void, timeout?: number): unknown;
