// Driver for workerd (Cloudflare's Workers runtime, npm `workerd`): writes a config that serves
// worker.ts with the built package (dist/*.js as ES modules, dist/*.wasm as compiled Wasm
// modules, each pack as a data module) on a loopback port workerd picks itself, POSTs every
// image for every pack and build to /classify, prints the collected result on one marked line,
// then stops workerd.
//   node --import tsx tests/cross-runtime/workerd.ts <job.json> <repo root>
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { transform } from 'esbuild';
import {
  jobImages,
  RESULT_MARK,
  type Build,
  type ImageResult,
  type Job,
  type Run,
  type ScenarioResult,
  type ThreadsRun,
} from './scenario.ts';

const [jobPath, root] = process.argv.slice(2);
if (!jobPath || !root) throw new Error('usage: workerd.ts <job.json> <repo root>');
const job = JSON.parse(readFileSync(jobPath, 'utf8')) as Job;
const here = join(root, 'tests', 'cross-runtime');
const READY_MS = 20_000;
const REQUEST_MS = 30_000;

/** Lays out the worker's files in a temporary directory (the config embeds paths relative to itself). */
async function writeConfig(dir: string): Promise<string> {
  const modules: string[] = [];
  const link = (target: string, path: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    symlinkSync(target, join(dir, path));
  };
  const add = (name: string, kind: 'esModule' | 'wasm' | 'data') => modules.push(`(name = "${name}", ${kind} = embed "${name}")`);
  for (const f of ['worker.ts', 'scenario.ts']) {
    const path = `tests/cross-runtime/${f}`;
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(
      join(dir, path),
      (await transform(readFileSync(join(here, f), 'utf8'), { loader: 'ts', format: 'esm', target: 'es2022' })).code,
    );
    add(path, 'esModule');
  }
  // The built package as published: every .js of dist/ and dist/chunks/, and the .wasm files.
  for (const sub of ['', 'chunks/']) {
    for (const f of readdirSync(join(root, 'dist', sub)).filter((n) => n.endsWith('.js'))) {
      link(join(root, 'dist', sub, f), `dist/${sub}${f}`);
      add(`dist/${sub}${f}`, 'esModule');
    }
  }
  for (const b of ['simd', 'relaxed']) {
    link(join(root, 'dist', `kernels-${b}.wasm`), `dist/kernels-${b}.wasm`);
    add(`dist/kernels-${b}.wasm`, 'wasm');
  }
  const imports: string[] = [];
  job.packs.forEach((p, i) => {
    link(join(root, p.path), `packs/${i}.pack`);
    add(`packs/${i}.pack`, 'data');
    imports.push(`import p${i} from '../../packs/${i}.pack';`);
  });
  writeFileSync(
    join(dir, 'tests/cross-runtime/workerd-packs.js'),
    `${imports.join('\n')}\nexport default { ${job.packs.map((p, i) => `${JSON.stringify(p.name)}: p${i}`).join(', ')} };\n`,
  );
  add('tests/cross-runtime/workerd-packs.js', 'esModule');

  const config = join(dir, 'config.capnp');
  writeFileSync(
    config,
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [
    ${modules.join(',\n    ')}
  ],
  compatibilityDate = "2025-09-01",
);
`,
  );
  return config;
}

async function call<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_MS) });
  const body = (await res.json()) as T & { error?: string };
  if (!res.ok || body.error) throw new Error(`${init?.method ?? 'GET'} ${url}: HTTP ${res.status}: ${body.error ?? JSON.stringify(body)}`);
  return body;
}

const dir = mkdtempSync(join(tmpdir(), 'edge-resnet-workerd-'));
const config = await writeConfig(dir);
// fd 3 is workerd's control channel: it reports the port it bound there once listening.
const child = spawn(join(root, 'node_modules', '.bin', 'workerd'), ['serve', config, '--control-fd=3'], {
  stdio: ['ignore', 'inherit', 'inherit', 'pipe'],
});
try {
  const port = await new Promise<number>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`workerd did not report a listening port within ${READY_MS} ms`)), READY_MS);
    child.on('exit', (code) => reject(new Error(`workerd exited with ${code} before listening`)));
    child.stdio[3]!.on('data', (d: Buffer) => {
      buf += d;
      for (const line of buf.split('\n')) {
        try {
          const m = JSON.parse(line) as { event?: string; socket?: string; port?: number };
          if (m.event === 'listen' && m.socket === 'http' && m.port) {
            clearTimeout(timer);
            resolve(m.port);
          }
        } catch {
          /* partial line */
        }
      }
    });
  });
  const base = `http://127.0.0.1:${port}`;
  const info = await call<{ runtime: string; features: ScenarioResult['features']; defaultLoadError: string | null }>(`${base}/info`);
  const builds: Build[] = info.features.relaxedSimd ? ['simd', 'relaxed'] : ['simd'];
  const runs: Run[] = [];
  const images = jobImages(job);
  for (const pack of job.packs) {
    for (const build of builds) {
      const results: (ImageResult & { precision: string })[] = [];
      for (const im of images) {
        const q = new URLSearchParams({
          pack: pack.name,
          build,
          name: im.name,
          width: String(im.width),
          height: String(im.height),
          channels: String(im.channels),
        });
        results.push(await call(`${base}/classify?${q}`, { method: 'POST', body: im.data }));
      }
      runs.push({ pack: pack.name, build, precision: results[0]?.precision ?? '?', images: results.map(({ precision: _, ...r }) => r) });
    }
  }
  const threads: ThreadsRun[] = [];
  for (const pack of job.packs) {
    threads.push(
      ...(await call<ThreadsRun[]>(`${base}/threads?${new URLSearchParams({ pack: pack.name })}`, {
        method: 'POST',
        body: JSON.stringify(job.images),
      })),
    );
  }
  const notes = [`load() with no options.wasm: ${info.defaultLoadError ?? 'succeeded'}`];
  if (!info.features.relaxedSimd) notes.push('no relaxed SIMD in this engine: only the simd build ran');
  const result: ScenarioResult = { runtime: info.runtime, features: info.features, defaultBuild: null, runs, extra: [], threads, notes };
  process.stdout.write(`${RESULT_MARK}${JSON.stringify(result)}\n`);
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)));
  rmSync(dir, { recursive: true, force: true });
}
