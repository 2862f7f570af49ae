// The npm package as users install it: `npm pack` (of the dist/ that npm test built), unpacked
// into a temporary folder, run from there. Catches a default pack or wasm file left out of
// package.json "files", and the package growing by a pack it should not carry.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('../../', import.meta.url).pathname;
const MB = 1e6;

interface PackResult {
  filename: string;
  unpackedSize: number;
  files: { path: string }[];
}

const tmp = mkdtempSync(join(tmpdir(), 'edge-resnet-npm-'));
// --ignore-scripts: no `prepare` rebuild (npm test built dist/ already).
const [packed] = JSON.parse(
  execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], { cwd: ROOT, encoding: 'utf8' }),
) as PackResult[];
const files = new Set(packed.files.map((f) => f.path));
execFileSync('tar', ['-xzf', join(tmp, packed.filename), '-C', tmp]);
const installed = join(tmp, 'package');
// The runtime dependencies (CLI, decoder) come from the repo's node_modules, as npm would install them.
symlinkSync(join(ROOT, 'node_modules'), join(installed, 'node_modules'), 'dir');

test.after(() => rmSync(tmp, { recursive: true, force: true }));

test('the package carries the code, both kernel builds, the default and the small ResNet-20 pack and samples, and nothing of the repo besides', () => {
  for (const f of [
    'dist/index.js',
    'dist/decode.js',
    'dist/cli.js',
    'dist/kernels-simd.wasm',
    'dist/kernels-relaxed.wasm',
    'dist/types/index.d.ts',
    'weights/packs/resnet18-fmnist-int8.pack',
    'weights/packs/resnet20-fmnist-int8.pack',
    'weights/data/samples/09-ankleboot-idx0.png',
    'weights/FORMAT.md',
    'README.md',
    'package.json',
  ])
    assert.ok(files.has(f), `${f} is missing from the npm package`);
  for (const f of files) {
    assert.not.match(
      f,
      /^(tests|assembly|bench|weights\/train|weights\/convert|ts-sdk|examples)\//,
      `${f} should not be in the npm package`,
    );
  }
  assert.not.ok(files.has('weights/packs/resnet34-fmnist-int8.pack'), 'the ResNet-34 pack (21 MB) stays in the repository');
  assert.ok(
    packed.unpackedSize < 14 * MB,
    `unpacked ${(packed.unpackedSize / MB).toFixed(1)} MB; expected < 14 MB (an 11.2 MB and a 0.3 MB pack)`,
  );
});

test('installed, `edge-resnet classify` with no arguments classifies the shipped sample with the shipped pack', () => {
  const r = spawnSync(process.execPath, [join(installed, 'dist/cli.js'), 'classify', '--top', '1', '--json'], {
    cwd: tmp,
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.is(r.status, 0, r.stderr);
  const [res] = JSON.parse(r.stdout);
  assert.ok(res.file.startsWith(installed), `classified ${res.file}, not the installed package's sample`);
  assert.is(res.top[0].label, 'Ankle boot');
});

test('installed, the SDK entry point loads the shipped pack and classifies', async () => {
  const sdk = await import(join(installed, 'dist/index.js'));
  const { decodeImage } = await import(join(installed, 'dist/decode.js'));
  const clf = await sdk.load(join(installed, 'weights/packs/resnet18-fmnist-int8.pack'));
  try {
    const [top] = await clf.classify(decodeImage(readFileSync(join(installed, 'weights/data/samples/09-ankleboot-idx0.png'))), { topK: 1 });
    assert.is(top.label, 'Ankle boot');
  } finally {
    clf.dispose();
  }
});

test.run();
