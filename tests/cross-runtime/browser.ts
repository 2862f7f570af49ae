// Driver for headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core): serves
// the built package, the fixtures and the page on a free loopback port, opens the page, waits
// for the scenario's outcome, prints it on one marked line, then closes browser and server.
//   node --import tsx tests/cross-runtime/browser.ts <job.json> <repo root>
import { createServer, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { transform } from 'esbuild';
import { chromium } from 'playwright-core';
import { RESULT_MARK } from './scenario.ts';
import { CHROMIUM, CHROMIUM_FLAGS } from './chromium.ts';

const DEADLINE_MS = 60_000;

const [jobPath, root] = process.argv.slice(2);
if (!jobPath || !root) throw new Error('usage: browser.ts <job.json> <repo root>');
const here = new URL('.', import.meta.url).pathname;
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.ts': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.map': 'application/json', '.png': 'image/png', '.html': 'text/html' };
const PAGE = '<!doctype html><meta charset="utf-8"><title>edge-resnet cross-runtime</title><link rel="icon" href="data:,"><script type="module" src="/cross-runtime/browser-page.ts"></script>';

/** A file under `base`, or undefined if `rel` would leave it. */
function inside(base: string, rel: string): string | undefined {
  const p = normalize(join(base, rel));
  return p.startsWith(base.endsWith(sep) ? base : base + sep) ? p : undefined;
}

async function fileBody(url: string): Promise<{ body: Buffer | string; type: string } | undefined> {
  if (url === '/') return { body: PAGE, type: TYPES['.html'] };
  if (url === '/job.json') return { body: await readFile(jobPath), type: TYPES['.json'] };
  let m = /^\/cross-runtime\/([\w-]+\.ts)$/.exec(url);
  if (m) {
    const src = await readFile(join(here, m[1]), 'utf8');
    return { body: (await transform(src, { loader: 'ts', format: 'esm', target: 'es2022' })).code, type: TYPES['.ts'] };
  }
  m = /^\/(dist|repo)\/(.+)$/.exec(url);
  if (m) {
    // Only the built package and the fixtures and shipped weights are served.
    const rel = decodeURIComponent(m[2]);
    if (m[1] === 'repo' && !/^(tests\/fixtures|weights)\//.test(rel)) return undefined;
    const file = inside(m[1] === 'dist' ? join(root, 'dist') : root, rel);
    if (!file) return undefined;
    return { body: await readFile(file), type: TYPES[extname(file)] ?? 'application/octet-stream' };
  }
  return undefined;
}

function send(res: ServerResponse, status: number, body: Buffer | string, type: string): void {
  // Cross-origin isolated (every resource is same-origin), as a page using threads must be.
  res.writeHead(status, {
    'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store',
    'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp',
  });
  res.end(body);
}

const server = createServer((req, res) => {
  fileBody(new URL(req.url ?? '/', 'http://x').pathname).then(
    (f) => (f ? send(res, 200, f.body, f.type) : send(res, 404, 'not found', 'text/plain')),
    (e: unknown) => send(res, 404, String(e), 'text/plain'),
  );
});
await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
const port = (server.address() as { port: number }).port;

const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true, timeout: 30_000 });
try {
  const page = await browser.newPage();
  page.on('console', (msg) => process.stderr.write(`[page ${msg.type()}] ${msg.text()}\n`));
  page.on('pageerror', (e) => process.stderr.write(`[page error] ${e.message}\n`));
  await page.goto(`http://127.0.0.1:${port}/`, { timeout: 20_000 });
  await page.waitForFunction(() => (globalThis as unknown as { __crossRuntime?: { done: boolean } }).__crossRuntime?.done, null, { timeout: DEADLINE_MS });
  const outcome = await page.evaluate(() => (globalThis as unknown as { __crossRuntime: { result?: unknown; error?: string } }).__crossRuntime);
  if (outcome.error) throw new Error(`in the page: ${outcome.error}`);
  process.stdout.write(`${RESULT_MARK}${JSON.stringify(outcome.result)}\n`);
} finally {
  await browser.close();
  server.close();
  server.closeAllConnections();
}
