// load() takes the pack as every kind of source it documents, and each gives the same classifier.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { load, type Classifier } from '../../ts-sdk/index.ts';
import { IMAGES, PACK, PACK_PATH, PACK_URL, referenceLogits, rejects, assertSameLogits, serve } from './helpers.ts';

async function check(clf: Classifier, what: string): Promise<void> {
  assert.is(clf.info.numClasses, 10, what);
  assert.equal(clf.info.inputSize, [20, 20], what);
  const ref = await referenceLogits();
  for (let i = 0; i < IMAGES.length; i++) assertSameLogits(await clf.logits(IMAGES[i]), ref[i], `${what}: logits of image ${i}`);
  clf.dispose();
}

test('an absolute file path', async () => {
  await check(await load(PACK_PATH), 'absolute path');
});

test('a relative file path (from the working directory)', async () => {
  await check(await load(relative(process.cwd(), PACK_PATH)), 'relative path');
});

test('a file URL, as URL and as string', async () => {
  await check(await load(PACK_URL), 'file URL');
  await check(await load(pathToFileURL(PACK_PATH).href), 'file: string');
});

test('an ArrayBuffer', async () => {
  await check(await load(PACK.slice().buffer), 'ArrayBuffer');
});

test('a Uint8Array: whole buffer, a view into a larger buffer, a SharedArrayBuffer view, a Node Buffer', async () => {
  await check(await load(PACK.slice()), 'Uint8Array');
  const big = new Uint8Array(PACK.length + 100);
  big.set(PACK, 37);
  await check(await load(big.subarray(37, 37 + PACK.length)), 'offset view');
  const shared = new Uint8Array(new SharedArrayBuffer(PACK.length));
  shared.set(PACK);
  await check(await load(shared), 'SharedArrayBuffer view');
  await check(await load(Buffer.from(PACK)), 'Buffer');
});

test('a Response, with and without a body stream', async () => {
  await check(await load(new Response(PACK.slice())), 'Response');
  const chunked = new ReadableStream<Uint8Array>({
    start(c) {
      for (let i = 0; i < PACK.length; i += 1000) c.enqueue(PACK.slice(i, i + 1000));
      c.close();
    },
  });
  await check(await load(new Response(chunked)), 'chunked Response');
});

test('an http URL (fetch), as URL and as string; a data: URL', async () => {
  const server = await serve((req, res) => {
    if (req.url === '/tiny.pack') {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': PACK.length });
      res.end(PACK);
    } else {
      res.writeHead(404).end();
    }
  });
  try {
    await check(await load(`${server.url}/tiny.pack`), 'http string');
    await check(await load(new URL('/tiny.pack', server.url)), 'http URL');
    await check(await load(await fetch(`${server.url}/tiny.pack`)), 'fetched Response');
    const e = await rejects(load(`${server.url}/missing.pack`), (x) => x instanceof Error && /HTTP 404/.test(x.message), 'HTTP 404');
    assert.match((e as Error).message, 'the pack source');
  } finally {
    await server.close();
  }
  await check(await load(`data:application/octet-stream;base64,${Buffer.from(PACK).toString('base64')}`), 'data: URL');
});

test('a wrong source is a TypeError naming what is accepted', async () => {
  for (const bad of [42, null, undefined, {}, [1, 2, 3], new Float32Array(4)]) {
    const e = await rejects(load(bad as never), (x) => x instanceof TypeError, `load(${String(bad)})`);
    assert.match((e as Error).message, 'a file path (Node, Deno, Bun), a URL, an ArrayBuffer, a Uint8Array or a fetch Response');
  }
});

test('a missing file or a directory rejects with the file system error, naming the path', async () => {
  const missing = await rejects(load(`${PACK_PATH}.missing`), (x) => (x as { code?: string }).code === 'ENOENT', 'missing file');
  assert.match((missing as Error).message, `cannot read the file '${PACK_PATH}.missing'`);
  const dir = new URL('.', `file://${PACK_PATH}`).pathname;
  const isDir = await rejects(load(dir), (x) => (x as { code?: string }).code === 'EISDIR', 'a directory');
  assert.match((isDir as Error).message, `cannot read the file '${dir}'`);
});

test.run();
