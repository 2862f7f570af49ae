// Cloudflare Worker: POST /classify with JPEG or PNG bytes → the top 5 classes as JSON.
//
//   curl --data-binary @photo.jpg -H 'content-type: image/jpeg' https://<worker>/classify
//   → { "predictions": [{ "label": "Ankle boot", "index": 9, "score": 0.90 }, …], "model": { … } }
//
// Workers forbid compiling WebAssembly at run time, so the kernels come in as a module the
// bundler compiles at deploy time (wrangler's default rule for *.wasm imports). The pack is a
// static asset read through the ASSETS binding (see README.md for why, and the alternatives).
//
// Every request is bounded so that hostile uploads cannot take the isolate's 128 MB: the body
// (MAX_BYTES, arriving within BODY_TIMEOUT_MS), the decode (DECODE_BYTES, JPEGs decoded straight
// to the size the network needs). README.md, "Limits", adds it up. Client faults get a 4xx and
// no log line; only the server's own failures are logged, as 500.
import { load, type Classifier, type InputSpec } from 'edge-resnet';
import { decodeImage, ImageDecodeError, type DecodedImage } from 'edge-resnet/decode';
import wasm from 'edge-resnet/kernels-simd.wasm';

export interface Env {
  /** The [assets] binding of wrangler.toml: the directory that holds the pack. */
  ASSETS: { fetch(input: Request | URL | string): Promise<Response> };
  /** The pack's file name in that directory ([vars] in wrangler.toml). */
  PACK: string;
}

/** Bodies above this are refused with 413 (a 12 MP phone photo is 3–6 MB). */
const MAX_BYTES = 8 << 20;
/** The whole body must arrive within this, or the request gets 408: a slow upload holds memory. */
const BODY_TIMEOUT_MS = 10_000;
/** The most one decode may allocate (decodeImage's maxBytes). */
const DECODE_BYTES = 48 << 20;
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

/** The size the network's preprocessing resizes to: a JPEG is decoded at the smallest 1/2ⁿ scale that keeps it. */
const minSideFor = (input: InputSpec): number => input.resize || Math.max(input.width, input.height);

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } });

/** A client fault: answered with its status and message, not logged. */
class ClientError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The request body, read up to `max` bytes (a chunked upload declares no length, so the cap
 * is enforced while reading) and within `timeoutMs`.
 */
async function readBody(req: Request, max: number, timeoutMs: number): Promise<Uint8Array> {
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), timeout]).catch((e: unknown) => {
        throw new ClientError(400, `the request body could not be read: ${e instanceof Error ? e.message : String(e)}`);
      });
      if (next === 'timeout') throw new ClientError(408, `the body did not arrive within ${timeoutMs / 1000} s`);
      if (next.done) break;
      total += next.value.byteLength;
      if (total > max) throw new ClientError(413, `the body is over ${max} bytes; at most that many are accepted`);
      chunks.push(next.value);
    }
  } catch (e) {
    reader.cancel().catch(() => {});
    throw e;
  } finally {
    clearTimeout(timer);
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
  if (declared > MAX_BYTES) throw new ClientError(413, `the image is ${declared} bytes; at most ${MAX_BYTES} are accepted`);
  const clf = await getClassifier(env, req.url);
  const bytes = await readBody(req, MAX_BYTES, BODY_TIMEOUT_MS);
  if (bytes.byteLength === 0) throw new ClientError(400, 'empty body: POST the bytes of a JPEG or PNG file');
  let image: DecodedImage;
  try {
    image = decodeImage(bytes, { maxBytes: DECODE_BYTES, minSide: minSideFor(clf.info.input) });
  } catch (e) {
    if (!(e instanceof ImageDecodeError)) throw e;
    throw new ClientError(e.code === 'OVER_BUDGET' || e.code === 'TOO_MANY_PIXELS' ? 413 : 400, e.message);
  }
  // No timing here: a Worker's clock stands still while it computes (it moves only across I/O).
  const predictions = await clf.classify(image, { topK: TOP_K });
  const { arch, precision, inputSize, numClasses } = clf.info;
  return json({ predictions, model: { arch, precision, inputSize, numClasses } });
}

export default {
  async fetch(req: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(req.url);
    if (pathname !== '/classify') return json({ error: `no route ${pathname}; POST an image to /classify` }, 404);
    if (req.method !== 'POST')
      return json({ error: `use POST with the image bytes as the body, not ${req.method}` }, 405, { allow: 'POST' });
    try {
      return await classify(req, env);
    } catch (e) {
      if (e instanceof ClientError) return json({ error: e.message }, e.status);
      console.error(e);
      return json({ error: `classification failed: ${e instanceof Error ? e.message : String(e)}` }, 500);
    }
  },
};
