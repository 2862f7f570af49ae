// The typed ABI (ts-sdk/kernels/abi.ts) against what the builds really are: every build (and
// its shared-memory twin for threads) exports exactly the kernels the ABI lists for it, each
// with the one kernel signature (i32 params, i32 begin, i32 end, i32 local) → (), read from the
// binary's type section, and imports a shared memory exactly when it is a threads build; the
// AssemblyScript params classes are generated from the ABI and current; and every kernel lives
// in the file its name gives (assembly/NAMING.md), the only kernel that file exports.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KERNELS, OTHER_EXPORTS, kernelsOf, type Build } from '../../ts-sdk/kernels/abi.ts';
import { paramsSource, PARAMS_FILE } from '../../scripts/gen-kernel-params.ts';
import { relaxedSupported } from '../helpers/wasm-harness.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Every build: the two SIMD levels, each also as the shared-memory build worker threads use. */
const builds: { file: string; level: Build; shared: boolean }[] = (['simd', 'relaxed'] as const).flatMap((level) => [
  { file: `kernels-${level}`, level, shared: false },
  { file: `kernels-${level}-threads`, level, shared: true },
]);
const bytesOf = (file: string) => readFileSync(join(ROOT, `build/${file}.wasm`));

type ValType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128';
const VALTYPE = new Map<number, ValType>([
  [0x7f, 'i32'],
  [0x7e, 'i64'],
  [0x7d, 'f32'],
  [0x7c, 'f64'],
  [0x7b, 'v128'],
]);

/** Each exported function's signature, read from the module's type, import, function and export sections, and whether its memory import is shared. */
function readModule(bytes: Uint8Array): { signatures: Map<string, string>; sharedMemory: boolean } {
  let pos = 8;
  const u32 = () => {
    let result = 0,
      shift = 0,
      b: number;
    do {
      b = bytes[pos++];
      result |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    return result >>> 0;
  };
  const name = () => {
    const n = u32();
    const s = new TextDecoder().decode(bytes.subarray(pos, pos + n));
    pos += n;
    return s;
  };
  const types: string[] = [];
  const funcTypes: number[] = [];
  const exports = new Map<string, string>();
  let sharedMemory = false;
  while (pos < bytes.length) {
    const id = bytes[pos++],
      size = u32(),
      end = pos + size;
    if (id === 1) {
      for (let i = 0, n = u32(); i < n; i++) {
        assert.is(bytes[pos++], 0x60, 'function type');
        const params = Array.from({ length: u32() }, () => VALTYPE.get(bytes[pos++]));
        const results = Array.from({ length: u32() }, () => VALTYPE.get(bytes[pos++]));
        types.push(`(${params.join(', ')}) → (${results.join(', ')})`);
      }
    } else if (id === 2) {
      for (let i = 0, n = u32(); i < n; i++) {
        name();
        name();
        const kind = bytes[pos++];
        assert.is(kind, 2, 'the kernels import only their memory');
        const flags = bytes[pos++];
        u32();
        if (flags & 1) u32();
        sharedMemory = (flags & 2) !== 0;
      }
    } else if (id === 3) {
      for (let i = 0, n = u32(); i < n; i++) funcTypes.push(u32());
    } else if (id === 7) {
      for (let i = 0, n = u32(); i < n; i++) {
        const exportName = name(),
          kind = bytes[pos++],
          index = u32();
        if (kind === 0) exports.set(exportName, types[funcTypes[index]]);
      }
    }
    pos = end;
  }
  return { signatures: exports, sharedMemory };
}

for (const { file, level: build, shared } of builds) {
  test(`${file}.wasm exports exactly the ABI's kernels for it, with the kernel signature, over a ${shared ? 'shared' : 'plain'} memory`, () => {
    if (build === 'relaxed' && !relaxedSupported()) return;
    const bytes = bytesOf(file);
    const module = new WebAssembly.Module(bytes);
    const real = WebAssembly.Module.exports(module);
    assert.ok(
      real.every((e) => e.kind === 'function'),
      `non-function exports: ${real.filter((e) => e.kind !== 'function').map((e) => e.name)}`,
    );
    const want = [...kernelsOf(build), ...Object.keys(OTHER_EXPORTS)].sort();
    assert.equal(real.map((e) => e.name).sort(), want, 'export names');
    const { signatures: sigs, sharedMemory } = readModule(bytes);
    assert.is(sharedMemory, shared, 'the imported memory is shared exactly in the threads builds');
    for (const k of kernelsOf(build)) assert.is(sigs.get(k), '(i32, i32, i32, i32) → ()', `${k}: (params, begin, end, local)`);
    assert.is(sigs.get('heapBase'), '() → (i32)');
  });
}

test('assembly/params.ts is generated from the ABI and current', () => {
  assert.ok(readFileSync(PARAMS_FILE, 'utf8') === paramsSource(), 'run: node --import tsx scripts/gen-kernel-params.ts');
});

test('one kernel per file, the file named after it (assembly/NAMING.md)', () => {
  const files = (readdirSync(join(ROOT, 'assembly'), { recursive: true }) as string[]).filter(
    (f) => f.endsWith('.ts') && !f.startsWith('bench') && !/^(index|index-relaxed|params)\.ts$/.test(f),
  );
  const where = new Map<string, string>();
  for (const f of files) {
    const src = readFileSync(join(ROOT, 'assembly', f), 'utf8');
    const kernels = [...src.matchAll(/^export function (\w+__\w+)\(/gm)].map((m) => m[1]);
    assert.ok(kernels.length <= 1, `${f} exports ${kernels.length} kernels: ${kernels.join(', ')}`);
    if (kernels.length === 0) continue;
    const base = f.split(/[\\/]/).pop()!.replace(/\.ts$/, '');
    assert.is(base, kernels[0].replace('__', '_').replaceAll('_', '-'), `${f}: file name of ${kernels[0]}`);
    where.set(kernels[0], relative(ROOT, join(ROOT, 'assembly', f)));
  }
  for (const k of Object.keys(KERNELS)) assert.ok(where.has(k), `${k} has no file of its own under assembly/`);
});

test.run();
