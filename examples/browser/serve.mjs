#!/usr/bin/env node
// A tiny static server for the demo page: serves this repository's demo, the built package
// (dist/), the weights and the test fixtures, nothing else, on loopback.
//
//   npm run build && node examples/browser/serve.mjs [--port 8080]
//   → open http://127.0.0.1:8080/ (add ?pack=/tests/fixtures/tiny-int8.pack to try another pack)
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** What may be served, by path prefix from the repository root. */
const SERVED = ['examples/browser/', 'dist/', 'weights/packs/', 'weights/data/samples/', 'tests/fixtures/'];
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.pack': 'application/octet-stream',
};
// What a real deployment of the page needs: 'wasm-unsafe-eval' lets the SDK compile its
// kernels; worker-src blob: lets it start its worker threads (their code is a Blob URL); blob:
// shows the chosen image; https: lets ?pack= fetch a pack from elsewhere.
const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; img-src 'self' blob: data:; connect-src 'self' https:";
// Cross-origin isolation: without it the browser withholds SharedArrayBuffer and the SDK runs on
// one thread (info.threadsReason says so). Every resource here is same-origin.
const ISOLATION = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

/** The file a URL path names, or undefined if it is not one we serve. */
function resolve(pathname) {
  let rel = decodeURIComponent(pathname).replace(/^\/+/, '');
  if (rel.endsWith('/')) rel += 'index.html';
  const file = normalize(join(ROOT, rel));
  if (!file.startsWith(ROOT) || !SERVED.some((p) => file.startsWith(join(ROOT, p)))) return undefined;
  return file.includes(`${sep}.`) ? undefined : file; // no dotfiles
}

export function serve({ port = 8080, hostname = '127.0.0.1' } = {}) {
  const server = createServer(async (req, res) => {
    const { pathname, search } = new URL(req.url ?? '/', 'http://localhost');
    if (pathname === '/') {
      res.writeHead(302, { location: `/examples/browser/${search}` }).end();
      return;
    }
    try {
      const file = resolve(pathname);
      if (!file || !(await stat(file)).isFile()) throw new Error('not served');
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-length': body.byteLength,
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
        'content-security-policy': CSP,
        ...ISOLATION,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`not found: ${pathname}\n`);
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, hostname, () => {
      const { port: bound } = server.address();
      ok({ server, url: `http://${hostname}:${bound}/` });
    });
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === normalize(process.argv[1])) {
  const { values } = parseArgs({
    options: { port: { type: 'string', default: '8080' }, hostname: { type: 'string', default: '127.0.0.1' } },
  });
  const { url } = await serve({ port: Number(values.port), hostname: values.hostname });
  console.log(`edge-resnet demo: ${url}`);
}
