// The Cloudflare Worker example (examples/cloudflare-worker) in workerd (Cloudflare's Workers runtime, npm
// `workerd`), set up as wrangler would run it: src/index.ts bundled by esbuild with the .wasm
// import left to the runtime as a compiled module, the pack behind an ASSETS binding (a disk
// service over a directory holding only the pack), PACK as a text binding, the compatibility
// date of wrangler.toml. POST /classify must answer the SDK's top 5, bad input a 4xx JSON error.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  assertBadRequests,
  assertClassifyRequest,
  assertHostileUploads,
  assertStreamedBodies,
  bin,
  bundleWorkerExample,
  CASE,
  expectedTop,
  fetchJson,
  once,
  ROOT,
  skipMissing,
  startChild,
  writeWorkerdConfig,
} from './helpers.ts';
import { uploadBombs } from '../reliability/bombs.ts';

const EXAMPLE = join(ROOT, 'examples', 'cloudflare-worker');
const READY_MS = 30_000;
let dir = '';

/** The worker, bundled as wrangler bundles it, and a workerd config serving it; returns the config's path. */
async function writeWorker(): Promise<string> {
  assert.match(readFileSync(join(EXAMPLE, 'wrangler.toml'), 'utf8'), /binding = "ASSETS"/, 'wrangler.toml binds the assets as ASSETS');
  await bundleWorkerExample(join(dir, 'worker.js'));
  return writeWorkerdConfig(dir, ['worker.js']);
}

const server = once(async () => {
  if (skipMissing('workerd', 'the Cloudflare Worker example')) return undefined;
  const want = await expectedTop();
  dir = mkdtempSync(join(tmpdir(), 'edge-resnet-example-worker-'));
  const config = await writeWorker();
  // workerd reports the port it bound on its control channel (fd 3) as a JSON line.
  const child = await startChild(bin('workerd'), ['serve', config, '--control-fd=3'], {
    ready: /"event":"listen","socket":"http","port":(\d+)/,
    timeoutMs: READY_MS,
    readyOnFd3: true,
  });
  return { child, url: `http://127.0.0.1:${child.match[1]}/classify`, want };
});

test.after(async () => {
  await (await server.ifMade())?.child.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('workerd: POST /classify with a PNG answers the top 5 as JSON', async () => {
  const s = await server.get();
  if (!s) return;
  const body = await assertClassifyRequest(s.url, s.want, 'worker', s.child.output);
  // A second request reuses the classifier the first one made.
  const again = await fetchJson(s.url, { method: 'POST', body: readFileSync(join(ROOT, CASE.image)) });
  assert.equal(again.body.predictions, body.predictions);
});

test('workerd: bad requests get a 4xx with a JSON error', async () => {
  const s = await server.get();
  if (!s) return;
  await assertBadRequests(s.url);
});

test('workerd: a streamed (chunked) body is read up to the cap', async () => {
  const s = await server.get();
  if (!s) return;
  await assertStreamedBodies(s.url, s.want, 'worker');
});

test('workerd: hostile uploads get a 4xx quickly, a 12 MP photo is classified, stalled and malformed bodies are 4xx, nothing is logged', async () => {
  const s = await server.get();
  if (!s) return;
  await assertHostileUploads(s.url, s.want, 'worker', s.child.output, uploadBombs());
});

test.run();
