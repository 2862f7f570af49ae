// A Deno HTTP endpoint: POST /classify with JPEG or PNG bytes → the top 5 classes as JSON.
//
//   deno run --allow-net=127.0.0.1 --allow-read=weights/packs examples/deno/server.ts [--port 8000] [--pack file]
//   curl --data-binary @weights/data/samples/09-ankleboot-idx0.png http://127.0.0.1:8000/classify
//   → { "predictions": [{ "label": "Ankle boot", "index": 9, "score": 0.90 }, …], "ms": 4.2, "model": { … } }
//
// Every request is bounded so that hostile uploads cannot exhaust the server's memory: the body
// (MAX_BYTES, arriving within BODY_TIMEOUT_MS) and the decode (DECODE_BYTES, JPEGs decoded
// straight to the size the network needs). Client faults get a 4xx and no log line; only the
// server's own failures are logged, as 500.
//
// In your own project: `deno add npm:edge-resnet`; the imports below stay as they are.
import { parseArgs } from 'node:util';
import { load, type InputSpec } from 'edge-resnet';
import { decodeImage, ImageDecodeError, type DecodedImage } from 'edge-resnet/decode';

// The shipped pack, found through the package (works from this repo and from an install).
const SHIPPED_PACK = new URL('weights/packs/resnet18-fmnist-int8.pack', import.meta.resolve('edge-resnet/package.json'));
/** Bodies above this are refused with 413 (a 12 MP phone photo is 3–6 MB). */
const MAX_BYTES = 8 << 20;
/** The whole body must arrive within this, or the request gets 408: a slow upload holds memory and a connection. */
const BODY_TIMEOUT_MS = 10_000;
/** The most one decode may allocate (decodeImage's maxBytes). */
const DECODE_BYTES = 48 << 20;
const TOP_K = 5;

const { values: args } = parseArgs({
  args: Deno.args,
  options: {
    port: { type: 'string', default: '8000' }, // 0: any free port (printed once listening)
    hostname: { type: 'string', default: '127.0.0.1' },
    pack: { type: 'string' },
  },
});

const clf = await load(args.pack ?? SHIPPED_PACK); // once, before serving: every request reuses it
const { arch, precision, inputSize, numClasses } = clf.info;
const model = { arch, precision, inputSize, numClasses };
/** The size the network's preprocessing resizes to: a JPEG is decoded at the smallest 1/2ⁿ scale that keeps it. */
const minSideFor = (input: InputSpec): number => input.resize || Math.max(input.width, input.height);
const minSide = minSideFor(clf.info.input);

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) => Response.json(body, { status, headers });

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

async function classify(req: Request): Promise<Response> {
  const declared = Number(req.headers.get('content-length') ?? 0);
  if (declared > MAX_BYTES) throw new ClientError(413, `the image is ${declared} bytes; at most ${MAX_BYTES} are accepted`);
  const bytes = await readBody(req, MAX_BYTES, BODY_TIMEOUT_MS);
  if (bytes.byteLength === 0) throw new ClientError(400, 'empty body: POST the bytes of a JPEG or PNG file');
  let image: DecodedImage;
  try {
    image = decodeImage(bytes, { maxBytes: DECODE_BYTES, minSide });
  } catch (e) {
    if (!(e instanceof ImageDecodeError)) throw e;
    throw new ClientError(e.code === 'OVER_BUDGET' || e.code === 'TOO_MANY_PIXELS' ? 413 : 400, e.message);
  }
  const t0 = performance.now();
  const predictions = await clf.classify(image, { topK: TOP_K });
  return json({ predictions, ms: performance.now() - t0, model });
}

Deno.serve(
  {
    hostname: args.hostname,
    port: Number(args.port),
    onListen: ({ hostname, port }) => console.log(`edge-resnet: ${arch} ${precision} listening on http://${hostname}:${port}/classify`),
  },
  async (req) => {
    const { pathname } = new URL(req.url);
    if (pathname !== '/classify') return json({ error: `no route ${pathname}; POST an image to /classify` }, 404);
    if (req.method !== 'POST')
      return json({ error: `use POST with the image bytes as the body, not ${req.method}` }, 405, { allow: 'POST' });
    try {
      return await classify(req);
    } catch (e) {
      if (e instanceof ClientError) return json({ error: e.message }, e.status);
      console.error(e);
      return json({ error: `classification failed: ${e instanceof Error ? e.message : String(e)}` }, 500);
    }
  },
);
