// Cloudflare Worker: POST /classify with JPEG or PNG bytes → the top 5 classes as JSON.
//
//   curl --data-binary @photo.jpg -H 'content-type: image/jpeg' https://<worker>/classify
//   → { "predictions": [{ "label": "Ankle boot", "index": 9, "score": 0.90 }, …], "model": { … } }
//
// Workers forbid compiling WebAssembly at run time, so the kernels come in as a module the
// bundler compiles at deploy time (wrangler's default rule for *.wasm imports). The pack is a
// static asset read through the ASSETS binding (see README.md for why, and the alternatives).
import { load, type Classifier } from 'edge-resnet';
import { decodeImage, type DecodedImage } from 'edge-resnet/decode';
import wasm from 'edge-resnet/kernels-simd.wasm';

export interface Env {
  /** The [assets] binding of wrangler.toml: the directory that holds the pack. */
  ASSETS: { fetch(input: Request | URL | string): Promise<Response> };
  /** The pack's file name in that directory ([vars] in wrangler.toml). */
  PACK: string;
}

/** Bodies above this are refused with 413 before they are read. */
const MAX_BYTES = 16 << 20;
const TOP_K = 5;

// One classifier per isolate, made on the first request and reused by every later one.
let classifier: Promise<Classifier> | undefined;

function getClassifier(env: Env, url: string): Promise<Classifier> {
  classifier ??= (async () => {
    const res = await env.ASSETS.fetch(new URL(`/${env.PACK}`, url));
    if (!res.ok) throw new Error(`pack ${env.PACK}: the ASSETS binding answered HTTP ${res.status}`);
    return load(res, { wasm });
  })();
  classifier.catch(() => (classifier = undefined)); // a failed load is retried by the next request
  return classifier;
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } });

/**
 * The request body, or undefined once it passes `max` bytes: a chunked upload declares no
 * length, so the cap is enforced while reading rather than after buffering all of it.
 */
async function readAtMost(req: Request, max: number): Promise<Uint8Array | undefined> {
  if (!req.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

async function classify(req: Request, env: Env): Promise<Response> {
  const declared = Number(req.headers.get('content-length') ?? 0);
  if (declared > MAX_BYTES) return json({ error: `the image is ${declared} bytes; at most ${MAX_BYTES} are accepted` }, 413);
  const bytes = await readAtMost(req, MAX_BYTES);
  if (!bytes) return json({ error: `the body is over ${MAX_BYTES} bytes; at most that many are accepted` }, 413);
  if (bytes.byteLength === 0) return json({ error: 'empty body: POST the bytes of a JPEG or PNG file' }, 400);
  let image: DecodedImage;
  try {
    image = decodeImage(bytes);
  } catch (e) {
    return json({ error: e instanceof Error ? e.message : String(e) }, 400); // not an image we can read: the caller's to fix
  }
  const clf = await getClassifier(env, req.url);
  // No timing here: a Worker's clock stands still while it computes (it moves only across I/O).
  const predictions = await clf.classify(image, { topK: TOP_K });
  const { arch, precision, inputSize, numClasses } = clf.info;
  return json({ predictions, model: { arch, precision, inputSize, numClasses } });
}

export default {
  async fetch(req: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(req.url);
    if (pathname !== '/classify') return json({ error: `no route ${pathname}; POST an image to /classify` }, 404);
    if (req.method !== 'POST') return json({ error: `use POST with the image bytes as the body, not ${req.method}` }, 405, { allow: 'POST' });
    try {
      return await classify(req, env);
    } catch (e) {
      console.error(e);
      return json({ error: `classification failed: ${e instanceof Error ? e.message : String(e)}` }, 500);
    }
  },
};
