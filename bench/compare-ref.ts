// This checkout's engine against a git ref's, in one process, interleaved: did a change slow
// anything down? The ref's tree is extracted into bench/out/ref-<sha> (git archive, this
// checkout's node_modules linked in) and its bundle built there once; both builds' dist/index.js load the
// same int8 and fp32 packs (the benchmark's cached ResNet, made by this checkout's converter)
// and are timed round-robin as in the main run. Prints medians and the ratio now / ref.
//   npm run bench:compare -- --ref d05cd77 [--arch resnet18] [--seconds 30] [--no-record]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { randomImages } from '../tests/fixtures/random-images.ts';
import type { ArchName } from '../tests/fixtures/resnet-spec.ts';
import { interleaved, stats, warmUp, type Timed } from './measure.ts';
import { OUT_DIR, prepareModels, ROOT } from './models/index.ts';
import { withSection } from './results-file.ts';

const RESULTS_PART = '# This commit against an earlier one (npm run bench:compare)';

interface Sdk {
  load(pack: Uint8Array, options?: { simd?: string }): Promise<{ logits(x: Float32Array): Promise<Float32Array>; dispose(): void }>;
}

const { values: v } = parseArgs({
  options: {
    ref: { type: 'string' },
    arch: { type: 'string', default: 'resnet18' },
    seconds: { type: 'string', default: '30' },
    'no-record': { type: 'boolean' },
  },
});
if (!v.ref) throw new Error('usage: bench/compare-ref.ts --ref <commit> [--arch resnet18] [--seconds 30] [--no-record]');
const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
const sha = git('rev-parse', '--verify', `${v.ref}^{commit}`);
const head =
  git('rev-parse', '--short=12', 'HEAD') + (git('status', '--porcelain', '--untracked-files=no') ? ' (with uncommitted changes)' : '');

/**
 * The ref's package, built once: its kernels and its JS bundle (rollup), not its type
 * declarations — they need the ref's own devDependencies, and this checkout's may differ.
 */
function buildRef(): string {
  const dir = join(OUT_DIR, `ref-${sha.slice(0, 12)}`);
  if (existsSync(join(dir, 'dist', 'index.js'))) return dir;
  mkdirSync(dir, { recursive: true });
  execFileSync('sh', ['-c', `git archive ${sha} | tar -x -C '${dir}'`], { cwd: ROOT, stdio: 'inherit' });
  if (!existsSync(join(dir, 'node_modules'))) symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  execFileSync('sh', ['-c', 'npm run build:wasm && node scripts/embed-wasm.mjs && npx rollup -c --silent'], { cwd: dir, stdio: 'inherit' });
  return dir;
}

const refDir = buildRef();
const arch = v.arch as ArchName;
const models = await prepareModels({ arch, log: (s) => console.log(s) });
const now = (await import(pathToFileURL(join(ROOT, 'dist', 'index.js')).href)) as Sdk;
const ref = (await import(pathToFileURL(join(refDir, 'dist', 'index.js')).href)) as Sdk;
const [image] = randomImages({ count: 1, size: models.size, seed: 99 });

// In the order the table reads them: ref int8, now int8, ref fp32, now fp32.
const engines: Timed[] = [];
for (const pack of [models.bytes.int8Pack, models.bytes.fp32Pack]) {
  for (const sdk of [ref, now]) {
    const clf = await sdk.load(pack, { simd: 'relaxed' });
    engines.push({ run: () => clf.logits(image) });
  }
}
for (const e of engines) await warmUp(e, 3);
const samples = await interleaved(engines, { minRuns: 20, seconds: Number(v.seconds) });
const medians = samples.map((s) => stats(s).median);
const lines = [
  `${arch} ${models.size}×${models.size}, relaxed SIMD, one thread, ${samples[0].length} interleaved rounds; ref ${sha.slice(0, 12)}, now ${head}`,
  '',
  '| precision | ref median | now median | now / ref |',
  '|---|---:|---:|---:|',
  ...['int8', 'fp32'].map(
    (p, i) =>
      `| ${p} | ${medians[2 * i].toFixed(1)} ms | ${medians[2 * i + 1].toFixed(1)} ms | ${(medians[2 * i + 1] / medians[2 * i]).toFixed(3)} |`,
  ),
];
console.log(`\n${lines.join('\n')}`);
if (!v['no-record']) {
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const command = `npm run bench:compare -- --ref ${v.ref}${v.arch === 'resnet18' ? '' : ` --arch ${v.arch}`}${v.seconds === '30' ? '' : ` --seconds ${v.seconds}`}`;
  const md = join(ROOT, 'bench', 'RESULTS.md');
  const section = `\n## ${when} UTC — against ${v.ref}\n\n\`${command}\`\n\n${lines.join('\n')}\n`;
  writeFileSync(md, withSection(readFileSync(md, 'utf8'), section, RESULTS_PART));
}
process.exit(0);
