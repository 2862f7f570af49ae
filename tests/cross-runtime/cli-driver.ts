// Driver for the runtimes with a command line and a file system: Node (20 via tsx, 24 with
// its native type stripping), Deno and Bun. Loads the built package (dist/index.js) as a user
// would, gives load() the pack as a file path (each runtime's own file reading), runs the
// scenario and prints the result on one marked line.
//   <runtime> tests/cross-runtime/cli-driver.ts <job.json> <repo root>
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import { jobImages, runScenario, RESULT_MARK, type Job, type Sdk } from './scenario.ts';

function runtimeName(): string {
  const g = globalThis as { Deno?: { version: { deno: string } }; Bun?: { version: string } };
  if (g.Deno) return `deno ${g.Deno.version.deno}`;
  if (g.Bun) return `bun ${g.Bun.version}`;
  return `node ${process.version}`;
}

const [jobPath, root] = process.argv.slice(2);
if (!jobPath || !root) throw new Error('usage: cli-driver.ts <job.json> <repo root>');
const job = JSON.parse(await readFile(jobPath, 'utf8')) as Job;
const sdk = (await import(pathToFileURL(join(root, 'dist', 'index.js')).href)) as Sdk;
const result = await runScenario({
  sdk,
  runtime: runtimeName(),
  packs: job.packs.map((p) => ({ name: p.name, source: () => join(root, p.path) })),
  images: jobImages(job),
});
process.stdout.write(`${RESULT_MARK}${JSON.stringify(result)}\n`);
