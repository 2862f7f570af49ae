// Builds the published package into dist/: the core SDK (zero dependencies; each kernel
// build is a separate chunk, imported only when the caller passes no precompiled module),
// the decode entry point, and the raw .wasm files for bundlers and Cloudflare Workers.
import { copyFileSync, mkdirSync } from 'node:fs';
import esbuild from 'rollup-plugin-esbuild';

const copyWasm = {
  name: 'copy-wasm',
  writeBundle() {
    mkdirSync('dist', { recursive: true });
    for (const b of ['simd', 'relaxed']) copyFileSync(`build/kernels-${b}.wasm`, `dist/kernels-${b}.wasm`);
  },
};

export default {
  input: { index: 'ts-sdk/index.ts', decode: 'ts-sdk/decode/index.ts' },
  output: {
    dir: 'dist',
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    sourcemap: true,
  },
  external: [/^node:/, 'jpeg-js', 'fast-png'],
  plugins: [esbuild({ target: 'es2022', minify: true }), copyWasm],
};
