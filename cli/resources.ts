// Files the package ships and the CLI reads at run time (default pack, samples, labels), found
// one way from wherever this code runs: the source tree (cli/), the bundle (dist/cli.js, or a
// chunk in dist/chunks/) and an install (node_modules/edge-resnet/dist/). Rollup moves code
// between files, so a fixed '../' from import.meta.url is not a fact; the package root is the
// nearest folder above this module whose package.json names edge-resnet.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(from: string): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'edge-resnet') return dir;
    if (dirname(dir) === dir)
      throw new Error(`edge-resnet: cannot find the package root above ${from} (no package.json named edge-resnet)`);
  }
}

export const packageRoot = findPackageRoot(fileURLToPath(import.meta.url));

/** A file shipped with the package, by its path in the repository (and the tarball). */
export const shipped = (path: string): string => join(packageRoot, path);

const PACKS = 'weights/packs';
export const DEFAULT_PACK_NAME = 'resnet18-fmnist-int8';
export const DEFAULT_PACK = shipped(`${PACKS}/${DEFAULT_PACK_NAME}.pack`);
export const DEFAULT_SAMPLE = shipped('weights/data/samples/09-ankleboot-idx0.png');
export const IMAGENET_LABELS = shipped('weights/labels/imagenet.txt');

/** Names of the packs shipped here (the npm package carries only the default one). */
export function shippedPacks(): string[] {
  return existsSync(shipped(PACKS))
    ? readdirSync(shipped(PACKS))
        .filter((f) => f.endsWith('.pack'))
        .map((f) => f.slice(0, -5))
        .sort()
    : [];
}

/** `--pack` takes a file, or the name of a shipped pack (`resnet18-fmnist-int8`), so one command works from an install and from a clone. */
export function resolvePack(arg: string): string {
  if (existsSync(arg) || !/^[\w.-]+$/.test(arg)) return arg;
  const named = shipped(`${PACKS}/${arg.replace(/\.pack$/, '')}.pack`);
  if (existsSync(named)) return named;
  throw new Error(`no pack file '${arg}', and no shipped pack of that name (shipped here: ${shippedPacks().join(', ') || 'none'})`);
}

/** How to print a path: relative to the working directory when under it (shipped files' absolute paths are long). */
export function shown(file: string): string {
  const rel = relative(process.cwd(), file);
  return isAbsolute(file) && !rel.startsWith('..') ? rel : file;
}

/**
 * decodeImage limits for files the user names on the command line: their own machine, so a
 * 1 GiB budget (a 48 MP photo at full size) instead of the 64 MiB a service's default allows.
 */
export const LOCAL_FILE_LIMITS = { maxBytes: 2 ** 30 } as const;
