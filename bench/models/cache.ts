// Content-keyed cache under bench/out/models: an artifact is rebuilt when the source files
// that make it (or its parameters) change, and reused otherwise — the 224×224 fixtures'
// BatchNorm statistics and the calibration take tens of seconds, the benchmark runs often.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const OUT_DIR = join(ROOT, 'bench/out');

/** sha256 over the named files' and folders' .ts contents (sorted, recursive) plus extra parameters. */
export function sourceKey(paths: string[], params: unknown): string {
  const h = createHash('sha256');
  const files: string[] = [];
  const walk = (p: string) => {
    const abs = join(ROOT, p);
    if (statSync(abs).isDirectory()) for (const f of readdirSync(abs).sort()) walk(join(p, f));
    else if (p.endsWith('.ts')) files.push(p);
  };
  paths.forEach(walk);
  for (const f of files.sort())
    h.update(f)
      .update('\0')
      .update(readFileSync(join(ROOT, f)))
      .update('\0');
  h.update(JSON.stringify(params));
  return h.digest('hex').slice(0, 16);
}

/** Returns the cached file if its key matches, else makes it, stores it and its key. */
export async function cached(
  file: string,
  key: string,
  make: () => Uint8Array | Promise<Uint8Array>,
  log?: (s: string) => void,
): Promise<{ path: string; bytes: Uint8Array; fresh: boolean }> {
  const keyFile = `${file}.key`;
  if (existsSync(file) && existsSync(keyFile) && readFileSync(keyFile, 'utf8') === key) {
    return { path: file, bytes: new Uint8Array(readFileSync(file)), fresh: false };
  }
  log?.(`making ${file.slice(ROOT.length)} …`);
  const t0 = performance.now();
  const bytes = await make();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, bytes);
  writeFileSync(keyFile, key);
  log?.(`  ${(bytes.byteLength / 1e6).toFixed(1)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { path: file, bytes, fresh: true };
}
