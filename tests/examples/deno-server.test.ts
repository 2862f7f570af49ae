// The Deno example: examples/deno/server.ts on a loopback port Deno picks, with only the
// permissions it needs: POST /classify answers the SDK's top 5 as JSON, bad input a 4xx JSON
// error.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  assertBadRequests,
  assertClassifyRequest,
  assertHostileUploads,
  assertStreamedBodies,
  bin,
  CASE,
  expectedTop,
  once,
  skipMissing,
  startChild,
} from './helpers.ts';
import { uploadBombs } from '../reliability/bombs.ts';

const READY_MS = 40_000; // the first start compiles the TypeScript, on a busy machine

const server = once(async () => {
  if (skipMissing('deno', 'the Deno server example')) return undefined;
  const want = await expectedTop();
  const child = await startChild(
    bin('deno'),
    [
      'run',
      '--no-prompt',
      '--no-lock',
      '--allow-net=127.0.0.1',
      `--allow-read=${CASE.pack}`,
      'examples/deno/server.ts',
      '--port',
      '0',
      '--pack',
      CASE.pack,
    ],
    { ready: /listening on (http:\/\/127\.0\.0\.1:\d+\/classify)/, timeoutMs: READY_MS },
  );
  return { child, url: child.match[1], want };
});

test.after(async () => {
  await (await server.ifMade())?.child.stop();
});

test('deno: POST /classify with a PNG answers the top 5 as JSON', async () => {
  const s = await server.get();
  if (!s) return;
  const body = await assertClassifyRequest(s.url, s.want, 'deno server', s.child.output);
  assert.type(body.ms, 'number');
});

test('deno: bad requests get a 4xx with a JSON error', async () => {
  const s = await server.get();
  if (!s) return;
  await assertBadRequests(s.url);
});

test('deno: a streamed (chunked) body is read up to the cap', async () => {
  const s = await server.get();
  if (!s) return;
  await assertStreamedBodies(s.url, s.want, 'deno server');
});

test('deno: hostile uploads get a 4xx quickly, a 12 MP photo is classified, stalled and malformed bodies are 4xx, nothing is logged', async () => {
  const s = await server.get();
  if (!s) return;
  await assertHostileUploads(s.url, s.want, 'deno server', s.child.output, uploadBombs());
});

test.run();
