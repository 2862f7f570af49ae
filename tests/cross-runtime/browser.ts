// Driver for the browsers (Chromium, Firefox ESR, WebKitGTK; browser-session.ts launches each):
// serves the built package, the fixtures and the page on a free loopback port, opens the page,
// waits for the scenario's outcome, prints it on one marked line, then closes browser and server.
//   node --import tsx tests/cross-runtime/browser.ts <chromium|firefox|webkit> <job.json> <repo root>
import { createServer, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { transform } from 'esbuild';
import { RESULT_MARK, type ScenarioResult } from './scenario.ts';
import { BROWSER_ENGINES, launchBrowser, waitFor, type BrowserEngine } from './browser-session.ts';

const START_MS = 30_000;
const DEADLINE_MS = 60_000;

const [engine, jobPath, root] = process.argv.slice(2) as [BrowserEngine, string, string];
if (!BROWSER_ENGINES.includes(engine) || !jobPath || !root)
  throw new Error(`usage: browser.ts <${BROWSER_ENGINES.join('|')}> <job.json> <repo root>`);
const here = new URL('.', import.meta.url).pathname;
const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.ts': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.map': 'application/json',
  '.png': 'image/png',
  '.html': 'text/html',
};
const PAGE =
  '<!doctype html><meta charset="utf-8"><title>edge-resnet cross-runtime</title><link rel="icon" href="data:,"><script type="module" src="/cross-runtime/browser-page.ts"></script>';

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
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-embedder-policy': 'require-corp',
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

const browser = await launchBrowser(engine, {
  viewport: { width: 800, height: 600 },
  timeoutMs: START_MS,
  onConsole: (type, text) => process.stderr.write(`[page ${type}] ${text}\n`),
});
try {
  await browser.goto(`http://127.0.0.1:${port}/`);
  await waitFor(
    browser,
    'the scenario',
    DEADLINE_MS,
    () => (globalThis as unknown as { __crossRuntime?: { done: boolean } }).__crossRuntime?.done,
  );
  const outcome = await browser.evaluate(
    () => (globalThis as unknown as { __crossRuntime: { result?: ScenarioResult; error?: string } }).__crossRuntime,
  );
  if (outcome.error || !outcome.result) throw new Error(`in the page: ${outcome.error ?? 'no result'}`);
  const errors = await browser.errors();
  if (errors.length) throw new Error(`uncaught errors in the page:\n${errors.join('\n')}`);
  const result: ScenarioResult = { ...outcome.result, runtime: `${browser.version}: ${outcome.result.runtime}` };
  process.stdout.write(`${RESULT_MARK}${JSON.stringify(result)}\n`);
} finally {
  await browser.close();
  server.close();
  server.closeAllConnections();
}
