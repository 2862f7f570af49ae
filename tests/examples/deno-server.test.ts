// Issue 7, examples: examples/deno/server.ts on a loopback port Deno picks, with only the
// permissions it needs: POST /classify answers the SDK's top 5 as JSON, bad input a 4xx JSON
// error.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertSameTop, bin, CASE, expectedTop, fetchJson, once, ROOT, skipMissing, startChild } from './helpers.ts';
import type { Prediction } from '../../ts-sdk/index.ts';

const READY_MS = 40_000; // the first start compiles the TypeScript, on a busy machine

const server = once(async () => {
  if (skipMissing('deno', 'the Deno server example')) return undefined;
  const want = await expectedTop();
  const child = await startChild(bin('deno'), [
    'run', '--no-prompt', '--no-lock', '--allow-net=127.0.0.1', `--allow-read=${CASE.pack}`,
    'examples/deno/server.ts', '--port', '0', '--pack', CASE.pack,
  ], { ready: /listening on (http:\/\/127\.0\.0\.1:\d+\/classify)/, timeoutMs: READY_MS });
  return { child, url: child.match[1], want };
});

test.after(async () => {
  await (await server.ifMade())?.child.stop();
});

test('deno: POST /classify with a PNG answers the top 5 as JSON', async () => {
  const s = await server.get();
  if (!s) return;
  const res = await fetchJson(s.url, { method: 'POST', body: readFileSync(join(ROOT, CASE.image)), headers: { 'content-type': 'image/png' } });
  assert.is(res.status, 200, `${JSON.stringify(res.body)}\n--- deno:\n${s.child.output()}`);
  assert.match(res.type, /^application\/json/);
  assertSameTop(res.body.predictions as Prediction[], s.want, 'deno server');
  assert.type(res.body.ms, 'number');
  assert.is((res.body.model as { numClasses: number }).numClasses, 10);
});

test('deno: bad requests get a 4xx with a JSON error', async () => {
  const s = await server.get();
  if (!s) return;
  const cases: [string, RequestInit, string, number][] = [
    [s.url, { method: 'POST', body: 'this is not an image' }, 'garbage', 400],
    [s.url, { method: 'POST', body: new Uint8Array(0) }, 'empty body', 400],
    [s.url, { method: 'GET' }, 'GET', 405],
    [s.url.replace('/classify', '/nope'), { method: 'POST', body: 'x' }, 'unknown path', 404],
  ];
  for (const [url, init, what, status] of cases) {
    const res = await fetchJson(url, init);
    assert.is(res.status, status, `${what}: ${JSON.stringify(res.body)}`);
    assert.type(res.body.error, 'string', `${what}: error message`);
  }
});

test.run();
