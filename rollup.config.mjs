// Builds the published package into dist/: the core SDK (zero dependencies; each kernel
// build is a separate chunk, imported only when the caller passes no precompiled module),
// the decode entry point, the CLI, and the raw .wasm files for bundlers and Cloudflare Workers.
import { chmodSync, copyFileSync, mkdirSync } from 'node:fs';
import esbuild from 'rollup-plugin-esbuild';

const packageFiles = {
  name: 'package-files',
  writeBundle() {
    mkdirSync('dist', { recursive: true });
    for (const b of ['simd', 'relaxed']) copyFileSync(`build/kernels-${b}.wasm`, `dist/kernels-${b}.wasm`);
    // The package's bin: npm sets the bit when it installs the package, but not in a clone,
    // where `npx edge-resnet` runs dist/cli.js as it is after every rebuild.
    chmodSync('dist/cli.js', 0o755);
  },
};

export default {
  input: { index: 'ts-sdk/index.ts', decode: 'ts-sdk/decode/index.ts', cli: 'cli/main.ts' },
  output: {
    dir: 'dist',
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    sourcemap: true,
    // No bare side-effect imports of shared chunks (bundlers warn about them under sideEffects: false).
    hoistTransitiveImports: false,
  },
  // The CLI's libraries stay dependencies of the package; the core and the decode entry import none.
  external: [/^node:/, 'commander', 'cli-progress', 'protobufjs'],
  plugins: [esbuild({ target: 'es2022', minify: true }), packageFiles],
};
