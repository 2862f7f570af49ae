// Load on the edge endpoint. The Cloudflare Worker example (examples/cloudflare-worker,
// POST /classify) runs in workerd on a loopback port, bundled and configured as its own test
// does (tests/examples/cloudflare-worker.test.ts), over the built package in dist/ and the tiny
// pack. A bounded loop of fetches at concurrency 16 drives REQUESTS requests: valid PNG/JPEG
// images must get 200 and the SDK's own top 5 (computed in this process by the built package),
// never a 5xx; invalid ones (garbage, empty, truncated, corrupt, unsupported formats, a header
// declaring 40000×40000, an over-limit body, wrong method/path) must get the right 4xx with a
// JSON error. No new dependency: Node's fetch, not autocannon.
//
// Memory: workerd's RSS creeps up for thousands of requests even for a worker that only answers
// 400 (its heap and allocator keep what they used), so "flat" is judged against a control: the
// same requests to a trivial worker in a fresh workerd. Both run with --expose-gc and a /__gc
// route added by a wrapper module (the example itself unchanged); RSS is taken after a GC at the
// end of warm-up and at the end. The example's growth may exceed the control's by RSS_SLACK.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connect } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { SCORE_TOL } from '../cross-runtime/compare.ts';
import { expectedTop, ROOT, skipMissing } from '../examples/helpers.ts';
import { rng } from '../helpers/rng.ts';
import { mib } from './shared.ts';
import { rssAfterGc, rssOf, startWorker, type Server } from './workerd.ts';
import type { Prediction } from '../../ts-sdk/index.ts';

const REQUESTS = Number(process.env.EDGE_REQUESTS ?? 2_000);
const CONCURRENCY = 16;
/** Requests before the first RSS reading: 500, or a quarter of a short diagnostic run. */
const WARMUP = Math.min(500, Math.floor(REQUESTS / 4));
/** RSS samples every this many requests (EDGE_GC_SAMPLES=1: after a GC, for long diagnostic runs). */
const SAMPLE_EVERY = Number(process.env.EDGE_SAMPLE_EVERY ?? 500);
const GC_SAMPLES = !!process.env.EDGE_GC_SAMPLES;
const TOTAL_MS = 240_000;
/**
 * The example's workerd may grow this much more than the control's between warm-up and the end
 * (after GC). Measured over the default 2,000 requests: +17 MiB vs +19 MiB. workerd's own heap
 * and allocator keep growing for ~10,000 requests before they level off (docs/RELIABILITY.md), so
 * this is a guard against a gross per-request leak (24 MiB ≈ 16 KB a request), not a fine one;
 * tests/reliability/lifetime.test.ts measures the SDK's own memory exactly, in Node.
 */
const RSS_SLACK = 24 * 2 ** 20;

const file = (p: string): Uint8Array<ArrayBuffer> => Uint8Array.from(readFileSync(join(ROOT, p)));

const VALID = [
  'tests/fixtures/cross-runtime/rgb-20x20.png',
  'tests/fixtures/cross-runtime/rgba-37x29.png',
  'tests/fixtures/cross-runtime/gray-28x28.png',
  'tests/fixtures/preprocess/decode/color-444.jpg',
  'tests/fixtures/preprocess/decode/gray.jpg',
].map((p) => ({ name: basename(p), bytes: file(p) }));

/** A PNG whose IHDR declares w×h (valid CRC-free header; no image data). */
function pngHeader(w: number, h: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(33);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const v = new DataView(b.buffer);
  v.setUint32(16, w);
  v.setUint32(20, h);
  b.set([8, 2, 0, 0, 0], 24);
  return b;
}
const png = VALID[0].bytes;
const corrupt = png.slice();
corrupt.fill(0x55, 40, 60); // inside the IDAT stream
const INVALID: { name: string; init: RequestInit; path?: string; status: number }[] = [
  { name: 'garbage text', init: { method: 'POST', body: 'this is not an image' }, status: 400 },
  { name: 'empty body', init: { method: 'POST', body: new Uint8Array(0) }, status: 400 },
  { name: 'truncated PNG', init: { method: 'POST', body: png.subarray(0, 50) }, status: 400 },
  { name: 'PNG signature only', init: { method: 'POST', body: png.subarray(0, 8) }, status: 400 },
  { name: 'corrupt PNG data', init: { method: 'POST', body: corrupt }, status: 400 },
  { name: 'PNG declaring 40000×40000', init: { method: 'POST', body: pngHeader(40000, 40000) }, status: 400 },
  { name: 'PNG declaring 0×0', init: { method: 'POST', body: pngHeader(0, 0) }, status: 400 },
  { name: 'JPEG SOI and junk', init: { method: 'POST', body: Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5) }, status: 400 },
  { name: 'a GIF', init: { method: 'POST', body: new TextEncoder().encode('GIF89a\x01\x00\x01\x00') }, status: 400 },
  { name: 'GET', init: { method: 'GET' }, status: 405 },
  { name: 'wrong path', init: { method: 'POST', body: png }, path: '/nope', status: 404 },
];
const OVERSIZE = { name: 'a 17 MiB body', init: { method: 'POST', body: new Uint8Array(17 * 2 ** 20) }, status: 413 };

/**
 * The over-limit POST: headers first (content-length 17 MiB), then wait for the answer before
 * sending the body, as a client using `Expect: 100-continue` does. The Worker refuses from the
 * header alone; sending the body anyway races the server's close (the client then sees EPIPE or
 * a reset instead of the 413 — TCP, not the Worker).
 */
function postHeadersFirst(base: string, path: string, length: number): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const sock = connect(Number(port), hostname);
    let data = '';
    const timer = setTimeout(() => (sock.destroy(), reject(new Error('no answer to the headers within 10 s'))), 10_000);
    sock.on('data', (d: Buffer) => {
      data += d.toString('latin1');
      const head = data.indexOf('\r\n\r\n');
      if (head < 0) return;
      const status = Number(/^HTTP\/1\.1 (\d+)/.exec(data)?.[1]);
      const len = Number(/content-length: *(\d+)/i.exec(data.slice(0, head))?.[1] ?? NaN);
      const body = data.slice(head + 4);
      if (Number.isFinite(len) ? body.length >= len : false) {
        clearTimeout(timer);
        sock.destroy();
        resolve({ status, text: body.slice(0, len) });
      }
    });
    sock.on('error', (e) => (clearTimeout(timer), reject(e)));
    sock.write(
      `POST ${path} HTTP/1.1\r\nhost: ${hostname}:${port}\r\ncontent-type: application/octet-stream\r\ncontent-length: ${length}\r\n\r\n`,
    );
  });
}

type Planned = { valid: true; image: number } | { valid: false; bad: (typeof INVALID)[number] };

interface Stats {
  ok: number;
  refused: number;
  s5xx: number;
  done: number;
  ms: number;
  problems: string[];
  rss: { warm: number; end: number; samples: string };
}

/** Sends the plan at CONCURRENCY; `want` (the example) checks every answer, the control's are only counted. */
async function drive(server: Server, plan: Planned[], want?: Prediction[][]): Promise<Stats> {
  const st: Stats = { ok: 0, refused: 0, s5xx: 0, done: 0, ms: 0, problems: [], rss: { warm: 0, end: 0, samples: '' } };
  const samples: string[] = [];
  const deadline = performance.now() + TOTAL_MS;
  const one = async (i: number, p: Planned) => {
    const init: RequestInit = p.valid
      ? { method: 'POST', body: VALID[p.image].bytes, headers: { 'content-type': 'application/octet-stream' } }
      : p.bad.init;
    const url = server.url + (p.valid ? '/classify' : (p.bad.path ?? '/classify'));
    const res =
      !p.valid && p.bad === OVERSIZE
        ? await postHeadersFirst(server.url, '/classify', (p.bad.init.body as Uint8Array).length)
        : await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) }).then(async (r) => ({
            status: r.status,
            text: await r.text(),
          }));
    let body: { error?: unknown; predictions?: Prediction[] } = {};
    try {
      body = JSON.parse(res.text);
    } catch {
      return void st.problems.push(`#${i}: HTTP ${res.status}, not JSON: ${res.text.slice(0, 200)}`);
    }
    if (res.status >= 500) st.s5xx++;
    if (!want) return;
    if (p.valid) {
      if (res.status !== 200)
        return void st.problems.push(`#${i} ${VALID[p.image].name}: HTTP ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
      const got = body.predictions ?? [];
      const exp = want[p.image];
      const same =
        got.length === exp.length &&
        got.every((g, k) => g.index === exp[k].index && g.label === exp[k].label && Math.abs(g.score - exp[k].score) <= SCORE_TOL);
      if (!same) return void st.problems.push(`#${i} ${VALID[p.image].name}: ${JSON.stringify(got)} ≠ ${JSON.stringify(exp)}`);
      st.ok++;
    } else {
      if (res.status !== p.bad.status || typeof body.error !== 'string' || !body.error) {
        return void st.problems.push(
          `#${i} ${p.bad.name}: HTTP ${res.status} ${JSON.stringify(body).slice(0, 300)}, expected ${p.bad.status} with a JSON error`,
        );
      }
      st.refused++;
    }
  };
  const phase = async (from: number, to: number) => {
    let next = from;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < to && performance.now() < deadline && st.problems.length < 20) {
          const i = next++;
          try {
            await one(i, plan[i]);
          } catch (e) {
            st.problems.push(`#${i}: ${(e as Error).message} ${(e as Error).cause ?? ''}`);
          }
          if (++st.done % SAMPLE_EVERY === 0) samples.push(`${st.done}: ${mib(GC_SAMPLES ? await rssAfterGc(server) : rssOf(server.pid))}`);
        }
      }),
    );
  };
  const t0 = performance.now();
  await phase(0, WARMUP);
  st.rss.warm = await rssAfterGc(server);
  await phase(WARMUP, plan.length);
  st.ms = performance.now() - t0;
  st.rss.end = await rssAfterGc(server);
  st.rss.samples = samples.join(', ');
  return st;
}

test(`workerd POST /classify: ${REQUESTS} requests at concurrency ${CONCURRENCY}, valid and invalid mixed`, async () => {
  if (skipMissing('workerd', 'the edge load test')) return;
  const want = await Promise.all(VALID.map((v) => expectedTop(v.bytes)));
  const q = rng(2026);
  const plan: Planned[] = Array.from({ length: REQUESTS }, (_, i) =>
    i % 500 === 250
      ? { valid: false, bad: OVERSIZE }
      : q.next() < 0.7
        ? { valid: true, image: q.int(0, VALID.length - 1) }
        : { valid: false, bad: INVALID[q.int(0, INVALID.length - 1)] },
  );
  const dir = mkdtempSync(join(tmpdir(), 'edge-resnet-edge-load-'));
  const servers: Server[] = [];
  try {
    const example = await startWorker(join(dir, 'example'), 'example');
    servers.push(example);
    const st = await drive(example, plan, want);
    assert.ok(
      !st.problems.length,
      `${st.problems.length} bad answers:\n${st.problems.slice(0, 20).join('\n')}\n--- workerd:\n${example.output()}`,
    );
    assert.is(st.done, REQUESTS, `only ${st.done} of ${REQUESTS} requests in ${TOTAL_MS} ms`);
    assert.is(st.s5xx, 0, 'no 5xx at all');
    await example.stop();

    const control = await startWorker(join(dir, 'control'), 'control');
    servers.push(control);
    const ct = await drive(control, plan);
    assert.ok(!ct.problems.length && ct.done === REQUESTS, `control run: ${ct.problems.slice(0, 5).join('\n')}`);
    const grew = st.rss.end - st.rss.warm;
    const base = ct.rss.end - ct.rss.warm;
    assert.ok(
      grew - base < RSS_SLACK,
      `workerd with the example grew ${mib(grew)} after warm-up (after GC), the control ${mib(base)}: ${st.rss.samples}`,
    );
    console.log(
      `\n  edge load: ${REQUESTS} requests in ${(st.ms / 1000).toFixed(1)} s (${(REQUESTS / (st.ms / 1000)).toFixed(0)} req/s at concurrency ${CONCURRENCY}): ` +
        `${st.ok} correct top-5 answers, ${st.refused} refused with the right 4xx, 0 5xx. workerd RSS after GC: example ${mib(st.rss.warm)} → ${mib(st.rss.end)} ` +
        `(+${mib(grew)}), trivial control ${mib(ct.rss.warm)} → ${mib(ct.rss.end)} (+${mib(base)}); example without GC: ${st.rss.samples}`,
    );
  } finally {
    for (const s of servers) await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
