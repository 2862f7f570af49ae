// workerd serving the Cloudflare Worker example (bundled as wrangler bundles it) or a trivial
// control worker, for the reliability tests that load it: on a loopback port workerd picks,
// with --expose-gc and a GET /__gc route in front (so RSS can be read after a full GC), and
// optionally under a memory cap (RLIMIT_DATA, via prlimit: what a container or isolate limit
// does to a process that allocates past it).
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bin, bundleWorkerExample, writeWorkerdConfig } from '../examples/helpers.ts';

const READY_MS = 30_000;

export function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

export interface Server {
  url: string;
  pid: number;
  output: () => string;
  stop: () => Promise<void>;
  exited: () => boolean;
}

/** Adds GET /__gc (a full V8 GC) in front of a worker module, so RSS can be read after a GC. */
const WRAPPER = `import inner from './inner.js';
export default {
  fetch(req, env, ctx) {
    if (new URL(req.url).pathname === '/__gc') { gc(); return new Response('{}', { headers: { 'content-type': 'application/json' } }); }
    return inner.fetch(req, env, ctx);
  },
};
`;

/** The control: reads the body and answers a small JSON, refusing over-limit bodies from the header as the example does. */
const CONTROL = `export default {
  async fetch(req) {
    const json = (b, status) => new Response(JSON.stringify(b), { status, headers: { 'content-type': 'application/json' } });
    if (Number(req.headers.get('content-length') ?? 0) > (16 << 20)) return json({ error: 'too big' }, 413);
    const bytes = new Uint8Array(await req.arrayBuffer());
    return json({ error: 'control', bytes: bytes.length }, 400);
  },
};
`;

/** The example bundled as wrangler bundles it (or the control), served by workerd on 127.0.0.1 (port chosen by workerd). */
export async function startWorker(dir: string, which: 'example' | 'control', opts: { dataLimit?: number } = {}): Promise<Server> {
  mkdirSync(dir);
  if (which === 'example') await bundleWorkerExample(join(dir, 'inner.js'));
  else writeFileSync(join(dir, 'inner.js'), CONTROL);
  writeFileSync(join(dir, 'worker.js'), WRAPPER);
  const config = writeWorkerdConfig(dir, ['worker.js', 'inner.js'], ['--expose-gc']);
  const cmd = [bin('workerd'), 'serve', config, '--control-fd=3'];
  const capped = opts.dataLimit ? ['prlimit', `--data=${opts.dataLimit}:${opts.dataLimit}`, '--', ...cmd] : cmd;
  const child = spawn(capped[0], capped.slice(1), { stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d));
  child.stderr!.on('data', (d: Buffer) => (out += d));
  const exited = new Promise<void>((ok) => child.once('close', () => ok()));
  const stop = async () => {
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(t);
  };
  const port = await new Promise<number>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`workerd not listening after ${READY_MS} ms:\n${out}`)), READY_MS);
    child.once('close', (code) => reject(new Error(`workerd exited (${code}) before listening:\n${out}`)));
    child.stdio[3]!.on('data', (d: Buffer) => {
      buf += d;
      const m = /"event":"listen","socket":"http","port":(\d+)/.exec(buf);
      if (m) clearTimeout(timer), resolve(Number(m[1]));
    });
  }).catch(async (e) => {
    await stop();
    throw e;
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    output: () => out.slice(-3000),
    stop,
    exited: () => child.exitCode !== null || child.signalCode !== null,
  };
}

/** RSS of the workerd process after a full GC in its isolate. */
export async function rssAfterGc(server: Server): Promise<number> {
  for (let i = 0; i < 3; i++) await (await fetch(`${server.url}/__gc`, { signal: AbortSignal.timeout(10_000) })).text();
  await new Promise((r) => setTimeout(r, 200));
  return rssOf(server.pid);
}

/** Peak RSS (VmHWM) of a process so far. */
export function peakOf(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** Writable address space a process has mapped (VmData: what RLIMIT_DATA limits). */
export function dataOf(pid: number): number {
  const m = /VmData:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}
