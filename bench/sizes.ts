// What each engine makes a user download, raw and gzipped (node:zlib, level 9 for code and
// wasm; level 6 for the model files, whose weights barely compress anyway).
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT, type ModelSet } from './models/index.ts';

export interface SizeRow {
  group: 'edge-resnet' | 'onnxruntime-web' | 'tfjs-wasm' | 'model';
  item: string;
  files: string[];
  raw: number;
  gzip: number;
}

const gz = (b: Uint8Array, level: number) => gzipSync(b, { level }).byteLength;

function measure(group: SizeRow['group'], item: string, files: string[], level = 9): SizeRow {
  let raw = 0;
  let gzip = 0;
  for (const f of files) {
    const b = readFileSync(f);
    raw += b.byteLength;
    gzip += gz(b, level);
  }
  return { group, item, files: files.map((f) => relative(ROOT, f)), raw, gzip };
}

/** The entry file and every chunk it imports statically (dynamic imports go to `lazy`). */
function closure(entry: string): { eager: string[]; lazy: string[] } {
  const eager = new Set<string>();
  const lazy = new Set<string>();
  const visit = (f: string) => {
    if (eager.has(f)) return;
    eager.add(f);
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(/(?:from|import)\s*["'](\.[^"']+)["']/g)) visit(join(dirname(f), m[1]));
    for (const m of src.matchAll(/import\(\s*["'](\.[^"']+)["']\s*\)/g)) lazy.add(join(dirname(f), m[1]));
  };
  visit(entry);
  return { eager: [...eager], lazy: [...lazy].filter((f) => !eager.has(f)) };
}

const pkgFile = (pkg: string, file: string) => join(ROOT, 'node_modules', pkg, file);

export function runtimeSizes(): SizeRow[] {
  const rows: SizeRow[] = [];
  const { eager, lazy } = closure(join(ROOT, 'dist/index.js'));
  for (const b of ['simd', 'relaxed']) rows.push(measure('edge-resnet', `kernels-${b}.wasm`, [join(ROOT, `build/kernels-${b}.wasm`)]));
  const core = measure('edge-resnet', 'core JS (dist/index.js + static chunks)', eager);
  rows.push(core);
  for (const b of ['simd', 'relaxed']) {
    const chunk = lazy.find((f) => f.includes(`kernels-${b}`));
    if (chunk) rows.push(measure('edge-resnet', `embedded kernels-${b} chunk (base64, lazy)`, [chunk]));
  }
  rows.push(measure('edge-resnet', 'runtime total: core JS + kernels-simd.wasm', [...eager, join(ROOT, 'build/kernels-simd.wasm')]));

  const ortDist = (f: string) => pkgFile('onnxruntime-web', `dist/${f}`);
  rows.push(measure('onnxruntime-web', 'ort-wasm-simd-threaded.wasm', [ortDist('ort-wasm-simd-threaded.wasm')]));
  rows.push(measure('onnxruntime-web', 'JS: ort.wasm.bundle.min.mjs (browser, wasm EP)', [ortDist('ort.wasm.bundle.min.mjs')]));
  rows.push(
    measure('onnxruntime-web', 'runtime total: JS + wasm', [ortDist('ort.wasm.bundle.min.mjs'), ortDist('ort-wasm-simd-threaded.wasm')]),
  );

  const tfWasm = (f: string) => pkgFile('@tensorflow/tfjs-backend-wasm', `dist/${f}`);
  const tfCore = pkgFile('@tensorflow/tfjs-core', 'dist/tf-core.fesm.min.js');
  rows.push(measure('tfjs-wasm', 'tfjs-backend-wasm-simd.wasm', [tfWasm('tfjs-backend-wasm-simd.wasm')]));
  rows.push(measure('tfjs-wasm', 'JS: tf-core.fesm.min.js + tf-backend-wasm.fesm.min.js', [tfCore, tfWasm('tf-backend-wasm.fesm.min.js')]));
  rows.push(
    measure('tfjs-wasm', 'runtime total: JS + wasm', [
      tfCore,
      tfWasm('tf-backend-wasm.fesm.min.js'),
      tfWasm('tfjs-backend-wasm-simd.wasm'),
    ]),
  );
  return rows;
}

export function modelSizes(m: ModelSet): SizeRow[] {
  const f = m.files;
  return [
    measure('model', `${m.arch} int8 pack`, [f.int8Pack], 6),
    measure('model', `${m.arch} fp32 pack`, [f.fp32Pack], 6),
    measure('model', `${m.arch} int8 QDQ ONNX`, [f.qdqOnnx], 6),
    measure('model', `${m.arch} fp32 ONNX`, [f.fp32Onnx], 6),
  ];
}
