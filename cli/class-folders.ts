// A training folder as train-head reads it: one sub-folder per class (its name is the label),
// JPEG/PNG images anywhere below it; and the held-out split, taken the same way every time.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const IMAGE = /\.(jpe?g|png)$/i;

export interface ClassFolder {
  label: string;
  files: string[];
}

/** The class folders under `root`, sorted by name, each with its images sorted by path. */
export function readClassFolders(root: string): { classes: ClassFolder[]; ignored: number } {
  let names: string[];
  try {
    if (!statSync(root).isDirectory()) throw new Error('not a folder');
    names = readdirSync(root).sort();
  } catch (e) {
    throw new Error(`cannot read the data folder '${root}': ${(e as Error).message}`);
  }
  const classes: ClassFolder[] = [];
  let ignored = 0;
  for (const name of names) {
    const dir = join(root, name);
    if (!statSync(dir).isDirectory()) {
      ignored++;
      continue;
    }
    const files = imagesUnder(dir);
    if (files.length === 0) throw new Error(`class folder '${dir}' holds no .jpg/.jpeg/.png images; every class needs at least one`);
    classes.push({ label: name, files });
  }
  if (classes.length < 2)
    throw new Error(
      `'${root}' must hold one sub-folder per class, at least two; found ${classes.length} (${classes.map((c) => c.label).join(', ') || 'none'})`,
    );
  return { classes, ignored };
}

function imagesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...imagesUnder(p));
    else if (IMAGE.test(name)) out.push(p);
  }
  return out;
}

/**
 * Indices (into a class's `count` images) to hold out: `percent` % of them rounded down, spread
 * evenly over the sorted list, and never the last image a class has to train on.
 */
export function heldOutIndices(count: number, percent: number): Set<number> {
  const m = Math.min(Math.floor((count * percent) / 100), count - 1);
  return new Set(Array.from({ length: Math.max(0, m) }, (_, j) => Math.floor(((j + 0.5) * count) / m)));
}
