// A Deno HTTP endpoint: POST /classify with JPEG or PNG bytes → the top 5 classes as JSON.
//
//   deno run --allow-net=127.0.0.1 --allow-read=weights/packs examples/deno/server.ts [--port 8000] [--pack file]
//   curl --data-binary @weights/data/samples/09-ankleboot-idx0.png http://127.0.0.1:8000/classify
//   → { "predictions": [{ "label": "Ankle boot", "index": 9, "score": 0.90 }, …], "ms": 4.2, "model": { … } }
//
// In your own project: `deno add npm:edge-resnet`; the imports below stay as they are.
import { parseArgs } from 'node:util';
import { load } from 'edge-resnet';
import { decodeImage, type DecodedImage } from 'edge-resnet/decode';

// The shipped pack, found through the package (works from this repo and from an install).
const SHIPPED_PACK = new URL('weights/packs/resnet18-fmnist-int8.pack', import.meta.resolve('edge-resnet/package.json'));
/** Bodies above this are refused with 413. */
const MAX_BYTES = 16 << 20;
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

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers });

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

async function classify(req: Request): Promise<Response> {
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
  const t0 = performance.now();
  const predictions = await clf.classify(image, { topK: TOP_K });
  return json({ predictions, ms: performance.now() - t0, model });
}

Deno.serve({
  hostname: args.hostname,
  port: Number(args.port),
  onListen: ({ hostname, port }) => console.log(`edge-resnet: ${arch} ${precision} listening on http://${hostname}:${port}/classify`),
}, async (req) => {
  const { pathname } = new URL(req.url);
  if (pathname !== '/classify') return json({ error: `no route ${pathname}; POST an image to /classify` }, 404);
  if (req.method !== 'POST') return json({ error: `use POST with the image bytes as the body, not ${req.method}` }, 405, { allow: 'POST' });
  try {
    return await classify(req);
  } catch (e) {
    console.error(e);
    return json({ error: `classification failed: ${e instanceof Error ? e.message : String(e)}` }, 500);
  }
});
