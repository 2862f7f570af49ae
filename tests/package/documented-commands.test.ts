// Every command and snippet of README.md and the examples' READMEs, run as a user runs them —
// in a clone of the repository (its first command is the README's `npm ci && npm start`, and
// later ones run after a rebuild) and in an empty project that installed the packed tarball —
// each checked against the output the README documents. A block that cannot run here says
// why in its doc-test directive (tests/package/docs/markdown.ts), and the reason is printed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readBlocks, type Block, type Context } from './docs/markdown.ts';
import { runCommands } from './docs/run-block.ts';
import { cleanEnv, linkWrangler, makeClone, makeInstalled, placeStandIns, ROOT, scratch } from './docs/workspaces.ts';

const DOCS = [
  'README.md',
  'examples/README.md',
  ...readdirSync(join(ROOT, 'examples'))
    .map((d) => `examples/${d}/README.md`)
    .filter((f) => existsSync(join(ROOT, f))),
];
const blocks: Block[] = DOCS.flatMap((d) => readBlocks(join(ROOT, d), d));

const tmp = scratch();
const dirs: Partial<Record<Context, string>> = {};
test.after(() => rmSync(tmp, { recursive: true, force: true }));

function workspace(ctx: Context): string {
  if (!dirs[ctx]) {
    const dir = ctx === 'clone' ? makeClone(tmp) : makeInstalled(tmp);
    placeStandIns(dir);
    linkWrangler(ctx === 'clone' ? join(dir, 'examples/cloudflare-worker') : dir);
    dirs[ctx] = dir;
  }
  return dirs[ctx]!;
}

test('every fenced block of the READMEs is run, or says why not', () => {
  const skipped = blocks.filter((b) => b.kind === 'skip');
  for (const b of skipped) console.log(`  not run: ${b.doc}:${b.line}: ${(b as { why: string }).why}`);
  assert.ok(
    blocks.some((b) => b.kind === 'console'),
    'no console blocks found',
  );
});

for (const ctx of ['clone', 'installed'] as const) {
  for (const doc of DOCS) {
    const mine = blocks.filter((b) => b.doc === doc && b.kind !== 'skip' && b.contexts.includes(ctx));
    if (!mine.length) continue;
    test(`${ctx}: ${doc}`, async () => {
      const dir = workspace(ctx);
      const env = cleanEnv(ctx === 'clone' ? { PATH: `${join(dir, 'node_modules/.bin')}:${process.env.PATH}` } : {});
      const problems: string[] = [];
      for (const b of mine) {
        if (b.kind === 'file') writeFileSync(join(dir, b.name), b.text);
        else if (b.kind === 'console') {
          problems.push(
            ...(await runCommands(doc, b.commands, { cwd: dir, env, substitute: (c) => c.replaceAll('path/to/edge-resnet', ROOT) })),
          );
        }
      }
      assert.ok(problems.length === 0, `\n${problems.join('\n\n')}`);
    });
  }
}

test.run();
