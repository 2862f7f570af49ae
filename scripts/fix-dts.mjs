// tsc keeps the sources' `.ts` import specifiers in the .d.ts files it emits
// (rewriteRelativeImportExtensions only rewrites JavaScript): point them at `.js`, which
// TypeScript and Deno resolve to the emitted declarations.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** @param {string} dir */
function walk(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (p.endsWith('.d.ts')) {
      const s = readFileSync(p, 'utf8');
      const t = s.replace(/(from\s+|import\s*\(\s*)(['"])(\.{1,2}\/[^'"]+)\.ts\2/g, '$1$2$3.js$2');
      if (t !== s) writeFileSync(p, t);
    }
  }
}
walk('dist/types');
