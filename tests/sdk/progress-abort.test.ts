// load()'s onProgress (download → parse → plan, bytes counted as they arrive) and signal
// (rejects with the signal's reason, at whatever point the abort happens).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { load, type LoadProgress } from '../../ts-sdk/index.ts';
import { PACK, PACK_PATH, rejects, serve } from './helpers.ts';

// The kernel module compiles while the pack downloads, so 'compile' interleaves with
// 'download'; the other phases come in order.
const phases = (events: LoadProgress[]) =>
  events
    .map((e) => e.phase)
    .filter((p) => p !== 'compile')
    .filter((p, i, a) => a[i - 1] !== p);
function compiledBeforePlan(events: LoadProgress[]): void {
  const compile = events.flatMap((e, i) => (e.phase === 'compile' ? [[e.loaded, e.total, i]] : []));
  assert.equal(
    compile.map(([l, t]) => [l, t]),
    [
      [0, 1],
      [1, 1],
    ],
    'compile: start and end',
  );
  assert.ok(compile[1][2]! < events.findIndex((e) => e.phase === 'plan'), 'compiled before planning');
}

/** A Response whose body arrives in `chunk`-byte pieces, `delayMs` apart. */
function slowResponse(chunk: number, delayMs: number, headers: Record<string, string> = {}): Response {
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(c) {
      if (i >= PACK.length) return c.close();
      await new Promise((r) => setTimeout(r, delayMs));
      c.enqueue(PACK.slice(i, i + chunk));
      i += chunk;
    },
  });
  return new Response(body, { headers });
}

test('onProgress: download (with compile alongside), parse, plan in that order; bytes rise to the total', async () => {
  const events: LoadProgress[] = [];
  const clf = await load(slowResponse(4096, 0, { 'content-length': String(PACK.length) }), { onProgress: (p) => events.push({ ...p }) });
  clf.dispose();
  assert.equal(phases(events), ['download', 'parse', 'plan']);
  const dl = events.filter((e) => e.phase === 'download');
  assert.ok(dl.length >= Math.ceil(PACK.length / 4096), `one event per chunk, got ${dl.length}`);
  assert.ok(
    dl.every((e, i) => e.total === PACK.length && (i === 0 || e.loaded > dl[i - 1].loaded)),
    'download: total known, loaded rising',
  );
  assert.is(dl.at(-1)!.loaded, PACK.length);
  const parse = events.filter((e) => e.phase === 'parse');
  assert.equal(
    parse.map((e) => [e.loaded, e.total]),
    [
      [0, PACK.length],
      [PACK.length, PACK.length],
    ],
  );
  assert.equal(
    events.filter((e) => e.phase === 'plan').map((e) => [e.loaded, e.total]),
    [
      [0, 1],
      [1, 1],
    ],
  );
  compiledBeforePlan(events);
});

test('onProgress: total is undefined when the response has no length; a file reports once, complete', async () => {
  const events: LoadProgress[] = [];
  (await load(slowResponse(8192, 0), { onProgress: (p) => events.push({ ...p }) })).dispose();
  assert.ok(events.filter((e) => e.phase === 'download').every((e) => e.total === undefined));
  const fileEvents: LoadProgress[] = [];
  (await load(PACK_PATH, { onProgress: (p) => fileEvents.push({ ...p }) })).dispose();
  assert.equal(
    fileEvents.filter((e) => e.phase === 'download').map((e) => [e.loaded, e.total]),
    [[PACK.length, PACK.length]],
  );
  assert.equal(phases(fileEvents), ['download', 'parse', 'plan']);
  compiledBeforePlan(fileEvents);
});

test('signal already aborted: rejects with its reason before reading anything', async () => {
  const reason = new Error('user gave up');
  let read = false;
  const e = await rejects(
    load(
      new Response(
        new ReadableStream(
          {
            pull() {
              read = true;
            },
          },
          { highWaterMark: 0 },
        ),
      ),
      { signal: AbortSignal.abort(reason) },
    ),
    (x) => x === reason,
    'pre-aborted',
  );
  assert.is(e, reason);
  assert.not.ok(read, 'the body was not read');
  await rejects(load(PACK, { signal: AbortSignal.abort() }), (x) => (x as Error).name === 'AbortError', 'default reason');
});

test('abort during a slow download rejects promptly with the reason', async () => {
  const ac = new AbortController();
  const t0 = performance.now();
  setTimeout(() => ac.abort(new Error('stop')), 30);
  await rejects(load(slowResponse(256, 10), { signal: ac.signal }), (x) => (x as Error).message === 'stop', 'mid-download');
  assert.ok(performance.now() - t0 < 1000, 'rejected long before the ~800 ms download would end');
});

test('abort during an http fetch rejects', async () => {
  const server = await serve((_req, res) => {
    res.writeHead(200, { 'content-length': PACK.length });
    res.write(PACK.subarray(0, 100)); // then stall
  });
  try {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    await rejects(load(`${server.url}/slow.pack`, { signal: ac.signal }), (x) => (x as Error).name === 'AbortError', 'stalled fetch');
  } finally {
    await server.close();
  }
});

test('abort while a Response body has stalled (no chunk ever comes) rejects within 100 ms', async () => {
  let cancelled: unknown;
  const stalled = new Response(
    new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(PACK.subarray(0, 100)); // then nothing, ever
      },
      cancel(reason) {
        cancelled = reason;
      },
    }),
  );
  const ac = new AbortController();
  const reason = new Error('too slow');
  const pending = load(stalled, { signal: ac.signal });
  await new Promise((r) => setTimeout(r, 50));
  const t0 = performance.now();
  ac.abort(reason);
  const hung = new Promise((_, fail) => setTimeout(() => fail(new Error('still pending 2 s after the abort')), 2000));
  await rejects(Promise.race([pending, hung]), (x) => x === reason, 'stalled Response');
  const ms = performance.now() - t0;
  assert.ok(ms < 100, `rejected ${ms.toFixed(1)} ms after the abort`);
  assert.is(cancelled, reason, 'the stream was cancelled with the reason');
});

test('abort while a file is being read rejects with the reason', async () => {
  const ac = new AbortController();
  const reason = new Error('stop reading');
  const pending = load(PACK_PATH, { signal: ac.signal });
  ac.abort(reason);
  await rejects(pending, (x) => x === reason, 'file read');
});

for (const phase of ['parse', 'plan'] as const) {
  test(`abort while in the ${phase} phase rejects, and no classifier is returned`, async () => {
    const ac = new AbortController();
    const reason = new Error(`abort in ${phase}`);
    const onProgress = (p: LoadProgress) => {
      if (p.phase === phase && p.loaded === 0) ac.abort(reason);
    };
    await rejects(load(PACK, { signal: ac.signal, onProgress }), (x) => x === reason, phase);
  });
}

test.run();
